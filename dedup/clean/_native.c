/* The cleaner's hottest loops over a line's characters, in C. Each function has its stand-in in
 * Python, used where this module is not built (an editable install, no compiler); tests hold the two
 * to the same results.
 *
 * ascii_words(text, stopwords[, guards]) -> (tokens, content, ai, bits)   stand-in: lines._ascii_words_py
 *
 *   text       a str of ASCII characters only (ValueError otherwise)
 *   stopwords  a frozenset of str (the memo's content flags are for one such set at a time)
 *   guards     what lines.guards() makes, or None
 *
 *   tokens     the maximal runs of [A-Za-z0-9_], lower-cased, in order: what
 *              text.encode().translate(_NON_WORD_LOWER).decode().split() gives
 *   content    frozenset of the tokens of 3 characters or more that start with a letter, hold no
 *              "_" and are not stopwords: lines._content(tokens, 3) for such a line
 *   ai         whether "ai" is one of the tokens
 *   bits       the bits of the guards' word needles (and helpers) the tokens hold; -1 without
 *              guards, or with more than 32 needles (helpers included)
 *
 *   Why: a new line's tokens were split by str.split (a new str each), then each looked up in a
 *   memo dict (hashing it) and the survivors copied into a frozenset. Here a token met before is
 *   found by its bytes in a memo of canonical strs (see memo_get): no new str, no hash computed.
 *   One pass over the characters lower-cases, splits and hashes; a token of one or two characters
 *   (never a content word) is found in a table by its characters (see short_token). The bits
 *   of a word are found once, as it enters the memo, with the guards' table (the memo holds one
 *   table at a time, as it holds one set of stopwords).
 *
 * marked_by_sight(punct, text) -> str or None                  stand-in: repair._marked_by_sight_py
 *
 *   text with every character of punct (the common punctuation) as "~", if that is printable
 *   ASCII, holds no "&" and (text being non-ASCII) no "~~"; else None. An ASCII text comes back as
 *   it is. One pass, where the stand-in makes a scan and a replace per punctuation character.
 *
 * plain_parts(punct, text) -> (plain, marked) or None          stand-in: repair._plain_parts_py
 *
 *   marked_by_sight(punct, text), and with it text.strip(" ") (text itself when there is nothing
 *   to strip), or " ".join(text.split()) where text holds two plain spaces side by side; None
 *   where marked_by_sight declines. Why: the test for two spaces was a substring search of its
 *   own (some 900 instructions on a paragraph, a space starting every few characters); here it
 *   is a comparison more in the pass that marks the text.
 *
 * in_range(text, first, last) -> bool                          stand-in: repair._in_range_py
 *
 *   Whether text holds a character whose code point is first to last. O(1) where the text's kind
 *   (one, two or four bytes a character) holds none such. Why: a repair step undoing a Thai or
 *   Cyrillic misreading scanned every suspect line with a class of some 50 lead characters; a line
 *   holding none of them (most lines: cp1252 mojibake) skips that scan.
 *
 * lower_ascii(text) -> str                                      stand-in: lines._lower_ascii_py
 *
 *   text with its ASCII capitals lower-cased and every other character as it is: what
 *   text.encode("utf-8").lower().decode("utf-8") gives, without the two copies through bytes.
 *
 * which_in(text, guards[, word_bits]) -> int                    stand-in: lines._which_in_py
 *
 *   The needles text holds, as bits (bit k: needle k, at most 64), guards being what
 *   lines.guards() makes of them: (table, needles, bits of the others, (bit, gate) of the needles
 *   that are no word, how many needles are the caller's, ...). Given word_bits (not -1: what
 *   ascii_words found in text's tokens), only the needles that are no word are searched for,
 *   each where its gate's bits are all in word_bits. Otherwise one pass over the text
 *   for the ASCII needles of two characters or more, then a substring search for each other one.
 *   At each place: a bitmap of the needles' first two characters; where a longer needle may
 *   start there, a bitmap of a hash of its first three (the pairs alone are common in prose:
 *   "co", "ar", "ge", "di"); only then a comparison with the needles of that first character.
 *   Why: a new paragraph was searched a dozen times over for the words that the furniture and
 *   disclaimer tests need (each search of a line with a curly quote in it also widening the
 *   needle to two bytes a character first); now once, and each test reads its bits. (It
 *   replaces any_in, which told only whether one of the needles was there, and served one test.)
 *
 * LineMemo(limit, max_chars, make, arg)                         stand-in: clean._PreparedLines's dicts
 *
 *   The memo of a page's lines: lines(text) gives make(line, arg) for each line of
 *   text.splitlines(), made on first sight and kept while it recurs (see the type below). A line
 *   met before is found by its characters where they lie in the page: no str per line, no SipHash.
 *
 * pair_facts(item) -> (length, key) or None                     stand-in: parallel._pair_facts_py
 * same_text(documents, i, j) -> bool                             stand-in: parallel._same_text_py
 * copy_texts(documents, indices) -> list of str                  stand-in: parallel._copy_texts_py
 *
 *   The length and a 64-bit key of an (id, text) document's text (text_key's; the stand-in's is
 *   Python's hash), whether two such documents' texts are equal, and copies of such texts, read
 *   without taking a reference to them (see pair_facts below). Not the cleaner's, but built here
 *   with it.
 *
 * encode_into(buffer, start, room, texts, facts) -> ends, or None  stand-in: parallel._encode_into_py
 *
 *   Each of texts (str) in UTF-8 (surrogates as Python's "surrogatepass" writes them) written one
 *   after the other into the writable buffer from byte start on; ends[k] is where text k ends,
 *   counted from start. None, once a text would end past start + room (what was written before
 *   it is left as it is). With facts true it gives (ends, chars, words, hashes): each text's
 *   length in characters, whether it holds an ASCII letter or digit (True), holds none and is
 *   ASCII (False) or holds none and is not (None: the caller asks regex), and Python's hash of its
 *   UTF-8 bytes, hash(bytes). Why: a worker encoded each clean text into a bytes object of its
 *   own, copied it into the shared slot and hashed it; a chunk's raw texts went into a slot the
 *   same way. Here the characters are written where they go, in one pass.
 *
 * drop_counts(word_sets, shared, df) -> (fell, gone)            stand-in: rules._drop_counts_py
 *
 *   word_sets  the content words (sets) of the lines a rule dropped
 *   shared     the page's words held by two lines or more; df: those words -> how many lines hold them
 *
 *   For each word of each set that is in shared, df[word] is lowered by one (in place); fell lists
 *   the words whose count fell to one (in the order met, which no caller relies on), and gone
 *   counts the words of the sets not in shared (each was on its line alone). What Page.drop did
 *   in Python with an intersection per dropped line.
 *
 * repeat_counts(keys) -> (counts, copies) or None               stand-in: rules._repeat_counts_py
 *
 *   keys       a list of str (exact str): a page's lines' keys (see lines.LineText.key)
 *
 *   None when no two keys are equal; else, for each key, how many keys equal it (counts) and which
 *   of those it is, 1 for the first (copies). Why: rules.repeated_line counted the keys in a dict,
 *   two lookups a line, and a new line's key is a new str whose SipHash hash is computed on its
 *   first lookup, some 2.5 instructions a character of a paragraph: the rule cost some 42,000
 *   instructions a page. Here the keys are found by their characters (text_key) in a table of the
 *   call's own, on the stack for pages of up to 128 lines.
 *
 * page_counts(word_sets) -> (df, shared, distinct)              stand-in: clean._page_counts_py
 *
 *   word_sets  a list of sets or frozensets of str (exact str), a page's lines' content words
 *
 *   df         dict: word -> the number of the sets holding it, for the words held by two sets or
 *              more, in order of first sight (each set read in its own iteration order)
 *   shared     set of the same words, added in df's order
 *   distinct   the number of distinct words in all the sets
 *
 *   Why: a page holds some 350 content words, 320 of them distinct and 20 shared. Counting them
 *   into a dict one by one (collections._count_elements) looks each up, makes or bumps its count
 *   and grows the dict as it goes: some 600 instructions a word, 12% of cleaning a page of the
 *   generated stream. Here the words are counted in a table of the module's own, with the hash
 *   each set already holds, and only the shared words go into the dict (see rules.Page.df).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>
/* SSE2 where it is part of the architecture (x86-64); the other loops have a portable form. */
#if defined(__SSE2__) && (defined(__x86_64__) || defined(_M_X64))
#define DEDUP_SSE2 1
#include <emmintrin.h>
#endif

