"""Fast checks of the benchmark's own logic: metrics, the Reuters parser, the ground truth, the peers.

No timing is asserted; ``python benchmarks/run.py --quick`` is the end-to-end smoke run.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCH))

import data  # noqa: E402

from dedup.shingle import shingles  # noqa: E402

# ------------------------------------------------------------------------------------ AEB metric


def test_shingle_multiset_counts_repeats_and_short_texts():
    assert data.shingle_multiset("a b c d a b c d", 4) == {
        "a b c d": 2, "b c d a": 1, "c d a b": 1, "d a b c": 1}
    assert data.shingle_multiset("Only three words!", 4) == {"Only three words": 1}
    assert data.shingle_multiset("", 4) == {}


def test_shingle_pr_multiset_precision_and_recall():
    truth = "one two three four five"            # shingles: 1234, 2345
    assert data.shingle_pr(truth, truth) == (1.0, 1.0)
    # Prediction holds the article twice: every true shingle found, but as multisets only one copy of
    # each of the 2 true shingles counts, out of 7 predicted.
    p, r = data.shingle_pr("one two three four five. one two three four five", truth)
    assert r == 1.0
    assert p == pytest.approx(2 / 7)
    assert data.shingle_pr("", truth) == (0.0, 0.0)
    assert data.shingle_pr("", "") == (1.0, 1.0)


def test_aeb_score_f1_from_mean_precision_and_recall():
    truths = ["a b c d e", "f g h i j"]
    preds = ["a b c d e", "x y z w v"]        # page 1 perfect, page 2 all wrong
    s = data.aeb_score(preds, truths)
    assert s["precision"] == pytest.approx(0.5) and s["recall"] == pytest.approx(0.5)
    assert s["f1"] == pytest.approx(0.5)
    s = data.aeb_score(["a b c d e", "f g h i j k l m"], truths)   # page 2: P 2/5, R 1
    assert s["precision"] == pytest.approx(0.7) and s["recall"] == pytest.approx(1.0)
    assert s["f1"] == pytest.approx(2 * 0.7 / 1.7)


# ------------------------------------------------------------------------------------ pair F1


def test_pair_f1_fallback_and_shared_scorer_agree():
    gold = {"clusters": {"g1": ["a", "b", "c"], "g2": ["d", "e"], "g3": ["f"]}}
    pred = {"a": "x", "b": "x", "c": "y", "d": "z", "e": "z", "f": "z"}
    # gold pairs: ab ac bc de (4); predicted: ab de df ef (4); true positives ab de.
    s = data.score_clusters_fallback(gold, pred)
    assert (s["pair_precision"], s["pair_recall"], s["f1"]) == (0.5, 0.5, 0.5)
    assert s["gold_pairs"] == 4 and s["pred_pairs"] == 4 and s["missing"] == 0
    shared = data.score_clusters(gold, pred)  # ../shared/tools/score_clusters.py when present
    assert shared["f1"] == pytest.approx(0.5) and shared["pair_precision"] == pytest.approx(0.5)


def test_pair_f1_all_singletons():
    gold = {"clusters": {"g1": ["a"], "g2": ["b"]}}
    s = data.score_clusters_fallback(gold, {"a": "a", "b": "b"})
    assert s["f1"] == 1.0


def test_clean_line_score(tmp_path):
    exp = tmp_path / "exp"
    exp.mkdir()
    (exp / "d.txt").write_text("Kept line one.\nKept line two.\n", encoding="utf-8")
    (exp / "d.optional.txt").write_text("Maybe line.\n", encoding="utf-8")
    outputs = {"d": "Kept line one.\n  Maybe   line.\nMenu\n"}
    for s in (data._score_clean_fallback(exp, outputs), data.score_clean(exp, outputs)):
        assert s["precision"] == pytest.approx(2 / 3, abs=1e-4)
        assert s["recall"] == pytest.approx(0.5)


# ------------------------------------------------------------------------------------ Reuters

SGML = """<!DOCTYPE lewis SYSTEM "lewis.dtd">
<REUTERS TOPICS="YES" LEWISSPLIT="TRAIN" CGISPLIT="TRAINING-SET" OLDID="5544" NEWID="1">
<DATE>26-FEB-1987 15:01:01.79</DATE>
<TEXT>&#2;
<TITLE>BAHIA COCOA REVIEW</TITLE>
<DATELINE>    SALVADOR, Feb 26 - </DATELINE><BODY>Showers continued &lt;throughout&gt; the week
in the Bahia cocoa zone, AT&amp;T said.
 Reuter
&#3;</BODY></TEXT>
</REUTERS>
<REUTERS TOPICS="NO" NEWID="2">
<TEXT TYPE="BRIEF">&#2;
<TITLE>NO BODY HERE</TITLE>
&#3;</TEXT>
</REUTERS>
<REUTERS TOPICS="NO" NEWID="3">
<TEXT>&#2;
<BODY>Standard Oil said it will pay 12 dlrs a share, a spokesman told Reuters.
&#3;</BODY></TEXT>
</REUTERS>
<REUTERS TOPICS="NO" NEWID="4">
<TEXT>&#2;
<BODY>Table follows.
 TOTAL   14.7   16.0
 REUTER
 Reuter
