#!/usr/bin/env python3
"""Seeded generator of synthetic syndicated-news corpora with gold duplicate clusters.

Each *story* is synthetic wire prose drawn from a seeded vocabulary model (Zipf-like word
frequencies, phrases -> sentences -> short wire paragraphs, ~600 words for a full story).  A story is
carried by 1-5 synthetic *sites*, each with its own page template (menus, cookie lines, share bars,
related-headline blocks, bylines, footers; some templates are heavy).  Every copy gets light edits:
new headline, trimmed lead, truncated ending, an added paragraph, reworded phrases, straight vs curly
quotes, dash style, and mojibake (UTF-8 read as cp1252 / cp1251 / cp874) in a fraction.

Hard negatives (separate gold clusters): other stories on the same site (template text shared),
short briefs on heavy templates, follow-ups that reuse one background paragraph of an earlier story
verbatim, and independent write-ups of the same event that share its headline words and one quote.

    generate(n_docs, seed) -> Iterator[(doc_id, raw_text, gold_cluster)]
    gold_clusters(n_docs, seed) -> {cluster: [doc_id, ...]}

Streaming with constant memory: stories are made in blocks of STORIES_PER_BLOCK from an RNG seeded
by (seed, block), and each block's documents are rendered and yielded one at a time.  The output is a
deterministic function of seed; generate(n, seed) is a prefix of generate(m, seed) for m > n.

CLI:  python benchmarks/synth.py --n 10000 --seed 0 --out DIR   -> DIR/docs.jsonl.gz + DIR/gold.json
      python benchmarks/synth.py --n 200000 --bench               -> generation speed only
"""
from __future__ import annotations

import argparse
import datetime as _dt
import gzip
import json
import os
import resource
import sys
import time
from collections.abc import Iterator
from functools import lru_cache

import numpy as np

STORIES_PER_BLOCK = 256
N_SITES = 400
COPIES_P = np.array([0.66, 0.17, 0.08, 0.05, 0.04])  # a story is carried by 1..5 sites
P_BRIEF, P_FOLLOWUP, P_INDEPENDENT = 0.08, 0.05, 0.04
# per-copy edits
P_NEW_HEADLINE, P_TRUNC, P_TRIM, P_ADD, P_SUBS, P_MOJI, P_STRAIGHT = 0.5, 0.3, 0.2, 0.25, 0.5, 0.08, 0.3
MOJI_CODECS = ("cp1252", "cp1252", "cp1252", "cp1251", "cp874")
DASHES = (" \u2014 ",) * 7 + (" \u2013 ", " - ", " -- ")  # 70% keep the wire's em dash

N_VOCAB, N_NAMES = 40_000, 3_000
N_MID, N_START, N_END, N_QSTART, N_QEND = 1 << 18, 1 << 15, 1 << 15, 1 << 12, 1 << 12

FUNCTION_WORDS = (
    "the of and to a in that for on said was is with he it as at by from his be have has but were are "
    "not they this had an which who their after would been will she its or more than one about two also "
    "we her last year up new out over into when could some there other people all first government".split()
)
SECTIONS = ("News Local World Business Money Markets Sport Football Politics Health Science Technology Opinion "
            "Lifestyle Travel Culture Weather Property Motoring Jobs Obituaries Puzzles Video Podcasts Events "
            "Education Environment Crime Courts Arts Food").split()
SUFFIXES = ("Post Herald Times Gazette Courier Ledger Daily Chronicle Observer Tribune Examiner Journal "
            "Record Wire Online Dispatch Sentinel Mercury Argus Echo").split()
AGENCIES = ("Meridian Wire", "Continental Press Service", "Northline News Agency", "Global Dispatch Service")
MONTHS = ("January February March April May June July August September October November December").split()