static inline uint64_t rotl64(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

/* The finaliser of MurmurHash3: every bit of the result depends on every bit of x. */
static inline uint64_t fmix64(uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

static inline uint64_t load64(const unsigned char *p) {
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

#define KEY_P1 0x9E3779B185EBCA87ULL
#define KEY_P2 0xC2B2AE3D27D4EB4FULL

/* 0 for a byte that is not a word character; else the character lower-cased. */
static unsigned char WORD_LOWER[256];

static void init_table(void) {
    for (int c = 0; c < 256; c++) {
        unsigned char v = 0;
        if (c >= 'a' && c <= 'z') v = (unsigned char)c;
        else if (c >= 'A' && c <= 'Z') v = (unsigned char)(c - 'A' + 'a');
        else if (c >= '0' && c <= '9') v = (unsigned char)c;
        else if (c == '_') v = '_';
        WORD_LOWER[c] = v;
    }
}

/* lines._trigram: the bit of three ASCII characters in a table's trigram part (see which_in). */
#define TRIGRAM_BITS 8192
#define TRIGRAM(c, c2, c3) ((((c) * 31u + (c2)) * 31u + (c3)) & (TRIGRAM_BITS - 1))
#define HAS_BIT(table, k) ((table)[(k) >> 3] & (1u << ((k) & 7)))

/* The parts of the table lines.guards() makes (see which_in): the pairs of first characters of
 * the ASCII needles of two characters or more, the same of those of two exactly, the bitmap of a
 * hash of the first three characters of the longer ones (TRIGRAM), then where each first
 * character's needles start in the list that follows (129 little-endian uint16: the needles of
 * first character c are those from offset c to offset c + 1), and the list: each needle as its
 * length, its bit and its bytes, sorted by first character. */
#define GUARD_PAIRS 0
#define GUARD_PAIRS_TWO 2048
#define GUARD_TRIGRAMS 4096
#define GUARD_FIRST (GUARD_TRIGRAMS + TRIGRAM_BITS / 8)
#define GUARD_LIST (GUARD_FIRST + 129 * 2)

/* Where the needles of first character c start in the list (the little-endian uint16 at c). */
#define FIRST_AT(c) ((Py_ssize_t)table[GUARD_FIRST + 2 * (c)] | ((Py_ssize_t)table[GUARD_FIRST + 2 * (c) + 1] << 8))

/* The bits of the ASCII needles the text (units of type T, n of them) holds, into found; see which_in. */
#define WHICH_PASS(T)                                                                            \
    {                                                                                            \
        const T *d = (const T *)data;                                                            \
        for (Py_ssize_t i = 0; i + 1 < n; i++) {                                                 \
            Py_UCS4 c = d[i], c2 = d[i + 1];                                                     \
            if ((c | c2) >= 128) continue;                                                       \
            unsigned pair = (c << 7) | c2;                                                       \
            if (!HAS_BIT(table + GUARD_PAIRS, pair)) continue;                                   \
            int two = HAS_BIT(table + GUARD_PAIRS_TWO, pair) != 0;                               \
            Py_UCS4 c3 = i + 2 < n ? d[i + 2] : 128;                                             \
            int three = c3 < 128 && HAS_BIT(table + GUARD_TRIGRAMS, TRIGRAM(c, c2, c3));         \
            if (!two && !three) continue;                                                        \
            const unsigned char *w = list + FIRST_AT(c), *end = list + FIRST_AT(c + 1);          \
            for (; w < end; w += 2 + w[0]) {                                                     \
                Py_ssize_t len = w[0];                                                           \
                const unsigned char *b = w + 2;                                                  \
                if (b[1] != c2) continue;                                                        \
                if (len == 2) {                                                                  \
                    found |= 1ULL << w[1];                                                       \
                    continue;                                                                    \
                }                                                                                \
                if (!three || len > n - i || b[2] != c3) continue;                               \
                Py_ssize_t j = 3;                                                                \
                while (j < len && d[i + j] == b[j]) j++;                                         \
                if (j == len) found |= 1ULL << w[1];                                             \
            }                                                                                    \
        }                                                                                        \
    }

/* The bits of the table's needles that the n bytes at data hold. */
static unsigned long long which_bytes(const unsigned char *table, const void *data, Py_ssize_t n) {
    const unsigned char *list = table + GUARD_LIST;
    unsigned long long found = 0;
    WHICH_PASS(Py_UCS1)
    return found;
}

/* The parts of guards (what lines.guards() makes), borrowed: its table, and from the table's
 * tail (after the needles' list) how many needles are the caller's and the needles that are no
 * word, as (bit, gate) of 9 bytes each; read_guards gives -1 with TypeError where guards is not
 * such a tuple. */
typedef struct {
    const unsigned char *table;
    PyObject *needles;            /* tuple of str */
    PyObject *others;             /* tuple of int: bits of the needles out of the table */
    Py_ssize_t count;             /* the caller's needles, the first ones */
    Py_ssize_t nspans;            /* the needles that are no word ... */
    const unsigned char *spans;   /* ... as their bit and gate (8 bytes, little-endian) */
} Guards;

/* The last table read_guards found whole (a strong reference): a table is checked once, not at
 * every call (checking the list at every call took a quarter of which_in's instructions). */
static PyObject *guards_checked = NULL;

static int read_guards(PyObject *g, Guards *out) {
    if (!PyTuple_Check(g) || PyTuple_GET_SIZE(g) != 6) goto bad;
    PyObject *packed = PyTuple_GET_ITEM(g, 0);
    out->needles = PyTuple_GET_ITEM(g, 1);
    out->others = PyTuple_GET_ITEM(g, 2);
    if (!PyBytes_Check(packed) || PyBytes_GET_SIZE(packed) < GUARD_LIST || !PyTuple_Check(out->needles)
        || PyTuple_GET_SIZE(out->needles) > 64 || !PyTuple_Check(out->others))
        goto bad;
    const unsigned char *table = (const unsigned char *)PyBytes_AS_STRING(packed);
    Py_ssize_t size = PyBytes_GET_SIZE(packed);
    Py_ssize_t tail = GUARD_LIST + FIRST_AT(128); /* where the list ends */
    if (tail + 2 > size) goto bad;
    out->count = table[tail];
    out->nspans = table[tail + 1];
    out->spans = table + tail + 2;
    if (packed != guards_checked) {
        if (tail + 2 + 9 * out->nspans != size || out->count > 64) goto bad;
        /* Every needle's bit in the list is below 64, every span's below count. */
        for (const unsigned char *w = table + GUARD_LIST, *end = table + tail; w < end; w += 2 + w[0])
            if (w + 2 > end || w[1] >= 64 || w + 2 + w[0] > end) goto bad;
        for (Py_ssize_t k = 0; k < out->nspans; k++)
            if (out->spans[9 * k] >= out->count) goto bad;
        Py_XSETREF(guards_checked, Py_NewRef(packed));
    }
    /* What the table names must be there. */
    if (out->count > PyTuple_GET_SIZE(out->needles)) goto bad;
    out->table = table;
    return 0;
bad:
    PyErr_SetString(PyExc_TypeError, "guards must be what lines.guards() makes");
    return -1;
}

/* Tokens met so far, as one canonical str each (with whether it is a content word): a word is
 * looked up by its bytes, so a token met before costs no new str and no hash of it (the canonical
 * one has its hash cached), and the words of every line are the same objects, which the sets and
 * dicts of the rules then match by identity. Open addressing, linear probing; emptied when it
 * holds MEMO_LIMIT words, which bounds its memory on a long stream (as lines._IS_CONTENT was).
 * The table starts at MEMO_FIRST_SLOTS and doubles when half full, up to MEMO_MAX_SLOTS: the
 * words a stream has met so far are what the lookups touch (a table of 2^19 slots from the start,
 * 12.6 MB of the 24-byte slots then, spread a page's lookups over 3,000 memory pages, and each
 * worker faulted all of them in). */
#define MEMO_LIMIT 200000
#define MEMO_FIRST_SLOTS (1 << 15)
#define MEMO_MAX_SLOTS (1 << 19) /* a power of two, over twice MEMO_LIMIT */

typedef struct {
    uint32_t tag;     /* TAG_HASH: the low 31 bits of the bytes' token_hash; TAG_CONTENT: a content word */
    uint32_t bits;    /* the needles of memo_guards the word holds (MEMO_BITS at most) */
    PyObject *word;   /* the canonical str (a strong reference); NULL marks an empty slot */
} Slot; /* 16 bytes, four to a cache line: the table is a third smaller than with the whole hash */
#define TAG_HASH 0x7fffffffu
#define TAG_CONTENT 0x80000000u

/* The most needles (helpers included) whose bits the memo keeps for its words. */
#define MEMO_BITS 32

static Slot *memo = NULL;
static size_t memo_mask = 0; /* the number of slots, less one */
static Py_ssize_t memo_used = 0;
static PyObject *memo_stopwords = NULL; /* the set the content flags were computed with */
static PyObject *memo_guards = NULL;    /* the table (bytes) of the guards the bits were found with */
static const unsigned char *memo_table = NULL; /* its bytes (NULL: none yet) */

static void memo_clear(void) {
    if (memo == NULL) return;
    for (size_t i = 0; i <= memo_mask; i++) {
        if (memo[i].word != NULL) {
            Py_DECREF(memo[i].word);
            memo[i].tag = 0;
            memo[i].word = NULL;
        }
    }
    memo_used = 0;
}

/* The table at twice its size, every word moved over; -1 (and the table as it was) if no memory. */
static int memo_grow(void) {
    size_t slots = (memo_mask + 1) * 2;
    Slot *table = (Slot *)PyMem_Calloc(slots, sizeof(Slot));
    if (table == NULL) return -1;
    for (size_t i = 0; i <= memo_mask; i++) {
        if (memo[i].word == NULL) continue;
        size_t j = (memo[i].tag & TAG_HASH) & (slots - 1); /* the slot's index bits: slots <= 2^31 */
        while (table[j].word != NULL) j = (j + 1) & (slots - 1);
        table[j] = memo[i];
    }
    PyMem_Free(memo);
    memo = table;
    memo_mask = slots - 1;
    return 0;
}

/* A 64-bit hash of a token's len bytes at d (never 0), read 8 at a time: where d ends before
 * a multiple of 8, the bytes after it are read and masked off (the caller's buffer has 8 bytes to
 * spare). It replaced FNV-1a, whose multiply per character made a chain of some 4 cycles a
 * character through the tokenising loop. */
static inline uint64_t token_hash(const unsigned char *d, Py_ssize_t len) {
    uint64_t h = KEY_P1 ^ (uint64_t)len;
    Py_ssize_t i = 0;
    for (; i + 8 <= len; i += 8) h = rotl64((h ^ load64(d + i)) * KEY_P2, 31);
    if (i < len) h = rotl64((h ^ (load64(d + i) & (~0ULL >> (8 * (8 - (len - i)))))) * KEY_P2, 31);
    h ^= h >> 29;
    h *= KEY_P1;
    h ^= h >> 32;
    return h ? h : 1;
}

/* The canonical token for the bytes d[0..len) (lower-cased already), h being their token_hash; a
 * new reference, or NULL on error. *content is set to whether it is a content word, *bits to the
 * needles of memo_guards it holds. */
static PyObject *memo_get(const unsigned char *d, Py_ssize_t len, uint64_t h, PyObject *stop, int *content,
                          uint32_t *bits) {
    const uint32_t tag = (uint32_t)h & TAG_HASH;
    size_t i = h & memo_mask;
    while (memo[i].word != NULL) {
        if ((memo[i].tag & TAG_HASH) == tag && PyUnicode_GET_LENGTH(memo[i].word) == len
            && memcmp(PyUnicode_1BYTE_DATA(memo[i].word), d, (size_t)len) == 0) {
            *content = (memo[i].tag & TAG_CONTENT) != 0;
            *bits = memo[i].bits;
            Py_INCREF(memo[i].word);
            return memo[i].word;
        }
        i = (i + 1) & memo_mask;
    }
    PyObject *word = PyUnicode_New(len, 127);
    if (word == NULL) return NULL;
    memcpy(PyUnicode_1BYTE_DATA(word), d, (size_t)len);
    int is_content = 0;
    if (len >= 3 && !(d[0] >= '0' && d[0] <= '9') && memchr(d, '_', (size_t)len) == NULL) {
        int is_stop = PySet_Contains(stop, word);
        if (is_stop < 0) {
            Py_DECREF(word);
            return NULL;
        }
        is_content = !is_stop;
    }
    if (memo_used >= MEMO_LIMIT) {
        memo_clear();
        i = h & memo_mask;
    } else if ((size_t)(memo_used + 1) * 2 > memo_mask + 1 && memo_mask + 1 < MEMO_MAX_SLOTS) {
        if (memo_grow() < 0) {
            Py_DECREF(word);
            PyErr_NoMemory();
            return NULL;
        }
        i = h & memo_mask;
        while (memo[i].word != NULL) i = (i + 1) & memo_mask;
    }
    uint32_t found = memo_table == NULL ? 0 : (uint32_t)which_bytes(memo_table, d, len);
    memo[i].tag = tag | (is_content ? TAG_CONTENT : 0);
    memo[i].word = word;
    memo[i].bits = found;
    memo_used++;
    Py_INCREF(word);
    *content = is_content;
    *bits = found;
    return word;
}

/* A tuple of the n items, which it takes (each a new reference; if one is NULL, all are released
 * and NULL is returned). Py_BuildValue parses its format string on every call: some 300
 * instructions, where this takes some 30. */
static PyObject *tuple_of(Py_ssize_t n, PyObject **items) {
    PyObject *t = NULL;
    for (Py_ssize_t k = 0; k < n; k++)
        if (items[k] == NULL) goto fail;
    t = PyTuple_New(n);
    if (t == NULL) goto fail;
    for (Py_ssize_t k = 0; k < n; k++) PyTuple_SET_ITEM(t, k, items[k]);
    return t;
fail:
    for (Py_ssize_t k = 0; k < n; k++) Py_XDECREF(items[k]);
    return NULL;
}

/* The canonical str of each token of one or two characters (never a content word: those have three
 * or more), by its characters: SHORT[c1 * 128 + c2], c2 being 0 for a one-character token. Made on
 * first sight and kept for the module's life (at most 37 * 38 strings: 26 letters, 10 digits, "_"). */
static PyObject *SHORT[128 * 128];

static PyObject *short_token(const unsigned char *d, Py_ssize_t len) {
    Py_ssize_t k = (Py_ssize_t)d[0] * 128 + (len == 2 ? d[1] : 0);
    PyObject *tok = SHORT[k];
    if (tok == NULL) {
        tok = PyUnicode_New(len, 127);
        if (tok == NULL) return NULL;
        memcpy(PyUnicode_1BYTE_DATA(tok), d, (size_t)len);
        SHORT[k] = tok; /* the table keeps this reference */
    }
    Py_INCREF(tok);
    return tok;
}

/* A hint to load the line holding p into the cache (nothing where the compiler has no such hint). */
#if defined(__GNUC__) || defined(__clang__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)0)
#endif

/* A token of ascii_words: where its lower-cased bytes start in the line's buffer, how many, and
 * their hash (never 0). */
typedef struct {
    Py_ssize_t start;
    Py_ssize_t len;
    uint64_t hash;
} Tok;

static PyObject *ascii_words(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 2 && nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "ascii_words(text, stopwords[, guards]) takes 2 or 3 arguments");
        return NULL;
    }
    PyObject *text = args[0];
    PyObject *stop = args[1];
    PyObject *g = nargs == 3 ? args[2] : Py_None;
    Guards parts = {0};
    if (g != Py_None && read_guards(g, &parts) < 0) return NULL;
    /* Bits only for guards of MEMO_BITS needles or fewer (-1 for others: the caller searches). */
    int want_bits = g != Py_None && PyTuple_GET_SIZE(parts.needles) <= MEMO_BITS;
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "ascii_words: text must be a str");
        return NULL;
    }
    if (!PyFrozenSet_Check(stop)) {
        PyErr_SetString(PyExc_TypeError, "ascii_words: stopwords must be a frozenset");
        return NULL;
    }
    if (PyUnicode_READY(text) < 0) return NULL;
    if (!PyUnicode_IS_ASCII(text)) {
        PyErr_SetString(PyExc_ValueError, "ascii_words: text must be ASCII");
        return NULL;
    }
    if (memo == NULL) {
        memo = (Slot *)PyMem_Calloc(MEMO_FIRST_SLOTS, sizeof(Slot));
        if (memo == NULL) return PyErr_NoMemory();
        memo_mask = MEMO_FIRST_SLOTS - 1;
    }
    if (stop != memo_stopwords) { /* the content flags hold for one set of stopwords */
        memo_clear();
        Py_XDECREF(memo_stopwords);
        Py_INCREF(stop);
        memo_stopwords = stop;
    }
    /* The bits hold for one table (a guards tuple may be made anew around the same one); a call
     * without guards keeps it. */
    if (want_bits && PyTuple_GET_ITEM(g, 0) != memo_guards) {
        memo_clear();
        Py_XDECREF(memo_guards);
        memo_guards = Py_NewRef(PyTuple_GET_ITEM(g, 0));
        memo_table = parts.table;
    }
    const unsigned char *table = want_bits ? parts.table : NULL;
    uint32_t bits = 0;
    const unsigned char *s = PyUnicode_1BYTE_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);

    /* First pass: each token lower-cased into buf and hashed; where a memo lookup will follow
     * (three characters or more), its slot is prefetched. Second pass: the first slot of each such
     * token read (in cache by then), and the word it holds prefetched when the hash is the
     * token's. Third pass: the lookups, in order. A line's tokens are looked up among some 200,000
     * words met before: one after the other, the slot and then the word were each a cache miss
     * waiting for the last (70% of this function's time, by perf); this way the misses of a
     * line's tokens overlap. The tokens (at most one per two characters, plus one) are kept in
     * found until the list is made at its length. */
    unsigned char small_buf[256 + 8]; /* 8 bytes to spare for token_hash */
    PyObject *small_found[130];
    Tok small_toks[130];
    Py_ssize_t most = n / 2 + 1;
    unsigned char *buf = small_buf;
    PyObject **found = small_found;
    Tok *toks = small_toks;
    PyObject *content = NULL, *result = NULL;
    Py_ssize_t t = 0; /* the tokens held in found */
    int ai = 0;
    if (n > (Py_ssize_t)sizeof(small_buf) - 8 || most > (Py_ssize_t)(sizeof(small_found) / sizeof(small_found[0]))) {
        buf = (unsigned char *)PyMem_Malloc((size_t)n + 8);
        found = (PyObject **)PyMem_Malloc((size_t)most * sizeof(PyObject *));
        toks = (Tok *)PyMem_Malloc((size_t)most * sizeof(Tok));
        if (buf == NULL || found == NULL || toks == NULL) {
            PyErr_NoMemory();
            goto done;
        }
    }
    Py_ssize_t ntok = 0, used = 0;
    for (Py_ssize_t i = 0; i < n;) {
        unsigned char c = WORD_LOWER[s[i]];
        if (c == 0) {
            i++;
            continue;
        }
        Py_ssize_t start = used;
        do {
            buf[used++] = c;
            i++;
        } while (i < n && (c = WORD_LOWER[s[i]]) != 0);
        uint64_t h = token_hash(buf + start, used - start);
        toks[ntok].start = start;
        toks[ntok].len = used - start;
        toks[ntok].hash = h;
        if (used - start > 2) PREFETCH(&memo[h & memo_mask]);
        ntok++;
    }
    for (Py_ssize_t k = 0; k < ntok; k++) {
        if (toks[k].len <= 2) continue;
        const Slot *slot = &memo[toks[k].hash & memo_mask];
        if (slot->word != NULL && (slot->tag & TAG_HASH) == ((uint32_t)toks[k].hash & TAG_HASH)) PREFETCH(slot->word);
    }
    content = PyFrozenSet_New(NULL);
    if (content == NULL) goto done;
    for (Py_ssize_t k = 0; k < ntok; k++) {
        const unsigned char *d = buf + toks[k].start;
        Py_ssize_t len = toks[k].len;
        PyObject *tok;
        if (len <= 2) {
            if (len == 2) {
                if (d[0] == 'a' && d[1] == 'i') ai = 1;
                if (table != NULL) bits |= (uint32_t)which_bytes(table, d, 2);
            }
            tok = short_token(d, len);
            if (tok == NULL) goto done;
        } else {
            int is_content = 0;
            uint32_t word_bits = 0;
            tok = memo_get(d, len, toks[k].hash, stop, &is_content, &word_bits);
            if (tok == NULL) goto done;
            bits |= word_bits;
            if (is_content && PySet_Add(content, tok) < 0) {
                Py_DECREF(tok);
                goto done;
            }
        }
        found[t++] = tok; /* owned by found until the list takes it */
    }
    PyObject *tokens = PyList_New(t);
    if (tokens == NULL) goto done;
    if (t > 0) memcpy(((PyListObject *)tokens)->ob_item, found, (size_t)t * sizeof(PyObject *));
    t = 0; /* the list owns them now */
    PyObject *items[4] = {tokens, content, Py_NewRef(ai ? Py_True : Py_False),
                          table == NULL ? PyLong_FromLong(-1) : PyLong_FromUnsignedLong(bits)};
    result = tuple_of(4, items);
    content = NULL; /* the tuple's now (or freed with the list, had it not been made) */