&#3;</BODY></TEXT>
</REUTERS>
"""


def test_parse_reuters_sgml():
    recs = list(data.parse_reuters_sgml(SGML))
    assert [r[0] for r in recs] == ["1", "3", "4"]          # the record without <BODY> is left out
    assert recs[0][1] == "Showers continued <throughout> the week\nin the Bahia cocoa zone, AT&T said."
    assert recs[1][1].endswith("a spokesman told Reuters.")  # "Reuters" in a sentence is not the sign-off
    assert recs[2][1] == "Table follows.\n TOTAL   14.7   16.0"  # doubled sign-off removed
    assert all("\x03" not in b and not b.lower().endswith("reuter") for _, b in recs)


# ------------------------------------------------------------------------------------ ground truth


def _brute(texts, n, thr):
    sets = [set(shingles(t, n)) for t in texts]
    out = {}
    for i in range(len(sets)):
        for j in range(i + 1, len(sets)):
            inter = len(sets[i] & sets[j])
            if inter and inter / len(sets[i] | sets[j]) >= thr:
                out[(i, j)] = inter / len(sets[i] | sets[j])
    return out


def test_all_pairs_jaccard_matches_quadratic_brute_force():
    rng = np.random.default_rng(3)
    words = [f"w{k}" for k in range(40)]
    base = [" ".join(rng.choice(words, 30)) for _ in range(6)]
    texts = []
    for b in base:                      # each base text plus edited copies: many pairs in every band
        texts.append(b)
        w = b.split()
        texts.append(" ".join(w[:24]))
        texts.append(" ".join(w[:10] + ["x"] + w[10:]))
        texts.append(" ".join(w[3:] + ["y", "z"]))
    texts.append("short text")
    ids, offsets, n_vocab = data.shingle_csr(texts, 3, shingles)
    for thr in (0.2, 0.5):
        pairs, inter, jac, _ = data.all_pairs_jaccard(ids, offsets, n_vocab, thr, max_entries=7)
        got = {(int(i), int(j)): float(x) for (i, j), x in zip(pairs, jac, strict=True)}
        want = _brute(texts, 3, thr)
        assert got.keys() == want.keys()
        assert all(got[k] == pytest.approx(want[k]) for k in want)


def test_ground_truth_cache_roundtrip(tmp_path):
    texts = ["the cat sat on the mat today", "the cat sat on the mat today again", "nothing alike here at all"]
    gt = data.reuters_ground_truth(texts, ngram=3, threshold=0.5, cache_dir=tmp_path)
    again = data.reuters_ground_truth(texts, ngram=3, threshold=0.5, cache_dir=tmp_path)
    assert again.stats["cached"] and not gt.stats["cached"]
    assert gt.pairs.tolist() == again.pairs.tolist() == [[0, 1]]
    j, c = gt.similarity(0, 1)
    assert j == pytest.approx(gt.jaccard[0]) and c == 1.0


# ------------------------------------------------------------------------------------ peers


def test_datasketch_pipeline_groups_copies():
    pytest.importorskip("datasketch")
    pytest.importorskip("ftfy")
    import peers

    story = " ".join(f"word{k}" for k in range(80))
    other = " ".join(f"term{k}" for k in range(80))
    docs = [("a", story), ("b", story + " extra tail"), ("c", other)]
    labels, pairs = peers.datasketch_pipeline(docs, 0.5, return_pairs=True)
    assert labels["a"] == labels["b"] != labels["c"]
    assert pairs.tolist() == [[0, 1]]


def test_wrap_lines_as_html_escapes():
    assert data.wrap_lines_as_html("a < b\n\n c ") == "<html><body><p>a &lt; b</p><p>c</p></body></html>"


def test_declared_charset():
    assert data.declared_charset(b'<meta charset="windows-1252">') == "cp1252"
    assert data.declared_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">') \
        == "iso8859-1"
    assert data.declared_charset(b"<html>") == "utf-8"


# ------------------------------------------------------------------ other page sets (--pages)


@pytest.mark.parametrize("layout", ["flat", "html-txt"])
def test_page_sets_pair_each_page_with_its_truth(tmp_path: Path, layout: str):
    import clean_eval

    html_dir, txt_dir = (tmp_path, tmp_path) if layout == "flat" else (tmp_path / "html", tmp_path / "txt")
    html_dir.mkdir(exist_ok=True)
    txt_dir.mkdir(exist_ok=True)
    # Charset as the page declares it; a page without a truth is skipped.
    (html_dir / "b.html").write_bytes(
        b'<html><head><meta charset="windows-1252"></head><body><p>Caf\xe9 opens</p></body></html>')
    (txt_dir / "b.txt").write_text("Café opens", encoding="utf-8")
    (html_dir / "a.htm").write_text("<html><body><p>First</p></body></html>", encoding="utf-8")
    (txt_dir / "a.txt").write_text("First", encoding="utf-8")
    (html_dir / "c.html").write_text("<html><body><p>No truth</p></body></html>", encoding="utf-8")
    pages = clean_eval.load_page_set(tmp_path)
    assert [(pid, truth) for pid, _, truth in pages] == [("a", "First"), ("b", "Café opens")]
    assert "Café opens" in pages[1][1]


# ------------------------------------------------------------------------------------ the command


def test_run_only_names_sections_and_refuses_others(capsys):
    import run

    assert run.parse_args(["--only", "scale"]).only == "scale"
    assert run.parse_args(["--only", " reuters, aeb "]).only == " reuters, aeb "
    with pytest.raises(SystemExit) as stop:
        run.parse_args(["--only", "reuters,scaling"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "no section 'scaling'" in err and "reuters, aeb, clean, cluster, signature, scale" in err