_SPECIAL = "\u201c\u201d\u2018\u2019\u2014\u2013\u2022\u00a9\u00b7\u203a\u00e9\u2026\u00b0"
STRAIGHT = (("\u201c", '"'), ("\u201d", '"'), ("\u2018", "'"), ("\u2019", "'"))


def _moji_char(ch: str, codec: str) -> str:
    out = []
    for b in ch.encode("utf-8"):
        for enc in (codec, "cp1252", "latin-1"):  # WHATWG-style fallback for undefined bytes
            try:
                out.append(bytes([b]).decode(enc))
                break
            except UnicodeDecodeError:
                pass
    return "".join(out)


# str.replace chains: much faster than str.translate with a non-ASCII table
MOJI = {c: tuple((ch, _moji_char(ch, c)) for ch in _SPECIAL) for c in set(MOJI_CODECS)}


def _swap(text: str, pairs) -> str:
    for a, b in pairs:
        if a in text:
            text = text.replace(a, b)
    return text


# ----------------------------------------------------------------------------------------- model
class _Model:
    """Vocabulary, phrase pools and site templates for one seed (built once, ~1 s)."""

    def __init__(self, seed: int):
        rng = np.random.default_rng([seed, 0xC0FFEE])
        self._vocab(rng)
        self._pools(rng)
        self._sites(rng)

    # vocabulary: synthetic syllable words, rank-ordered short-first, Zipf weights
    def _vocab(self, rng):
        onsets = "b c d f g h j k l m n p r s t v w z br ch cl cr dr fl gr pl pr sh st th tr sk".split()
        vowels = "a e i o u a e i o ai ea ee io ou y".split()
        codas = ["", "", "", "n", "r", "s", "t", "l", "nd", "st", "rk", "m", "ng", "x"]
        seen, words = set(FUNCTION_WORDS), list(FUNCTION_WORDS)
        o = rng.integers(0, len(onsets), (200_000, 3))
        v = rng.integers(0, len(vowels), (200_000, 3))
        c = rng.integers(0, len(codas), (200_000, 3))
        ns = rng.choice([1, 2, 2, 3, 3, 3], 200_000)
        for k in range(200_000):
            w = "".join(onsets[o[k, i]] + vowels[v[k, i]] + codas[c[k, i]] for i in range(ns[k]))
            if w not in seen:
                seen.add(w)
                words.append(w)
                if len(words) >= N_VOCAB + N_NAMES:
                    break
        names = [w.capitalize() for w in words[N_VOCAB:]]
        words = words[:N_VOCAB]
        head, tail = words[: len(FUNCTION_WORDS)], sorted(words[len(FUNCTION_WORDS):], key=len)
        # a sprinkle of numbers and proper nouns inside prose
        tail = [
            (names[i % N_NAMES] if i % 23 == 5 else f"{(i * 37) % 990 + 10}" if i % 97 == 11 else w)
            for i, w in enumerate(tail)
        ]
        self.words = head + tail
        self.names = names
        r = np.arange(len(self.words), dtype=np.float64)
        self.cdf = np.cumsum(1.0 / (r + 2.7) ** 1.07)

    def _sample(self, rng, n):
        return np.searchsorted(self.cdf, rng.random(n) * self.cdf[-1])

    def _phrases(self, rng, n, lo, hi):
        lens = rng.integers(lo, hi + 1, n)
        ids = self._sample(rng, int(lens.sum()))
        w = self.words
        toks = [w[i] for i in ids.tolist()]
        big = " ".join(toks)
        wl = np.fromiter((len(t) + 1 for t in toks), dtype=np.int64, count=len(toks))
        starts = np.concatenate(([0], np.cumsum(wl)))
        bounds = starts[np.concatenate(([0], np.cumsum(lens)))].tolist()
        return [big[a: b - 1] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]

    def _pools(self, rng):
        mid = self._phrases(rng, N_MID, 1, 4)
        flag = rng.random(N_MID)
        names = self.names
        nm = rng.integers(0, N_NAMES, N_MID).tolist()
        for i in np.nonzero(flag < 0.09)[0].tolist():
            mid[i] += ","
        for i in np.nonzero((flag >= 0.09) & (flag < 0.115))[0].tolist():
            mid[i] = "\u2014 " + mid[i]
        for i in np.nonzero((flag >= 0.115) & (flag < 0.14))[0].tolist():
            mid[i] = names[nm[i]] + "\u2019s " + mid[i]
        for i in np.nonzero((flag >= 0.14) & (flag < 0.17))[0].tolist():
            mid[i] = f"{names[nm[i]]} {mid[i]}"
        start = [p[:1].upper() + p[1:] for p in self._phrases(rng, N_START, 1, 3)]
        end = [p + "." for p in self._phrases(rng, N_END, 1, 3)]
        qstart = ["\u201c" + p[:1].upper() + p[1:] for p in self._phrases(rng, N_QSTART, 1, 3)]
        n1, n2 = rng.integers(0, N_NAMES, (2, N_QEND)).tolist()
        qend = [f"{p},\u201d said {names[a]} {names[b]}." for p, a, b in
                zip(self._phrases(rng, N_QEND, 1, 3), n1, n2, strict=True)]
        self.ALL = [_fit(x) for x in mid + start + end + qstart + qend]
        # the pools as one UTF-8 buffer (each phrase + " "), so a block's text is one numpy gather
        enc = [(p + " ").encode() for p in self.ALL]
        self.pool_blen = np.fromiter((len(e) for e in enc), dtype=np.int64, count=len(enc))
        self.pool_clen = np.fromiter((len(p) + 1 for p in self.ALL), dtype=np.int64, count=len(enc))
        width = int(self.pool_blen.max())
        self.pool_rows = np.zeros((len(enc), width), dtype=np.uint8)  # NUL-padded rows
        flat_b = np.frombuffer(b"".join(enc), dtype=np.uint8)
        self.pool_rows[np.arange(width) < self.pool_blen[:, None]] = flat_b
        self.o_start = N_MID
        self.o_end = self.o_start + N_START
        self.o_qstart = self.o_end + N_END
        self.o_qend = self.o_qstart + N_QSTART

    def _sites(self, rng):
        self.sites = []
        names = self.names
        for s in range(N_SITES):
            base = names[int(rng.integers(N_NAMES))]
            suffix = SUFFIXES[int(rng.integers(len(SUFFIXES)))]
            title = f"The {base} {suffix}" if rng.random() < 0.4 else f"{base} {suffix}"
            slug = f"{base}{suffix}".lower()
            heavy = rng.random() < 0.3
            menu = list(rng.choice(SECTIONS, int(rng.integers(14, 26) if heavy else rng.integers(5, 11)),
                                   replace=False))
            menu += [names[int(i)] for i in rng.integers(0, N_NAMES, int(rng.integers(0, 4)))]
            year = 2024 + s % 2
            head, foot = [], []
            if rng.random() < 0.5 or heavy:
                head.append(f"We use cookies on {title} to personalise content and adverts and to analyse our "
                            "traffic. By using this site you agree to our cookie policy. Accept all | Manage")
            head.append(title)
            if heavy:
                head += ["Menu", *menu, "Search", *menu, "Sign in | Subscribe | Newsletters",
                         f"Today: {names[s % N_NAMES]} weather, traffic and travel updates"]
            elif rng.random() < 0.5:
                head.append(" | ".join(menu))
            else:
                head += menu
            if rng.random() < 0.6:
                head.append(f"Search {title}...")
            share = rng.random() < 0.6
            if heavy:
                foot += [f"Sign up to the {title} newsletter and get the day's top stories every morning.",
                         "Enter your email | Sign up", "Download our app: App Store | Google Play",
                         "Comments are moderated. Please keep the conversation civil.",
                         "About us | Contact | Advertise | Careers | Terms of use | Privacy policy | Cookie policy "
                         "| Accessibility | Complaints"]
            foot.append(f"\u00a9 {year} {title}. All rights reserved." if rng.random() < 0.7
                        else f"Copyright {year} {title} Media Group")
            self.sites.append(dict(
                slug=slug, title=title, heavy=heavy,
                head="\n".join(head) + "\n",
                foot="\n".join(foot) + "\n",
                sep="\n\n" if rng.random() < 0.5 else "\n",
                share="Share this article: Facebook | X | WhatsApp | Email | Print\n" if share else "",
                related_label=("Related", "Read more", "Most read", "You might also like", "More from "
                               + title, "Trending now")[int(rng.integers(6))],
                n_related=int(rng.integers(5, 11) if heavy else rng.integers(2, 6)),
                related_top=bool(rng.random() < 0.3),
                ads=heavy and rng.random() < 0.7,
                readmore=bool(rng.random() < 0.3),
                byline=int(rng.integers(4)),
                datefmt=int(rng.integers(3)),
                credit=f"Photo: {names[int(rng.integers(N_NAMES))]} / {title}\n" if rng.random() < 0.4 else "",
            ))
        w = 1.0 / (np.arange(N_SITES) + 5.0) ** 0.8  # a few big syndicators, a long tail
        self.site_cdf = np.cumsum(w) / w.sum()

    def date(self, day: int, fmt: int) -> str:
        d = _dt.date(2023, 1, 1) + _dt.timedelta(days=day)
        if fmt == 0:
            return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"
        if fmt == 1:
            return f"{d.day} {MONTHS[d.month - 1][:3]} {d.year}"
        return d.isoformat()