done: /* success and failure alike */
    for (Py_ssize_t k = 0; k < t; k++) Py_DECREF(found[k]);
    if (buf != small_buf) PyMem_Free(buf);
    if (found != small_found) PyMem_Free(found);
    if (toks != small_toks) PyMem_Free(toks);
    Py_XDECREF(content);
    return result;
}

/* Character ch of a non-ASCII text at o[j] (ASCII kept, the punctuation as "~"); jumps to decline
 * at a character that is neither, and sets bad at an unprintable one or "&". */
#define MARK_ONE(ch, j)                                                                \
    {                                                                                  \
        if ((ch) < 0x80) {                                                             \
            bad |= ((ch) < 0x20) | ((ch) == 0x7F) | ((ch) == '&');                     \
            o[j] = (Py_UCS1)(ch);                                                      \
        } else {                                                                       \
            Py_ssize_t k = 0;                                                          \
            while (k < np && PyUnicode_READ(pkind, pdata, k) != (ch)) k++;             \
            if (k == np) goto decline;                                                 \
            o[j] = (Py_UCS1)'~';                                                       \
        }                                                                              \
    }

/* MARK_ONE over characters from..n of a text of code unit type T. */
#define MARK_PASS(T, from)                                                             \
    {                                                                                  \
        const T *d = (const T *)data;                                                  \
        for (Py_ssize_t at = (from); at < n; at++) {                                   \
            Py_UCS4 ch = d[at];                                                        \
            MARK_ONE(ch, at)                                                           \
        }                                                                              \
    }

/* text marked (see marked_by_sight), a new reference, or Py_None (a new reference) where it
 * declines; NULL on error. *spaced is set to whether text holds two plain spaces side by side. */
static PyObject *mark(PyObject *punct, PyObject *text, int *spaced) {
    if (PyUnicode_READY(text) < 0 || PyUnicode_READY(punct) < 0) return NULL;
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    if (PyUnicode_IS_ASCII(text)) {
        const unsigned char *s = PyUnicode_1BYTE_DATA(text);
        int bad = 0, two = 0;
        for (Py_ssize_t i = 0; i < n; i++) { /* two loops the compiler vectorises */
            unsigned char c = s[i];
            bad |= (c < 0x20) | (c == 0x7F) | (c == '&');
        }
        for (Py_ssize_t i = 1; i < n; i++) two |= (s[i] == ' ') & (s[i - 1] == ' ');
        *spaced = two;
        if (bad) Py_RETURN_NONE;
        Py_INCREF(text);
        return text;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    int pkind = PyUnicode_KIND(punct);
    const void *pdata = PyUnicode_DATA(punct);
    Py_ssize_t np = PyUnicode_GET_LENGTH(punct);
    PyObject *out = PyUnicode_New(n, 127);
    if (out == NULL) return NULL;
    Py_UCS1 *o = PyUnicode_1BYTE_DATA(out);
    int bad = 0, two = 0;
    if (kind == PyUnicode_1BYTE_KIND) MARK_PASS(Py_UCS1, 0)
    else if (kind == PyUnicode_2BYTE_KIND) {
        Py_ssize_t i = 0;
#if defined(DEDUP_SSE2)
        /* Eight characters at a time where all are ASCII (most of a line that has a curly quote):
         * tested for the unprintable ones and "&", and narrowed to bytes, in a few instructions;
         * a block with another character goes through MARK_ONE. */
        const Py_UCS2 *d = (const Py_UCS2 *)data;
        const __m128i high = _mm_set1_epi16((short)0xff80), space = _mm_set1_epi16(0x20), del = _mm_set1_epi16(0x7f),
                      amp = _mm_set1_epi16('&'), zero = _mm_setzero_si128();
        __m128i seen = zero;
        for (; i + 8 <= n; i += 8) {
            __m128i x = _mm_loadu_si128((const __m128i *)(d + i));
            if (_mm_movemask_epi8(_mm_cmpeq_epi16(_mm_and_si128(x, high), zero)) != 0xFFFF) {
                for (Py_ssize_t j = i; j < i + 8; j++) {
                    Py_UCS4 ch = d[j];
                    MARK_ONE(ch, j)
                }
                continue;
            }
            seen = _mm_or_si128(seen, _mm_or_si128(_mm_cmplt_epi16(x, space), _mm_or_si128(_mm_cmpeq_epi16(x, del), _mm_cmpeq_epi16(x, amp))));
            _mm_storel_epi64((__m128i *)(o + i), _mm_packus_epi16(x, x));
        }
        bad |= _mm_movemask_epi8(seen) != 0;
#endif
        MARK_PASS(Py_UCS2, i)
    }
    else MARK_PASS(Py_UCS4, 0)
    /* Two marks side by side may be two punctuation characters (or a "~" of the line's own). A
     * plain space stays one in the marked text, and nothing else becomes one. */
    for (Py_ssize_t i = 1; i < n; i++) {
        bad |= (o[i] == '~') & (o[i - 1] == '~');
        two |= (o[i] == ' ') & (o[i - 1] == ' ');
    }
    *spaced = two;
    if (bad) goto decline;
    return out;

decline:
    Py_DECREF(out);
    Py_RETURN_NONE;
}

static PyObject *marked_by_sight(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 2 || !PyUnicode_Check(args[0]) || !PyUnicode_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "marked_by_sight(punct, text) takes 2 str");
        return NULL;
    }
    int spaced;
    return mark(args[0], args[1], &spaced);
}

static PyObject *plain_parts(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 2 || !PyUnicode_Check(args[0]) || !PyUnicode_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "plain_parts(punct, text) takes 2 str");
        return NULL;
    }
    PyObject *text = args[1];
    int spaced = 0;
    PyObject *marked = mark(args[0], text, &spaced);
    if (marked == NULL || marked == Py_None) return marked;
    PyObject *plain;
    if (spaced) { /* " ".join(text.split()) */
        PyObject *words = PyUnicode_Split(text, NULL, -1);
        PyObject *space = words ? PyUnicode_FromStringAndSize(" ", 1) : NULL;
        plain = space ? PyUnicode_Join(space, words) : NULL;
        Py_XDECREF(space);
        Py_XDECREF(words);
    } else { /* text.strip(" ") */
        Py_ssize_t a = 0, b = PyUnicode_GET_LENGTH(text);
        int kind = PyUnicode_KIND(text);
        const void *data = PyUnicode_DATA(text);
        while (a < b && PyUnicode_READ(kind, data, a) == ' ') a++;
        while (b > a && PyUnicode_READ(kind, data, b - 1) == ' ') b--;
        plain = PyUnicode_Substring(text, a, b); /* text itself when nothing is cut */
    }
    if (plain == NULL) {
        Py_DECREF(marked);
        return NULL;
    }
    PyObject *out = PyTuple_Pack(2, plain, marked);
    Py_DECREF(plain);
    Py_DECREF(marked);
    return out;
}

/* Whether text holds needle (both str): a search of the first character with memchr and a
 * comparison where both are one byte a character, PyUnicode_Contains otherwise; -1 on error.
 * (PyUnicode_Contains for every needle: 534.2 M instructions on the stream, against 531.5 M.) */
static int holds(PyObject *text, PyObject *needle) {
    if (!PyUnicode_Check(needle)) {
        PyErr_SetString(PyExc_TypeError, "which_in: guards must be what lines.guards() makes");
        return -1;
    }
    if (PyUnicode_READY(needle) < 0) return -1;
    /* An ASCII text holds no other character. */
    if (PyUnicode_IS_ASCII(text) && !PyUnicode_IS_ASCII(needle)) return 0;
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), m = PyUnicode_GET_LENGTH(needle);
    if (PyUnicode_KIND(text) != PyUnicode_1BYTE_KIND || PyUnicode_KIND(needle) != PyUnicode_1BYTE_KIND || m == 0)
        return PyUnicode_Contains(text, needle);
    const unsigned char *t = PyUnicode_1BYTE_DATA(text), *w = PyUnicode_1BYTE_DATA(needle);
    /* places 0..n-m, where the needle can start */
    for (Py_ssize_t at = 0; at + m <= n; at++) {
        const unsigned char *p = (const unsigned char *)memchr(t + at, w[0], (size_t)(n - m - at + 1));
        if (p == NULL) return 0;
        at = p - t;
        if (memcmp(p + 1, w + 1, (size_t)(m - 1)) == 0) return 1;
    }
    return 0;
}

static PyObject *which_in(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if ((nargs != 2 && nargs != 3) || !PyUnicode_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "which_in(text, guards[, word_bits]) takes a str and what lines.guards() makes");
        return NULL;
    }
    PyObject *text = args[0];
    Guards g;
    if (read_guards(args[1], &g) < 0) return NULL;
    long long word_bits = -1;
    if (nargs == 3) {
        word_bits = PyLong_AsLongLong(args[2]);
        if (word_bits == -1 && PyErr_Occurred()) return NULL;
    }
    if (PyUnicode_READY(text) < 0) return NULL;
    Py_ssize_t total = PyTuple_GET_SIZE(g.needles);
    unsigned long long mask = g.count == 64 ? ~0ULL : (1ULL << g.count) - 1;
    unsigned long long found = 0;
    if (word_bits >= 0) {
        /* The word needles from the bits of the tokens; the others searched for, each where the
         * tokens hold its gate. */
        unsigned long long known = (unsigned long long)word_bits;
        found = known & mask;
        for (Py_ssize_t k = 0; k < g.nspans; k++) {
            const unsigned char *span = g.spans + 9 * k;
            unsigned long long gate = 0;
            for (int b = 7; b >= 0; b--) gate = (gate << 8) | span[1 + b];
            if ((known & gate) != gate) continue;
            int r = holds(text, PyTuple_GET_ITEM(g.needles, span[0]));
            if (r < 0) return NULL;
            if (r) found |= 1ULL << span[0];
        }
        return PyLong_FromUnsignedLongLong(found);
    }
    const unsigned char *table = g.table;
    const unsigned char *list = table + GUARD_LIST;
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    if (kind == PyUnicode_1BYTE_KIND) WHICH_PASS(Py_UCS1)
    else if (kind == PyUnicode_2BYTE_KIND) WHICH_PASS(Py_UCS2)
    else WHICH_PASS(Py_UCS4)
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(g.others); k++) {
        Py_ssize_t bit = PyLong_AsSsize_t(PyTuple_GET_ITEM(g.others, k));
        if (bit == -1 && PyErr_Occurred()) return NULL;
        if (bit < 0 || bit >= total) goto bad;
        int r = PyUnicode_Contains(text, PyTuple_GET_ITEM(g.needles, bit));
        if (r < 0) return NULL;
        if (r) found |= 1ULL << bit;
    }
    return PyLong_FromUnsignedLongLong(found & mask);
bad:
    PyErr_SetString(PyExc_TypeError, "which_in: guards must be what lines.guards() makes");
    return NULL;
}

#define LOWER_PASS(T)                                                       \
    {                                                                       \
        const T *d = (const T *)PyUnicode_DATA(text);                       \
        T *o = (T *)PyUnicode_DATA(out);                                    \
        for (Py_ssize_t i = 0; i < n; i++) {                                \
            T c = d[i];                                                     \
            o[i] = (c >= 'A' && c <= 'Z') ? (T)(c + ('a' - 'A')) : c;       \
        }                                                                   \
    }

static PyObject *lower_ascii(PyObject *self, PyObject *arg) {
    (void)self;
    if (!PyUnicode_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "lower_ascii(text) takes a str");
        return NULL;
    }
    PyObject *text = arg;
    if (PyUnicode_READY(text) < 0) return NULL;
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    PyObject *out = PyUnicode_New(n, PyUnicode_MAX_CHAR_VALUE(text));
    if (out == NULL) return NULL;
    int kind = PyUnicode_KIND(text);
    if (kind == PyUnicode_1BYTE_KIND) LOWER_PASS(Py_UCS1)
    else if (kind == PyUnicode_2BYTE_KIND) LOWER_PASS(Py_UCS2)
    else LOWER_PASS(Py_UCS4)
    return out;
}


/* Whether text holds a character from first to last (code points): one pass over a text of two or
 * four bytes a character, none over a text whose kind holds no such character (a text of Latin-1
 * characters for a range of Thai or Cyrillic). */
#define IN_RANGE_PASS(T)                                                              \
    {                                                                                 \
        const T *d = (const T *)PyUnicode_DATA(text);                                 \
        for (Py_ssize_t i = 0; i < n; i++)                                            \
            if ((Py_UCS4)d[i] - (Py_UCS4)first <= span) Py_RETURN_TRUE;               \
    }

static PyObject *in_range(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 3 || !PyUnicode_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "in_range(text, first, last) takes a str and two code points");
        return NULL;
    }
    PyObject *text = args[0];
    long first = PyLong_AsLong(args[1]);
    if (first == -1 && PyErr_Occurred()) return NULL;
    long last = PyLong_AsLong(args[2]);
    if (last == -1 && PyErr_Occurred()) return NULL;
    if (PyUnicode_READY(text) < 0) return NULL;
    if (first < 0) first = 0;
    if (last > 0x10FFFF) last = 0x10FFFF;
    if (first > last || (Py_UCS4)first > PyUnicode_MAX_CHAR_VALUE(text)) Py_RETURN_FALSE;
    Py_UCS4 span = (Py_UCS4)(last - first);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    if (kind == PyUnicode_1BYTE_KIND) IN_RANGE_PASS(Py_UCS1)
    else if (kind == PyUnicode_2BYTE_KIND) IN_RANGE_PASS(Py_UCS2)
    else IN_RANGE_PASS(Py_UCS4)
    Py_RETURN_FALSE;
}

/* page_counts' table, kept between calls (no clearing: a slot is in use when its stamp is the
 * call's). Grown to a power of two at least twice the words of a page; one grown past COUNTS_KEEP
 * slots for a huge page is freed when its call ends. */
#define COUNTS_KEEP 65536
typedef struct {
    PyObject *key; /* borrowed: the sets hold their keys for the whole call */
    Py_hash_t hash;
    Py_ssize_t count;
    uint32_t stamp;
} Count;

static Count *counts = NULL;
static size_t counts_mask = 0;
static uint32_t counts_stamp = 0;
static Py_ssize_t *counts_order = NULL; /* the slots in order of their keys' first sight */
static size_t counts_order_cap = 0;

static int counts_reserve(Py_ssize_t words) {
    size_t want = 16;
    while (want < (size_t)words * 2) want <<= 1;
    if (want > counts_mask + 1 || counts == NULL) {
        Count *t = (Count *)PyMem_Calloc(want, sizeof(Count));
        if (t == NULL) return -1;
        PyMem_Free(counts);
        counts = t;
        counts_mask = want - 1;
        counts_stamp = 0;
    }
    if ((size_t)words > counts_order_cap || counts_order == NULL) {
        size_t cap = (size_t)words < 64 ? 64 : (size_t)words;
        Py_ssize_t *o = (Py_ssize_t *)PyMem_Malloc(cap * sizeof(Py_ssize_t));
        if (o == NULL) return -1;
        PyMem_Free(counts_order);
        counts_order = o;
        counts_order_cap = cap;
    }
    if (++counts_stamp == 0) { /* wrapped: clear the stamps once in 2^32 calls */
        memset(counts, 0, (counts_mask + 1) * sizeof(Count));
        counts_stamp = 1;
    }
    return 0;
}