def _fit(p: str, width: int = 40) -> str:
    """Drop inner words of the rare long phrase so that pool rows stay narrow (fast gathers)."""
    if len(p) < width - 4 and p.isascii():
        return p
    w = p.split(" ")
    while len((" ".join(w) + " ").encode()) > width and len(w) > 2:
        del w[1]
    return " ".join(w)


@lru_cache(maxsize=2)
def _model(seed: int) -> _Model:
    return _Model(seed)


# ----------------------------------------------------------------------------------------- blocks
def _block(m: _Model, seed: int, b: int) -> Iterator[tuple[str, str, str]]:
    """Yield (site_slug, text, cluster) for the documents of block b, in crawl order."""
    rng = np.random.default_rng([seed, b])
    S = STORIES_PER_BLOCK
    ALL = m.ALL
    u = rng.random(S)
    kind = np.where(u < P_BRIEF, 1, np.where(u < P_BRIEF + P_FOLLOWUP, 2,
                                             np.where(u < P_BRIEF + P_FOLLOWUP + P_INDEPENDENT, 3, 0)))
    kind[0] = 0
    parent = np.maximum(0, np.arange(S) - rng.integers(1, 30, S))
    kind[(kind >= 2) & (kind[parent] != 0)] = 0
    ncopy = 1 + np.searchsorted(np.cumsum(COPIES_P), rng.random(S) * COPIES_P.sum())
    ncopy[kind == 2] = np.minimum(ncopy[kind == 2], 2)
    nsent = np.select([kind == 0, kind == 1, kind == 2, kind == 3],
                      [rng.integers(20, 39, S), rng.integers(2, 6, S), rng.integers(10, 21, S),
                       rng.integers(12, 25, S)])
    # per-copy edit flags
    C = int(ncopy.sum())
    cstory = np.repeat(np.arange(S), ncopy)
    cu = rng.random((C, 8))
    c_add = cu[:, 3] < P_ADD
    # sentences: the story's own, then one reserved sentence per added paragraph
    add_per_story = np.bincount(cstory, weights=c_add, minlength=S).astype(np.int64)
    stot = nsent + add_per_story
    n_s = int(stot.sum())
    s_off = np.concatenate(([0], np.cumsum(stot)))
    k = rng.integers(4, 12, n_s)  # mid phrases per sentence
    quote = rng.random(n_s) < 0.1
    p_off = np.concatenate(([0], np.cumsum(k + 2)))
    T = int(p_off[-1])
    flat = rng.integers(0, N_MID, T)
    st, en = p_off[:-1], p_off[1:] - 1
    flat[st] = np.where(quote, m.o_qstart + rng.integers(0, N_QSTART, n_s), m.o_start + rng.integers(0, N_START, n_s))
    flat[en] = np.where(quote, m.o_qend + rng.integers(0, N_QEND, n_s), m.o_end + rng.integers(0, N_END, n_s))
    # render every phrase of the block at once: gather bytes, decode once, slice paragraphs by char offsets
    rows = m.pool_rows.take(flat, axis=0).ravel()
    text_all = np.compress(rows != 0, rows).tobytes().decode("utf-8")
    co = np.concatenate(([0], np.cumsum(m.pool_clen[flat])))  # char offset of each phrase
    # paragraphs (wire style, 1-3 sentences): a story's first sentence and each reserved sentence start one
    sst = np.repeat(np.arange(S), stot)
    w = np.arange(n_s) - s_off[sst]
    pstart = (w == 0) | (w >= nsent[sst]) | (rng.random(n_s) < 0.45)
    pstart[1:] |= (w[:-1] >= nsent[sst[:-1]])  # nothing continues a reserved sentence
    pf = np.nonzero(pstart)[0]
    pl = np.append(pf[1:], n_s)
    pa, pb = p_off[pf].tolist(), p_off[pl].tolist()  # phrase ranges of the paragraphs
    ca, cb = co[p_off[pf]].tolist(), (co[p_off[pl]] - 1).tolist()
    ptxt = [text_all[x:y] for x, y in zip(ca, cb, strict=True)]
    pp_off = np.concatenate(([0], np.cumsum(np.bincount(sst[pf], minlength=S)))).tolist()
    pf_l, pl_l = pf.tolist(), pl.tolist()
    add_l = add_per_story.tolist()
    # headlines: master + one alternative per copy
    hl = (rng.integers(0, N_MID, (S + C, 4)).tolist(), (m.o_start + rng.integers(0, N_START, S + C)).tolist(),
          rng.integers(1, 4, S + C).tolist())

    def headline(i):
        return " ".join([ALL[hl[1][i]]] + [ALL[x] for x in hl[0][i][: hl[2][i]]]).rstrip(",")

    # related headlines: 10 distinct stories of the block (odd stride mod S is a permutation step)
    rel = ((rng.integers(0, S, C)[:, None] + (2 * rng.integers(0, S // 2, C) + 1)[:, None] * np.arange(10))
           % S).tolist()
    sites = np.searchsorted(m.site_cdf, rng.random(C)).tolist()
    reporters = rng.integers(0, N_NAMES, (S, 2)).tolist()
    agency = rng.integers(0, len(AGENCIES), S).tolist()
    cu_l = cu.tolist()
    subs_pick = rng.random((C, 3)).tolist()
    subs_new = rng.integers(0, N_MID, (C, 3)).tolist()
    keep_frac = (0.6 + 0.2 * rng.random(C)).tolist()
    delay = (rng.exponential(4.0, C)).tolist()
    heads = [headline(j) for j in range(S)]
    kind_l, parent_l = kind.tolist(), parent.tolist()
    day0 = (b * S) // 300
    dates: dict = {}
    masters = [None] * S

    def master(j):
        """The story's paragraphs as strings (follow-ups / write-ups take their shared text here)."""
        if masters[j] is None:
            txt = ptxt[pp_off[j]: pp_off[j + 1] - add_l[j]]
            pj = parent_l[j]
            if kind_l[j] == 2:  # follow-up: one background paragraph of the parent, verbatim
                pm = master(pj)
                txt.insert(min(2, len(txt)), pm[1 + (j % max(1, min(4, len(pm) - 1)))])
            elif kind_l[j] == 3:  # independent write-up: shares one (quoted if possible) sentence
                a0, z0 = int(s_off[pj]) + 1, int(s_off[pj] + nsent[pj])
                qs = np.flatnonzero(quote[a0:z0])
                sent = a0 + (int(qs[0]) if len(qs) else 0)
                txt.insert(min(3, len(txt)), text_all[co[p_off[sent]]: co[p_off[sent + 1]] - 1])
            masters[j] = txt
        return masters[j]

    # crawl order: copies appear after their story's time, follow-ups ~ a day after the parent
    t_story = np.arange(S, dtype=np.float64)
    t_story[kind == 2] = np.minimum(S - 1, parent[kind == 2] + 25.0)
    order = np.argsort(t_story[cstory] + np.array(delay), kind="stable").tolist()
    copy_idx = (np.arange(C) - np.repeat(np.cumsum(ncopy) - ncopy, ncopy)).tolist()
    add_used = [0] * S
    cstory_l = cstory.tolist()
    for c in range(1, C):  # the copies of one story go to distinct sites
        k = copy_idx[c]
        while k and sites[c] in sites[c - k: c]:
            sites[c] = (sites[c] + 1) % N_SITES
    try:
        for c in order:
            j = cstory_l[c]
            site = m.sites[sites[c]]
            f = cu_l[c]
            body = list(master(j))
            if kind_l[j] == 3:
                h = heads[parent_l[j]].split(" ")
                hd = " ".join(h[: max(2, len(h) // 2)] + [ALL[x] for x in hl[0][S + c][:2]])
            elif copy_idx[c] > 0 and f[0] < P_NEW_HEADLINE:
                hd = headline(S + c)
            else:
                hd = heads[j]
            P0 = pp_off[j]
            npar = pp_off[j + 1] - add_l[j] - P0
            if f[4] < P_SUBS and kind_l[j] != 1:  # reword one phrase in up to 3 of the story's own paragraphs
                for r in range(3):
                    pi = int(subs_pick[c][r] * npar)
                    if kind_l[j] >= 2 and pi >= 2:  # keep the shared text of follow-ups / write-ups intact
                        continue
                    x, y = pa[P0 + pi], pb[P0 + pi]
                    q = x + 1 + subs_new[c][r] % max(1, y - x - 2)
                    if flat[q] < N_MID:
                        body[pi] = "".join((text_all[co[x]: co[q]], ALL[subs_new[c][r]], " ",
                                            text_all[co[q + 1]: cb[P0 + pi]]))
            if f[2] < P_TRIM and kind_l[j] != 1:  # drop the first sentence of the lead
                s0, e0 = pf_l[P0], pl_l[P0]
                if e0 - s0 > 1:
                    body[0] = text_all[co[p_off[s0 + 1]]: cb[P0]]
                else:
                    body.pop(0)
            if f[1] < P_TRUNC and len(body) > 4:  # truncated ending
                body = body[: max(3, round(len(body) * keep_frac[c]))]
            if c_add[c]:  # local angle / editor's note
                extra = ptxt[pp_off[j + 1] - add_l[j] + add_used[j]]
                add_used[j] += 1
                body.insert(len(body) if f[5] < 0.5 else min(len(body), 2 + int(f[5] * 4)), extra)
            # page
            if site["readmore"] and len(body) > 5:
                body.insert(4, f"Read more: {heads[rel[c][0]]}")
            if site["ads"] and len(body) > 6:
                body.insert(3, "ADVERTISEMENT")
                body.insert(7, "ADVERTISEMENT")
            rp = reporters[j]
            name = f"{m.names[rp[0]]} {m.names[rp[1]]}"
            by = site["byline"]
            byline = (f"By {name}, {AGENCIES[agency[j]]}" if by == 0 else f"{name} | {site['title']}" if by == 1
                      else f"By {name}" if by == 2 else f"{AGENCIES[agency[j]]}")
            dk = (j >> 5, site["datefmt"])
            date = dates.get(dk) or dates.setdefault(dk, m.date(day0 + dk[0], dk[1]))
            relb = "\n".join([heads[x] for x in rel[c][: site["n_related"]] if x != j])
            relb = f"{site['related_label']}\n{relb}\n"
            text = "".join((
                site["head"], relb if site["related_top"] else "", hd, "\n", site["credit"], byline, "\n", date, "\n",
                site["share"], "\n", site["sep"].join(body), "\n\n", "" if site["related_top"] else relb,
                site["foot"],
            ))
            if f[6] < P_STRAIGHT:
                text = _swap(text, STRAIGHT)
            d = DASHES[int(f[7] * 10)]
            if d != " \u2014 ":
                text = text.replace(" \u2014 ", d)
            if f[3] > 1.0 - P_MOJI:
                text = _swap(text, MOJI[MOJI_CODECS[int(f[2] * 5)]])
            yield site["slug"], text, f"s{seed}-{b}-{j}"
    finally:
        # master calls itself: the function and the cell holding it make a cycle, which kept the
        # whole block (its paragraphs: some 12,000 lists per 20,000 pages) until the garbage
        # collector found it, in the process whose run is being measured.
        master = None  # noqa: F841


def generate(n_docs: int, seed: int = 0) -> Iterator[tuple[str, str, str]]:
    """Yield exactly n_docs (doc_id, raw_text, gold_cluster) tuples, streaming."""
    m = _model(seed)
    n, b = 0, 0
    while n < n_docs:
        for slug, text, cluster in _block(m, seed, b):
            if n >= n_docs:
                return
            yield f"{slug}-{n:09d}", text, cluster
            n += 1
        b += 1


def gold_clusters(n_docs: int, seed: int = 0) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for doc_id, _, cl in generate(n_docs, seed):
        out.setdefault(cl, []).append(doc_id)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", help="directory for docs.jsonl.gz and gold.json")
    ap.add_argument("--bench", action="store_true", help="only time generation and print statistics")
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    _model(a.seed)
    t1, c1 = time.perf_counter(), time.process_time()
    clusters: dict[str, list[str]] = {}
    chars = 0
    if a.bench or not a.out:
        for doc_id, text, cl in generate(a.n, a.seed):
            clusters.setdefault(cl, []).append(doc_id)
            chars += len(text)
    else:
        os.makedirs(a.out, exist_ok=True)
        with gzip.open(os.path.join(a.out, "docs.jsonl.gz"), "wt", encoding="utf-8", compresslevel=1) as fh:
            for doc_id, text, cl in generate(a.n, a.seed):
                clusters.setdefault(cl, []).append(doc_id)
                chars += len(text)
                fh.write(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False))
                fh.write("\n")
        with open(os.path.join(a.out, "gold.json"), "w", encoding="utf-8") as fh:
            json.dump({"clusters": clusters}, fh)
    t2, c2 = time.perf_counter(), time.process_time()
    dup = a.n - len(clusters)
    in_multi = sum(len(v) for v in clusters.values() if len(v) > 1)
    print(f"docs={a.n} clusters={len(clusters)} duplicate_docs={dup} ({dup / max(1, a.n):.1%}) "
          f"docs_in_multi_clusters={in_multi / max(1, a.n):.1%} avg_chars={chars / max(1, a.n):.0f} "
          f"setup={t1 - t0:.2f}s generate={t2 - t1:.2f}s wall ({a.n / max(1e-9, t2 - t1):,.0f} docs/s), "
          f"{c2 - c1:.2f}s cpu ({a.n / max(1e-9, c2 - c1):,.0f} docs/s per core) "
          f"max_rss={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