/* Whether two ready str hold the same characters (_PyUnicode_EQ, which 3.13 no longer exports). */
static int str_eq(PyObject *a, PyObject *b) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(a);
    return n == PyUnicode_GET_LENGTH(b) && PyUnicode_KIND(a) == PyUnicode_KIND(b)
           && memcmp(PyUnicode_DATA(a), PyUnicode_DATA(b), (size_t)n * PyUnicode_KIND(a)) == 0;
}

static PyObject *page_counts(PyObject *self, PyObject *arg) {
    (void)self;
    if (!PyList_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "page_counts(word_sets) takes a list of sets of str");
        return NULL;
    }
    Py_ssize_t nsets = PyList_GET_SIZE(arg), words = 0;
    for (Py_ssize_t i = 0; i < nsets; i++) {
        PyObject *s = PyList_GET_ITEM(arg, i);
        if (!PyAnySet_Check(s)) {
            PyErr_SetString(PyExc_TypeError, "page_counts(word_sets) takes a list of sets of str");
            return NULL;
        }
        words += PySet_GET_SIZE(s);
    }
    if (counts_reserve(words) < 0) return PyErr_NoMemory();
    const uint32_t stamp = counts_stamp;
    Py_ssize_t distinct = 0, shared = 0;
    PyObject *df = NULL, *common = NULL, *out = NULL;
    for (Py_ssize_t i = 0; i < nsets; i++) {
        PySetObject *s = (PySetObject *)PyList_GET_ITEM(arg, i);
        /* The set's own table, in the order iterating it gives; a slot without a key or with the
         * hash -1 (a deleted key's marker; no str hashes to -1) holds no word. */
        for (Py_ssize_t k = 0; k <= s->mask; k++) {
            PyObject *key = s->table[k].key;
            Py_hash_t hash = s->table[k].hash;
            if (key == NULL || hash == -1) continue;
            if (!PyUnicode_CheckExact(key)) {
                PyErr_SetString(PyExc_TypeError, "page_counts(word_sets): the sets must hold str only");
                goto fail;
            }
            size_t j = (size_t)hash & counts_mask, perturb = (size_t)hash;
            for (;;) {
                Count *c = &counts[j];
                if (c->stamp != stamp) {
                    c->stamp = stamp;
                    c->key = key;
                    c->hash = hash;
                    c->count = 1;
                    counts_order[distinct++] = (Py_ssize_t)j;
                    break;
                }
                if (c->key == key || (c->hash == hash && str_eq(c->key, key))) {
                    if (++c->count == 2) shared++;
                    break;
                }
                perturb >>= 5;
                j = (j * 5 + 1 + perturb) & counts_mask;
            }
        }
    }
#if PY_VERSION_HEX < 0x030E0000
    df = _PyDict_NewPresized(shared);
#else
    df = PyDict_New();
#endif
    common = PySet_New(NULL);
    if (df == NULL || common == NULL) goto fail;
    for (Py_ssize_t k = 0; k < distinct && shared > 0; k++) {
        const Count *c = &counts[counts_order[k]];
        if (c->count < 2) continue;
        shared--;
        PyObject *v = PyLong_FromSsize_t(c->count);
        if (v == NULL) goto fail;
        int r = PyDict_SetItem(df, c->key, v);
        Py_DECREF(v);
        if (r < 0 || PySet_Add(common, c->key) < 0) goto fail;
    }
    {
        PyObject *items[3] = {Py_NewRef(df), Py_NewRef(common), PyLong_FromSsize_t(distinct)};
        out = tuple_of(3, items);
    }
fail:
    if (counts_mask + 1 > COUNTS_KEEP) {
        PyMem_Free(counts);
        PyMem_Free(counts_order);
        counts = NULL;
        counts_order = NULL;
        counts_mask = 0;
        counts_order_cap = 0;
    }
    Py_XDECREF(df);
    Py_XDECREF(common);
    return out;
}

static PyObject *drop_counts(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 3 || !PyList_Check(args[0]) || !PyAnySet_Check(args[1]) || !PyDict_Check(args[2])) {
        PyErr_SetString(PyExc_TypeError, "drop_counts(word_sets, shared, df) takes a list of sets, a set and a dict");
        return NULL;
    }
    PyObject *sets = args[0], *shared = args[1], *df = args[2];
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(sets); i++) {
        if (!PyAnySet_Check(PyList_GET_ITEM(sets, i))) {
            PyErr_SetString(PyExc_TypeError, "drop_counts(word_sets, shared, df): word_sets must hold sets");
            return NULL;
        }
    }
    PyObject *fell = PyList_New(0);
    if (fell == NULL) return NULL;
    Py_ssize_t gone = 0;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(sets); i++) {
        PySetObject *words = (PySetObject *)PyList_GET_ITEM(sets, i);
        for (Py_ssize_t k = 0; k <= words->mask; k++) {
            PyObject *key = words->table[k].key;
            if (key == NULL || words->table[k].hash == -1) continue;
            int r = PySet_Contains(shared, key);
            if (r < 0) goto fail;
            if (!r) {
                gone++;
                continue;
            }
            PyObject *v = PyDict_GetItemWithError(df, key); /* borrowed */
            if (v == NULL) {
                if (!PyErr_Occurred()) PyErr_SetObject(PyExc_KeyError, key);
                goto fail;
            }
            Py_ssize_t n = PyLong_AsSsize_t(v);
            if (n == -1 && PyErr_Occurred()) goto fail;
            PyObject *lowered = PyLong_FromSsize_t(n - 1);
            if (lowered == NULL) goto fail;
            r = PyDict_SetItem(df, key, lowered);
            Py_DECREF(lowered);
            if (r < 0 || (n - 1 == 1 && PyList_Append(fell, key) < 0)) goto fail;
        }
    }
    PyObject *items[2] = {fell, PyLong_FromSsize_t(gone)};
    return tuple_of(2, items);

fail:
    Py_DECREF(fell);
    return NULL;
}


/* A 64-bit key of a str's characters (the bytes of its canonical representation, their width
 * mixed in: equal strs have equal representations), for finding a text met before. Not Python's
 * hash: that is SipHash, keyed against crafted collisions in dicts, and took some 20 ms of the
 * main process per 10k pages of the generated corpus (38 M characters, over half of them two
 * bytes wide). Four independent lanes of multiply and rotate keep the multiplier busy. A caller
 * compares the texts themselves on a hit (see same_text): a collision costs a comparison, never
 * a wrong answer. */
static uint64_t text_key(PyObject *text) {
    const unsigned char *p = (const unsigned char *)PyUnicode_DATA(text);
    uint64_t kind = (uint64_t)PyUnicode_KIND(text);
    size_t n = (size_t)PyUnicode_GET_LENGTH(text) * (size_t)kind;
    uint64_t a = KEY_P1 ^ n, b = KEY_P2 + kind, c = ~KEY_P1, d = ~KEY_P2 ^ n;
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        a = rotl64((a ^ load64(p + i)) * KEY_P1, 29);
        b = rotl64((b ^ load64(p + i + 8)) * KEY_P1, 29);
        c = rotl64((c ^ load64(p + i + 16)) * KEY_P1, 29);
        d = rotl64((d ^ load64(p + i + 24)) * KEY_P1, 29);
    }
    for (; i + 8 <= n; i += 8) a = rotl64((a ^ load64(p + i)) * KEY_P2, 31);
    if (i < n) {
        uint64_t last = 0;
        memcpy(&last, p + i, n - i);
        b = rotl64((b ^ last) * KEY_P2, 31);
    }
    return fmix64(fmix64(a) ^ rotl64(fmix64(b), 17) ^ rotl64(fmix64(c), 31) ^ rotl64(fmix64(d), 47));
}

/* repeat_counts(keys) -> None if no two keys are equal, else (counts, copies): for each key, how
 * many keys equal it, and which of those it is (1 for the first). See the top of the file. */
static PyObject *repeat_counts(PyObject *self, PyObject *keys) {
    (void)self;
    if (!PyList_Check(keys)) {
        PyErr_SetString(PyExc_TypeError, "repeat_counts(keys) takes a list of str");
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(keys);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *key = PyList_GET_ITEM(keys, i);
        if (!PyUnicode_CheckExact(key)) {
            PyErr_SetString(PyExc_TypeError, "repeat_counts(keys): the keys must be str");
            return NULL;
        }
        if (PyUnicode_READY(key) < 0) return NULL;
    }
    size_t cap = 16;
    while (cap < (size_t)n * 2) cap <<= 1;
    /* slot: the index of the first key of its text (-1: empty) and that text's key. first[i]: the
     * index of the first key equal to key i; seen[f]: the keys equal to key f met so far. */
    Py_ssize_t small_slot[256], small_first[128], small_seen[128];
    uint64_t small_hash[256];
    Py_ssize_t *slot = small_slot, *first = small_first, *seen = small_seen;
    uint64_t *hash = small_hash;
    PyObject *out = NULL, *counts = NULL, *copies = NULL;
    if (cap > 256 || n > 128) {
        slot = (Py_ssize_t *)PyMem_Malloc(cap * sizeof(Py_ssize_t));
        hash = (uint64_t *)PyMem_Malloc(cap * sizeof(uint64_t));
        first = (Py_ssize_t *)PyMem_Malloc(((size_t)n + 1) * sizeof(Py_ssize_t));
        seen = (Py_ssize_t *)PyMem_Malloc(((size_t)n + 1) * sizeof(Py_ssize_t));
        if (slot == NULL || hash == NULL || first == NULL || seen == NULL) {
            PyErr_NoMemory();
            goto done;
        }
    }
    for (size_t j = 0; j < cap; j++) slot[j] = -1;
    int repeated = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *key = PyList_GET_ITEM(keys, i);
        uint64_t h = text_key(key);
        size_t j = (size_t)h & (cap - 1);
        for (;;) {
            Py_ssize_t k = slot[j];
            if (k < 0) {
                slot[j] = i;
                hash[j] = h;
                first[i] = i;
                break;
            }
            PyObject *other = PyList_GET_ITEM(keys, k);
            if (hash[j] == h && (other == key || str_eq(other, key))) {
                first[i] = k;
                repeated = 1;
                break;
            }
            j = (j + 1) & (cap - 1);
        }
        seen[i] = 0;
    }
    if (!repeated) {
        out = Py_NewRef(Py_None);
        goto done;
    }
    counts = PyList_New(n);
    copies = PyList_New(n);
    if (counts == NULL || copies == NULL) goto done;
    for (Py_ssize_t i = 0; i < n; i++) seen[first[i]]++; /* seen: each text's total, for now */
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *c = PyLong_FromSsize_t(seen[first[i]]);
        if (c == NULL) goto done;
        PyList_SET_ITEM(counts, i, c);
    }
    for (Py_ssize_t i = 0; i < n; i++) seen[i] = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *c = PyLong_FromSsize_t(++seen[first[i]]);
        if (c == NULL) goto done;
        PyList_SET_ITEM(copies, i, c);
    }
    {
        PyObject *items[2] = {Py_NewRef(counts), Py_NewRef(copies)};
        out = tuple_of(2, items);
    }
done:
    Py_XDECREF(counts);
    Py_XDECREF(copies);
    if (slot != small_slot) {
        PyMem_Free(slot);
        PyMem_Free(hash);
        PyMem_Free(first);
        PyMem_Free(seen);
    }
    return out;
}

/* The text of an (id, str) tuple, borrowed; NULL (no error set) for anything else. */
static PyObject *pair_text(PyObject *item) {
    if (!PyTuple_CheckExact(item) || PyTuple_GET_SIZE(item) != 2) return NULL;
    PyObject *text = PyTuple_GET_ITEM(item, 1);
    return PyUnicode_CheckExact(text) ? text : NULL;
}

/* pair_facts(item) -> (length, key) of item[1], for an (id, text) tuple with a str text; else
 * None. Reads the text through borrowed pointers: a forked cleaning worker shares the caller's
 * documents copy-on-write, and a reference taken to a text, or a hash stored in it (as str's own
 * hash is), writes the page it lies on, which is then copied (see parallel.Cleaners). The key is
 * text_key's. */
static PyObject *pair_facts(PyObject *self, PyObject *item) {
    (void)self;
    PyObject *text = pair_text(item);
    if (text == NULL) Py_RETURN_NONE;
    return Py_BuildValue("(nL)", PyUnicode_GET_LENGTH(text), (long long)text_key(text));
}

/* same_text(documents, i, j) -> whether documents[i] and documents[j] are (id, str) tuples with
 * equal texts, read through borrowed pointers (see pair_facts). */
static PyObject *same_text(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 3 || !PyList_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "same_text(documents, i, j) takes a list and two indices");
        return NULL;
    }
    Py_ssize_t i = PyLong_AsSsize_t(args[1]);
    if (i == -1 && PyErr_Occurred()) return NULL;
    Py_ssize_t j = PyLong_AsSsize_t(args[2]);
    if (j == -1 && PyErr_Occurred()) return NULL;
    Py_ssize_t n = PyList_GET_SIZE(args[0]);
    if (i < 0 || i >= n || j < 0 || j >= n) {
        PyErr_Format(PyExc_IndexError, "same_text: no document %zd or %zd", i, j);
        return NULL;
    }
    PyObject *a = pair_text(PyList_GET_ITEM(args[0], i)), *b = pair_text(PyList_GET_ITEM(args[0], j));
    if (a == NULL || b == NULL) Py_RETURN_FALSE;
    Py_ssize_t len = PyUnicode_GET_LENGTH(a);
    int kind = PyUnicode_KIND(a);
    if (len != PyUnicode_GET_LENGTH(b) || kind != (int)PyUnicode_KIND(b)) Py_RETURN_FALSE;
    return PyBool_FromLong(memcmp(PyUnicode_DATA(a), PyUnicode_DATA(b), (size_t)len * (size_t)kind) == 0);
}

/* copy_texts(documents, indices) -> [a copy of documents[i][1] for i in indices], each document an
 * (id, str) tuple, read through borrowed pointers (see pair_facts): the copies are the worker's own
 * memory and the caller's pages stay shared. */
static PyObject *copy_texts(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 2 || !PyList_Check(args[0]) || !PyList_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "copy_texts(documents, indices) takes two lists");
        return NULL;
    }
    PyObject *docs = args[0], *indices = args[1];
    Py_ssize_t n = PyList_GET_SIZE(indices);
    PyObject *out = PyList_New(n);
    if (out == NULL) return NULL;
    for (Py_ssize_t k = 0; k < n; k++) {
        Py_ssize_t i = PyLong_AsSsize_t(PyList_GET_ITEM(indices, k));
        if (i == -1 && PyErr_Occurred()) goto fail;
        if (i < 0 || i >= PyList_GET_SIZE(docs)) {
            PyErr_Format(PyExc_IndexError, "copy_texts: no document %zd", i);
            goto fail;
        }
        PyObject *text = pair_text(PyList_GET_ITEM(docs, i));
        if (text == NULL) {
            PyErr_Format(PyExc_TypeError, "copy_texts: document %zd is not an (id, str) tuple", i);
            goto fail;
        }
        Py_ssize_t len = PyUnicode_GET_LENGTH(text);
        PyObject *copy = PyUnicode_New(len, PyUnicode_MAX_CHAR_VALUE(text));
        if (copy == NULL) goto fail;
        memcpy(PyUnicode_DATA(copy), PyUnicode_DATA(text), (size_t)len * PyUnicode_KIND(text));
        PyList_SET_ITEM(out, k, copy);
    }
    return out;

fail:
    Py_DECREF(out);
    return NULL;
}

/* ---- encode_into ---------------------------------------------------------------------------- */

/* The UTF-8 size of text, Python's "surrogatepass" (a surrogate takes 3 bytes like any other
 * character from U+0800 to U+FFFF). */
static Py_ssize_t utf8_size(PyObject *text) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), size = n;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    if (PyUnicode_IS_ASCII(text)) return n;
    if (kind == PyUnicode_1BYTE_KIND) {
        const Py_UCS1 *s = data;
        for (Py_ssize_t i = 0; i < n; i++) size += s[i] >> 7;
    } else if (kind == PyUnicode_2BYTE_KIND) {
        const Py_UCS2 *s = data;
        for (Py_ssize_t i = 0; i < n; i++) size += (s[i] >= 0x80) + (s[i] >= 0x800);
    } else {
        const Py_UCS4 *s = data;
        for (Py_ssize_t i = 0; i < n; i++) size += (s[i] >= 0x80) + (s[i] >= 0x800) + (s[i] >= 0x10000);
    }
    return size;
}

static inline unsigned char *put_utf8(unsigned char *o, Py_UCS4 c) {
    if (c < 0x80) {
        *o++ = (unsigned char)c;
    } else if (c < 0x800) {
        *o++ = (unsigned char)(0xC0 | (c >> 6));
        *o++ = (unsigned char)(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        *o++ = (unsigned char)(0xE0 | (c >> 12));
        *o++ = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
        *o++ = (unsigned char)(0x80 | (c & 0x3F));
    } else {
        *o++ = (unsigned char)(0xF0 | (c >> 18));
        *o++ = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
        *o++ = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
        *o++ = (unsigned char)(0x80 | (c & 0x3F));
    }
    return o;
}

/* Write text in UTF-8 at o (room enough checked by the caller); returns the end. Runs of ASCII go
 * 8 bytes (UCS1) or 4 characters (UCS2) at a time. */
static unsigned char *write_utf8(PyObject *text, unsigned char *o) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), i = 0;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    if (PyUnicode_IS_ASCII(text)) {
        memcpy(o, data, (size_t)n);
        return o + n;
    }
    if (kind == PyUnicode_1BYTE_KIND) {
        const Py_UCS1 *s = data;
        while (i < n) {
            if (i + 8 <= n) {
                uint64_t w = load64(s + i);
                if (!(w & 0x8080808080808080ULL)) {
                    memcpy(o, &w, 8);
                    o += 8;
                    i += 8;
                    continue;
                }
            }
            o = put_utf8(o, s[i++]);
        }
    } else if (kind == PyUnicode_2BYTE_KIND) {
        const Py_UCS2 *s = data;
        while (i < n) {
            if (i + 4 <= n) {
                uint64_t w = load64((const unsigned char *)(s + i));
                if (!(w & 0xFF80FF80FF80FF80ULL)) {
                    o[0] = (unsigned char)w;
                    o[1] = (unsigned char)(w >> 16);
                    o[2] = (unsigned char)(w >> 32);
                    o[3] = (unsigned char)(w >> 48);
                    o += 4;
                    i += 4;
                    continue;
                }
            }
            o = put_utf8(o, s[i++]);
        }
    } else {
        const Py_UCS4 *s = data;
        while (i < n) o = put_utf8(o, s[i++]);
    }
    return o;
}

/* 1: text holds an ASCII letter or digit; 0: none and text is ASCII; -1: none, not ASCII. */
static int ascii_alnum(PyObject *text) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c < 0x80 && ((c | 0x20) - 'a' < 26 || c - '0' < 10)) return 1;
    }
    return PyUnicode_IS_ASCII(text) ? 0 : -1;
}

/* Python's hash of the n bytes at p, hash(bytes) (NULL on an error; 3.13 hides _Py_HashBytes). */
static PyObject *bytes_hash(const unsigned char *p, Py_ssize_t n) {
#if PY_VERSION_HEX >= 0x030E0000
    return PyLong_FromSsize_t(Py_HashBuffer(p, n));
#elif PY_VERSION_HEX >= 0x030D0000
    PyObject *b = PyBytes_FromStringAndSize((const char *)p, n);
    if (b == NULL) return NULL;
    Py_hash_t h = PyObject_Hash(b);
    Py_DECREF(b);
    return h == -1 && PyErr_Occurred() ? NULL : PyLong_FromSsize_t(h);
#else
    return PyLong_FromSsize_t(_Py_HashBytes(p, n));
#endif
}

static PyObject *encode_into(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 5 || !PyList_Check(args[3])) {
        PyErr_SetString(PyExc_TypeError, "encode_into(buffer, start, room, texts, facts) takes a list of str");
        return NULL;
    }
    Py_ssize_t start = PyLong_AsSsize_t(args[1]), room = PyLong_AsSsize_t(args[2]);
    if ((start == -1 || room == -1) && PyErr_Occurred()) return NULL;
    int facts = PyObject_IsTrue(args[4]);
    if (facts < 0) return NULL;
    PyObject *texts = args[3];
    Py_ssize_t n = PyList_GET_SIZE(texts);
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *text = PyList_GET_ITEM(texts, k);
        if (!PyUnicode_Check(text)) {
            PyErr_Format(PyExc_TypeError, "encode_into: text %zd is not a str", k);
            return NULL;
        }
        if (PyUnicode_READY(text) < 0) return NULL;
    }
    Py_buffer view;
    if (PyObject_GetBuffer(args[0], &view, PyBUF_WRITABLE) < 0) return NULL;
    PyObject *ends = NULL, *chars = NULL, *words = NULL, *hashes = NULL, *out = NULL;
    if (start < 0 || room < 0 || start > view.len || room > view.len - start) {
        PyErr_Format(PyExc_ValueError, "encode_into: %zd bytes from %zd do not fit a buffer of %zd", room, start,
                     view.len);
        goto done;
    }
    ends = PyList_New(n);
    if (ends == NULL) goto done;
    if (facts && ((chars = PyList_New(n)) == NULL || (words = PyList_New(n)) == NULL ||
                  (hashes = PyList_New(n)) == NULL))
        goto done;
    unsigned char *base = (unsigned char *)view.buf + start, *o = base;
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *text = PyList_GET_ITEM(texts, k);
        Py_ssize_t len = PyUnicode_GET_LENGTH(text);
        int kind = PyUnicode_KIND(text);
        /* the largest size first (2, 3 or 4 bytes a character), the exact one near the end */
        Py_ssize_t most = PyUnicode_IS_ASCII(text) ? 1 : (kind == PyUnicode_4BYTE_KIND ? 4 : kind + 1);
        Py_ssize_t left = room - (o - base);
        if (len > left / most && utf8_size(text) > left) {
            Py_CLEAR(ends);
            out = Py_NewRef(Py_None);
            goto done;
        }
        unsigned char *end = write_utf8(text, o);
        PyObject *at = PyLong_FromSsize_t(end - base);
        if (at == NULL) goto done;
        PyList_SET_ITEM(ends, k, at);
        if (facts) {
            PyObject *c = PyLong_FromSsize_t(len), *h = bytes_hash(o, end - o);
            if (c == NULL || h == NULL) {
                Py_XDECREF(c);
                Py_XDECREF(h);
                goto done;
            }
            PyList_SET_ITEM(chars, k, c);
            PyList_SET_ITEM(hashes, k, h);
            int w = ascii_alnum(text);
            PyList_SET_ITEM(words, k, Py_NewRef(w > 0 ? Py_True : w == 0 ? Py_False : Py_None));
        }
        o = end;
    }
    out = facts ? PyTuple_Pack(4, ends, chars, words, hashes) : Py_NewRef(ends);
done:
    Py_XDECREF(ends);
    Py_XDECREF(chars);
    Py_XDECREF(words);
    Py_XDECREF(hashes);
    PyBuffer_Release(&view);
    return out;
}


/* ---- LineMemo ------------------------------------------------------------------------------- */

/* LineMemo(limit, max_chars, make, arg): input line -> make(line, arg), made on first sight and kept
 * while it recurs, in two generations of at most limit lines each (what clean._PreparedLines does
 * with two dicts, and what it uses where this module is built):
 *
 *   lines(text) -> [the value of each line of text.splitlines(), in order]
 *   get(line)   -> the value of one line
 *   clear(), len(memo)
 *
 * A line of more than max_chars characters is never kept (make is called every time). New lines go
 * into the young generation; when it holds limit lines it becomes the old one (the previous old
 * one is dropped), and a line found in the old one is put in the young one again.
 *
 * Why: the memo was a dict of the lines' strs. Each page was split into a new str per line, each
 * hashed with SipHash, looked up and compared, then freed, while most lines of a page (menus,
 * footers, bylines) are found. Here a line is found by its characters where they lie in the page:
 * no str is made unless the line is new, and the key is a cheap 64-bit hash of the characters in
 * their canonical width (that of the str the line would be, so a line is found whatever the
 * width of the page it comes in). A collision costs a comparison, never a wrong value. */

typedef struct {
    uint64_t hash;   /* 0: an empty slot */
    PyObject *key;   /* the line (a strong reference) */
    PyObject *value; /* make(line, arg) (a strong reference) */
} MemoSlot;

typedef struct {
    MemoSlot *slots;
    size_t mask;   /* the number of slots, less one */
    Py_ssize_t used;
} MemoTable;

typedef struct {
    PyObject_HEAD
    MemoTable young, old;
    Py_ssize_t limit, max_chars;
    PyObject *make, *arg;
    unsigned char *scratch; /* max_chars * 4 bytes: a line narrowed to its canonical width */
} LineMemo;

#define MEMO_TABLE_FIRST 256

static void table_free(MemoTable *t) {
    if (t->slots == NULL) return;
    for (size_t i = 0; i <= t->mask; i++) {
        if (t->slots[i].hash) {
            Py_DECREF(t->slots[i].key);
            Py_DECREF(t->slots[i].value);
        }
    }
    PyMem_Free(t->slots);
    t->slots = NULL;
    t->mask = 0;
    t->used = 0;
}

static int table_init(MemoTable *t, size_t slots) {
    t->slots = (MemoSlot *)PyMem_Calloc(slots, sizeof(MemoSlot));
    if (t->slots == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    t->mask = slots - 1;
    t->used = 0;
    return 0;
}

/* The slot holding the line (p, n bytes of width kind, hash h), or the empty slot where it would go. */
static MemoSlot *table_find(const MemoTable *t, const unsigned char *p, Py_ssize_t len, int kind, uint64_t h) {
    size_t i = h & t->mask;
    for (;;) {
        MemoSlot *s = &t->slots[i];
        if (!s->hash) return s;
        if (s->hash == h && PyUnicode_GET_LENGTH(s->key) == len && (int)PyUnicode_KIND(s->key) == kind
            && memcmp(PyUnicode_DATA(s->key), p, (size_t)len * (size_t)kind) == 0)
            return s;
        i = (i + 1) & t->mask;
    }
}

/* Put (h, key, value) into the table, which does not hold key; takes new references. */
static int table_put(MemoTable *t, uint64_t h, PyObject *key, PyObject *value) {
    if ((size_t)(t->used + 1) * 2 > t->mask + 1) {
        size_t slots = (t->mask + 1) * 2;
        MemoSlot *table = (MemoSlot *)PyMem_Calloc(slots, sizeof(MemoSlot));
        if (table == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        for (size_t i = 0; i <= t->mask; i++) {
            if (!t->slots[i].hash) continue;
            size_t j = t->slots[i].hash & (slots - 1);
            while (table[j].hash) j = (j + 1) & (slots - 1);
            table[j] = t->slots[i];
        }
        PyMem_Free(t->slots);
        t->slots = table;
        t->mask = slots - 1;
    }
    size_t i = h & t->mask;
    while (t->slots[i].hash) i = (i + 1) & t->mask;
    Py_INCREF(key);
    Py_INCREF(value);
    t->slots[i].hash = h;
    t->slots[i].key = key;
    t->slots[i].value = value;
    t->used++;
    return 0;
}

/* 64-bit hash of n bytes of a line in canonical width kind (never 0). */
static uint64_t line_hash(const unsigned char *p, size_t n, int kind) {
    uint64_t h = KEY_P1 ^ ((uint64_t)n << 2) ^ (uint64_t)kind;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) h = rotl64((h ^ load64(p + i)) * KEY_P2, 31);
    if (i < n) {
        uint64_t last = 0;
        memcpy(&last, p + i, n - i);
        h = rotl64((h ^ last) * KEY_P2, 31);
    }
    h = fmix64(h);
    return h ? h : 1;
}

/* The young table, made room in: when it holds limit lines it becomes the old one. */
static int memo_room(LineMemo *m) {
    if (m->young.used < m->limit) return 0;
    size_t slots = m->young.mask + 1;
    table_free(&m->old);
    m->old = m->young;
    return table_init(&m->young, slots);
}

/* make(line, arg), a new reference. */
static PyObject *memo_make(LineMemo *m, PyObject *line) {
    PyObject *args[2] = {line, m->arg};
    return PyObject_Vectorcall(m->make, args, 2, NULL);
}

/* The value of the line of text from start to end (a new reference), NULL on error. */
static PyObject *memo_line(LineMemo *m, PyObject *text, Py_ssize_t start, Py_ssize_t end) {
    Py_ssize_t len = end - start;
    if (len > m->max_chars) {
        PyObject *line = PyUnicode_Substring(text, start, end);
        if (line == NULL) return NULL;
        PyObject *value = memo_make(m, line);
        Py_DECREF(line);
        return value;
    }
    /* The line's characters in the width of the str it would be (see PyUnicode_Substring). */
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    const unsigned char *p = (const unsigned char *)data + (size_t)start * (size_t)kind;
    int width = kind;
    if (kind != PyUnicode_1BYTE_KIND) {
        Py_UCS4 bits = 0; /* the OR of its characters: below 256 or 65536 as their largest is */
        if (kind == PyUnicode_2BYTE_KIND) {
            const Py_UCS2 *src = (const Py_UCS2 *)data + start;
            for (Py_ssize_t k = 0; k < len; k++) bits |= src[k];
        } else {
            const Py_UCS4 *src = (const Py_UCS4 *)data + start;
            for (Py_ssize_t k = 0; k < len; k++) bits |= src[k];
        }
        width = bits < 256 ? 1 : bits < 65536 ? 2 : 4;
        if (width != kind) { /* narrowed, in loops the compiler vectorises */
            if (kind == PyUnicode_2BYTE_KIND) {
                const Py_UCS2 *src = (const Py_UCS2 *)data + start;
                for (Py_ssize_t k = 0; k < len; k++) m->scratch[k] = (Py_UCS1)src[k];
            } else if (width == 1) {
                const Py_UCS4 *src = (const Py_UCS4 *)data + start;
                for (Py_ssize_t k = 0; k < len; k++) m->scratch[k] = (Py_UCS1)src[k];
            } else {
                const Py_UCS4 *src = (const Py_UCS4 *)data + start;
                Py_UCS2 *dst = (Py_UCS2 *)m->scratch;
                for (Py_ssize_t k = 0; k < len; k++) dst[k] = (Py_UCS2)src[k];
            }
            p = m->scratch;
        }
    }
    uint64_t h = line_hash(p, (size_t)len * (size_t)width, width);
    MemoSlot *s = table_find(&m->young, p, len, width, h);
    if (s->hash) return Py_NewRef(s->value);
    PyObject *key = NULL, *value = NULL;
    if (m->old.slots != NULL) {
        s = table_find(&m->old, p, len, width, h);
        if (s->hash) {
            key = Py_NewRef(s->key);
            value = Py_NewRef(s->value);
        }
    }
    if (key == NULL) {
        key = PyUnicode_Substring(text, start, end);
        if (key == NULL) return NULL;
        value = memo_make(m, key);
        if (value == NULL) {
            Py_DECREF(key);
            return NULL;
        }
    }
    if (memo_room(m) < 0 || table_put(&m->young, h, key, value) < 0) {
        Py_DECREF(key);
        Py_DECREF(value);
        return NULL;
    }
    Py_DECREF(key);
    return value;
}

/* Whether c ends a line for str.splitlines. */
static inline int line_break(Py_UCS4 c) {
    return c <= 0x1e ? (c >= 0x0a && c <= 0x0d) || c >= 0x1c : c == 0x85 || c == 0x2028 || c == 0x2029;
}

#define ONES8 0x0101010101010101ULL
#define HIGH8 0x8080808080808080ULL
#define ONES16 0x0001000100010001ULL
#define HIGH16 0x8000800080008000ULL

/* Where the line of d (n code units) starting at i ends: its first line break, or n. 16 bytes at a
 * time with SSE2 (8 elsewhere): a block with no unit up to 0x1e and none of 0x85, 0x2028, 0x2029
 * holds no line break; a block that may is read unit by unit (LINE_END_IN_BLOCK). */
#define LINE_END_IN_BLOCK(block)                                                       \
    {                                                                                  \
        Py_ssize_t stop = i + (block) < n ? i + (block) : n;                           \
        for (; i < stop; i++)                                                          \
            if (line_break(d[i])) return i;                                            \
        if (i >= n) return n;                                                          \
    }

static Py_ssize_t line_end_1(const Py_UCS1 *d, Py_ssize_t i, Py_ssize_t n) {
    for (;;) {
#if defined(DEDUP_SSE2)
        const __m128i low = _mm_set1_epi8(0x1e), nel = _mm_set1_epi8((char)0x85);
        for (; i + 16 <= n; i += 16) {
            __m128i x = _mm_loadu_si128((const __m128i *)(d + i));
            __m128i hit = _mm_or_si128(_mm_cmpeq_epi8(_mm_subs_epu8(x, low), _mm_setzero_si128()), _mm_cmpeq_epi8(x, nel));
            if (_mm_movemask_epi8(hit)) break;
        }
        LINE_END_IN_BLOCK(16)
#else
        for (; i + 8 <= n; i += 8) {
            uint64_t x = load64(d + i), y = x ^ (0x85 * ONES8);
            if ((((x - 0x1f * ONES8) & ~x) | ((y - ONES8) & ~y)) & HIGH8) break;
        }
        LINE_END_IN_BLOCK(8)
#endif
    }
}

static Py_ssize_t line_end_2(const Py_UCS2 *d, Py_ssize_t i, Py_ssize_t n) {
    for (;;) {
#if defined(DEDUP_SSE2)
        const __m128i low = _mm_set1_epi16(0x1e), nel = _mm_set1_epi16(0x85), one = _mm_set1_epi16(1),
                      sep = _mm_set1_epi16(0x2029);
        for (; i + 8 <= n; i += 8) {
            __m128i x = _mm_loadu_si128((const __m128i *)(d + i));
            __m128i hit = _mm_or_si128(_mm_cmpeq_epi16(_mm_subs_epu16(x, low), _mm_setzero_si128()),
                                       _mm_or_si128(_mm_cmpeq_epi16(x, nel), _mm_cmpeq_epi16(_mm_or_si128(x, one), sep)));
            if (_mm_movemask_epi8(hit)) break;
        }
        LINE_END_IN_BLOCK(8)
#else
        for (; i + 4 <= n; i += 4) {
            uint64_t x;
            memcpy(&x, d + i, 8);
            uint64_t y = x ^ (0x85 * ONES16), z = (x | ONES16) ^ (0x2029 * ONES16);
            if ((((x - 0x1f * ONES16) & ~x) | ((y - ONES16) & ~y) | ((z - ONES16) & ~z)) & HIGH16) break;
        }
        LINE_END_IN_BLOCK(4)
#endif
    }
}

static Py_ssize_t line_end_4(const Py_UCS4 *d, Py_ssize_t i, Py_ssize_t n) {
    while (i < n && !line_break(d[i])) i++;
    return i;
}

/* Whether the memo can read text (a ready str) for its method: __init__ has run (a LineMemo made
 * by __new__ alone has no table) and text is a str; else an error is set. */
static int memo_can_read(LineMemo *m, PyObject *text, const char *method) {
    if (m->young.slots == NULL || m->make == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "LineMemo: not initialised");
        return 0;
    }
    if (!PyUnicode_Check(text)) {
        PyErr_Format(PyExc_TypeError, "LineMemo.%s: a str is needed, not %.100s", method, Py_TYPE(text)->tp_name);
        return 0;
    }
    return PyUnicode_READY(text) == 0;
}

static PyObject *LineMemo_lines(LineMemo *m, PyObject *text) {
    if (!memo_can_read(m, text, "lines")) return NULL;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    PyObject *small[256];
    PyObject **values = small;
    Py_ssize_t count = 0, room = 256;
    PyObject *out = NULL;
    Py_ssize_t i = 0;
    while (i < n) {
        Py_ssize_t start = i;
        if (kind == PyUnicode_1BYTE_KIND) i = line_end_1((const Py_UCS1 *)data, i, n);
        else if (kind == PyUnicode_2BYTE_KIND) i = line_end_2((const Py_UCS2 *)data, i, n);
        else i = line_end_4((const Py_UCS4 *)data, i, n);
        Py_ssize_t end = i;
        if (i < n) {
            Py_UCS4 c = PyUnicode_READ(kind, data, i);
            i++;
            if (c == '\r' && i < n && PyUnicode_READ(kind, data, i) == '\n') i++;
        }
        PyObject *value = memo_line(m, text, start, end);
        if (value == NULL) goto done;
        if (count == room) {
            PyObject **more = (PyObject **)PyMem_Malloc((size_t)room * 2 * sizeof(PyObject *));
            if (more == NULL) {
                Py_DECREF(value);
                PyErr_NoMemory();
                goto done;
            }
            memcpy(more, values, (size_t)count * sizeof(PyObject *));
            if (values != small) PyMem_Free(values);
            values = more;
            room *= 2;
        }
        values[count++] = value;
    }
    out = PyList_New(count);
    if (out == NULL) goto done;
    if (count > 0) memcpy(((PyListObject *)out)->ob_item, values, (size_t)count * sizeof(PyObject *));
    count = 0; /* the list owns them now */
done:
    for (Py_ssize_t k = 0; k < count; k++) Py_DECREF(values[k]);
    if (values != small) PyMem_Free(values);
    return out;
}

static PyObject *LineMemo_get(LineMemo *m, PyObject *line) {
    if (!memo_can_read(m, line, "get")) return NULL;
    return memo_line(m, line, 0, PyUnicode_GET_LENGTH(line));
}

static PyObject *LineMemo_clear(LineMemo *m, PyObject *unused) {
    (void)unused;
    table_free(&m->old);
    table_free(&m->young);
    if (table_init(&m->young, MEMO_TABLE_FIRST) < 0) return NULL;
    Py_RETURN_NONE;
}

static Py_ssize_t LineMemo_len(LineMemo *m) { return m->young.used + m->old.used; }

static int LineMemo_init(LineMemo *m, PyObject *args, PyObject *kwds) {
    static char *names[] = {"limit", "max_chars", "make", "arg", NULL};
    Py_ssize_t limit, max_chars;
    PyObject *make, *arg;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "nnOO:LineMemo", names, &limit, &max_chars, &make, &arg)) return -1;
    if (limit < 1 || max_chars < 0 || max_chars > (PY_SSIZE_T_MAX >> 3)) {
        PyErr_SetString(PyExc_ValueError, "LineMemo: limit must be at least 1 and max_chars not negative");
        return -1;
    }
    if (!PyCallable_Check(make)) {
        PyErr_SetString(PyExc_TypeError, "LineMemo: make must be callable");
        return -1;
    }
    table_free(&m->old);
    table_free(&m->young);
    PyMem_Free(m->scratch);
    m->scratch = (unsigned char *)PyMem_Malloc((size_t)max_chars * 4 + 1);
    if (m->scratch == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    if (table_init(&m->young, MEMO_TABLE_FIRST) < 0) return -1;
    m->limit = limit;
    m->max_chars = max_chars;
    Py_INCREF(make);
    Py_INCREF(arg);
    Py_XSETREF(m->make, make);
    Py_XSETREF(m->arg, arg);
    return 0;
}

static void LineMemo_dealloc(LineMemo *m) {
    PyObject_GC_UnTrack(m);
    table_free(&m->old);
    table_free(&m->young);
    PyMem_Free(m->scratch);
    Py_CLEAR(m->make);
    Py_CLEAR(m->arg);
    Py_TYPE(m)->tp_free((PyObject *)m);
}

/* The collector sees make and arg (what could hold the memo in a cycle); the values are the
 * cleaner's prepared lines, which hold nothing of it. */
static int LineMemo_traverse(LineMemo *m, visitproc visit, void *arg) {
    Py_VISIT(m->make);
    Py_VISIT(m->arg);
    return 0;
}

static int LineMemo_tp_clear(LineMemo *m) {
    Py_CLEAR(m->make);
    Py_CLEAR(m->arg);
    return 0;
}

static PyMethodDef LineMemo_methods[] = {
    {"lines", (PyCFunction)LineMemo_lines, METH_O, "lines(text) -> [the value of each line of text.splitlines()]"},
    {"get", (PyCFunction)LineMemo_get, METH_O, "get(line) -> the value of one line"},
    {"clear", (PyCFunction)LineMemo_clear, METH_NOARGS, "clear() -> forget every line"},
    {NULL, NULL, 0, NULL},
};

static PySequenceMethods LineMemo_as_sequence = {.sq_length = (lenfunc)LineMemo_len};

static PyTypeObject LineMemoType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "dedup.clean._native.LineMemo",
    .tp_basicsize = sizeof(LineMemo),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "LineMemo(limit, max_chars, make, arg): input line -> make(line, arg), kept while it recurs.",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)LineMemo_init,
    .tp_dealloc = (destructor)LineMemo_dealloc,
    .tp_traverse = (traverseproc)LineMemo_traverse,
    .tp_clear = (inquiry)LineMemo_tp_clear,
    .tp_methods = LineMemo_methods,
    .tp_as_sequence = &LineMemo_as_sequence,
};

static PyMethodDef methods[] = {
    {"ascii_words", (PyCFunction)(void (*)(void))ascii_words, METH_FASTCALL,
     "ascii_words(text, stopwords) -> (tokens, content words, whether 'ai' is a token), for ASCII text."},
    {"marked_by_sight", (PyCFunction)(void (*)(void))marked_by_sight, METH_FASTCALL,
     "marked_by_sight(punct, text) -> text with punct as '~' if that is printable ASCII (see repair.py), else None."},
    {"plain_parts", (PyCFunction)(void (*)(void))plain_parts, METH_FASTCALL,
     "plain_parts(punct, text) -> (text.strip(' ') or its runs of spaces collapsed, marked) if marked_by_sight marks it, else None."},
    {"lower_ascii", (PyCFunction)lower_ascii, METH_O,
     "lower_ascii(text) -> text with its ASCII capitals lower-cased, every other character kept."},
    {"in_range", (PyCFunction)(void (*)(void))in_range, METH_FASTCALL,
     "in_range(text, first, last) -> whether text holds a character whose code point is first to last."},
    {"page_counts", (PyCFunction)page_counts, METH_O,
     "page_counts(word_sets) -> (word -> number of sets holding it, for the words of two sets or more; those words; the number of distinct words)."},
    {"which_in", (PyCFunction)(void (*)(void))which_in, METH_FASTCALL,
     "which_in(text, guards) -> the bits of the needles text holds, guards made by lines.guards()."},
    {"repeat_counts", (PyCFunction)repeat_counts, METH_O,
     "repeat_counts(keys) -> None if no two keys are equal, else (counts, copies): for each key, how many keys equal it and which of them it is (1 for the first)."},
    {"drop_counts", (PyCFunction)(void (*)(void))drop_counts, METH_FASTCALL,
     "drop_counts(word_sets, shared, df) -> (fell, gone): the page's word counts lowered for the words of dropped lines (see rules.Page.drop)."},
    {"pair_facts", (PyCFunction)pair_facts, METH_O,
     "pair_facts(item) -> (len, a 64-bit key) of item[1] for an (id, str) tuple, else None; no reference to the text is taken."},
    {"same_text", (PyCFunction)(void (*)(void))same_text, METH_FASTCALL,
     "same_text(documents, i, j) -> whether documents[i] and documents[j] are (id, str) tuples with equal texts, read without taking references."},
    {"copy_texts", (PyCFunction)(void (*)(void))copy_texts, METH_FASTCALL,
     "copy_texts(documents, indices) -> copies of documents[i][1], read without taking references."},
    {"encode_into", (PyCFunction)(void (*)(void))encode_into, METH_FASTCALL,
     "encode_into(buffer, start, room, texts, facts) -> where each text ends in UTF-8 written into buffer from start (None past room); with facts, (ends, chars, words, hashes)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_native", "The cleaner's hottest loops over a line's characters (see lines.py, repair.py).", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__native(void) {
    init_table();
    if (PyType_Ready(&LineMemoType) < 0) return NULL;
    PyObject *mod = PyModule_Create(&module);
    if (mod == NULL) return NULL;
    if (PyModule_AddObjectRef(mod, "LineMemo", (PyObject *)&LineMemoType) < 0) {
        Py_DECREF(mod);
        return NULL;
    }
    return mod;
}
