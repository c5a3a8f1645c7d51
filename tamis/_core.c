/* tamis._core: the cleaner's per-line inner loops in C.
 *
 * Why by hand: cleaning decides on every line of every page, and in Python each line costs a few
 * microseconds of interpreter work before any decision is made; datatrove's C4 rules make six string
 * tests per line. No library computes our line features or walks our exported trees, so the three loops
 * that cost most are here, each the exact twin of a numpy/Python version that stays as the fallback
 * (tamis/native.py picks one; tests/test_native.py checks they agree on real text):
 *
 *   split_lines(text)          -> int64 (start, end) of each stripped non-blank line  (blocks.py)
 *   blocks(text, Block)        -> a Block of each stripped non-blank line             (blocks.py)
 *   char_counts(texts)         -> float32 per text: CHAR_COUNTS columns              (features.py)
 *   word_hits(texts, words)    -> float32 per text: how many of its words are in a set (features.py)
 *   words_lines(text)          -> the lines of text, non-word runs as one space, A-Z lowered (hashing.py)
 *   collapsed_lines(texts)     -> the texts' whitespace runs as one space, joined by line breaks (cleaner.py)
 *   tree_raw(x, nodes, ...)    -> float64 raw scores of a tree ensemble              (model.py)
 *   hash_texts(texts)          -> uint64 xxh3 of each str's UTF-8                     (hashing.py)
 *   has_surrogates(text)       -> whether a str holds a lone surrogate               (io/readers.py)
 *   sorted_overlap(a, b)       -> how many values two sorted distinct uint64 buffers share (dedup/verify.py)
 *   word_hashes(text)          -> uint64 xxh3 of each word of a normalised str's UTF-8 (dedup/shingles.py)
 *   shingle_hashes(text, width) -> sorted distinct uint64 hashes of its word width-grams (dedup/shingles.py)
 *   set_folds(at, pool)        <- the table of characters folded alone                (hashing.py)
 *   fold_lines(lines)          -> each line normalised from the table, None if it cannot be (hashing.py)
 *   line_hashes(text)          -> uint64 xxh3 of each line's normalised words, lines not folded listed
 *                                                                                      (templates.py)
 *   shape_hashes(texts)        -> uint64 xxh3 of each str lowered, digit runs as "0"  (features.py)
 *   article_runs(score, weak, enders, gap, short_gap) -> the positive runs of each section of a page
 *                                                                                      (clean/segment.py)
 *   html_depth(html, void, raw) -> deepest element nesting, estimated from the tags (str or UTF-8 bytes)
 *                                                                                      (extract/nesting.py)
 *
 * Only the CPython C API is used (no numpy headers): arrays cross as buffers and come back as bytes.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <stdint.h>
#include <string.h>

/* xxHash 0.8 (BSD 2-Clause, _xxhash/LICENSE), the library the `xxhash` package wraps: the same XXH3
   64-bit hash, inlined, so that hashing a line or a word costs no Python call. */
#define XXH_INLINE_ALL
#include "_xxhash/xxhash.h"

/* ---------------------------------------------------------------- shared helpers */

/* Whether `arg` is a str; if not, the TypeError "`name` expects a str" is set. */
static int is_str(PyObject *arg, const char *name) {
    if (PyUnicode_Check(arg)) return 1;
    PyErr_Format(PyExc_TypeError, "%s expects a str", name);
    return 0;
}

/* `buf` (room for `cap` items) grown to hold `n` items; `fail` (a statement) runs, MemoryError set
   and `buf` unchanged for the caller to free, when it cannot be. */
#define RESERVE(buf, cap, n, fail)                                              \
    do {                                                                        \
        if ((n) > (cap)) {                                                      \
            void *grown_ = PyMem_Realloc((buf), (size_t)(n) * sizeof *(buf));   \
            if (!grown_) { PyErr_NoMemory(); fail; }                            \
            (buf) = grown_;                                                     \
            (cap) = (n);                                                        \
        }                                                                       \
    } while (0)

/* `fn(kind, ...)` with the str kind a constant in each branch: an always-inline loop that reads
   characters with PyUnicode_READ is then compiled once per kind, its switch out of the loop. */
#define PER_KIND(fn, kind, ...)                                                  \
    ((kind) == PyUnicode_1BYTE_KIND ? fn(PyUnicode_1BYTE_KIND, __VA_ARGS__)     \
     : (kind) == PyUnicode_2BYTE_KIND ? fn(PyUnicode_2BYTE_KIND, __VA_ARGS__)   \
     : fn(PyUnicode_4BYTE_KIND, __VA_ARGS__))

/* ---------------------------------------------------------------- split_lines */

/* str.splitlines' boundaries: \n \r \v \f \x1c \x1d \x1e \x85 below 256 (a table: the scan reads every
   character of every record twice), U+2028 and U+2029 above */
static const uint8_t LATIN1_BREAK[256] = {['\n'] = 1, ['\r'] = 1, [0x0b] = 1, [0x0c] = 1, [0x1c] = 1, [0x1d] = 1,
                                          [0x1e] = 1, [0x85] = 1};

static inline int is_line_break(Py_UCS4 c) {
    return c < 256 ? LATIN1_BREAK[c] : (c == 0x2028 || c == 0x2029);
}

/* (start, end) pairs of the stripped non-blank lines of a str, PyMem_Malloc'd (NULL: out of memory). */
static inline __attribute__((always_inline)) int64_t *line_bounds_kind(int kind, const void *data, Py_ssize_t n,
                                                                      Py_ssize_t *count_out) {
    Py_ssize_t cap = 64, count = 0;
    int64_t *out = PyMem_Malloc(cap * 2 * sizeof(int64_t));
    if (!out) return NULL;
    Py_ssize_t i = 0;
    while (i < n) {
        Py_ssize_t a = i;
        while (i < n && !is_line_break(PyUnicode_READ(kind, data, i))) i++;
        Py_ssize_t b = i;  /* [a, b) is the line without its break */
        if (i < n) {
            Py_UCS4 c = PyUnicode_READ(kind, data, i);
            i++;
            if (c == '\r' && i < n && PyUnicode_READ(kind, data, i) == '\n') i++;
        }
        while (a < b && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, a))) a++;
        while (b > a && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, b - 1))) b--;
        if (b > a) {
            if (count == cap) {
                cap *= 2;
                int64_t *grown = PyMem_Realloc(out, cap * 2 * sizeof(int64_t));
                if (!grown) { PyMem_Free(out); return NULL; }
                out = grown;
            }
            out[2 * count] = a;
            out[2 * count + 1] = b;
            count++;
        }
    }
    *count_out = count;
    return out;
}

static int64_t *line_bounds(PyObject *text, Py_ssize_t *count_out) {
    return PER_KIND(line_bounds_kind, PyUnicode_KIND(text), PyUnicode_DATA(text), PyUnicode_GET_LENGTH(text),
                    count_out);
}

static PyObject *split_lines(PyObject *self, PyObject *arg) {
    if (!is_str(arg, "split_lines")) return NULL;
    Py_ssize_t count;
    int64_t *out = line_bounds(arg, &count);
    if (!out) return PyErr_NoMemory();
    PyObject *result = PyBytes_FromStringAndSize((const char *)out, count * 2 * sizeof(int64_t));
    PyMem_Free(out);
    return result;
}

/* blocks.split_blocks: an instance of `cls` (blocks.Block) for each stripped non-blank line, with its
   text, start, end and an empty hints dict. Made as `cls.__init__` would make it, without running it:
   each __slots__ member is set at its descriptor's offset, as the member's own setter does. Calling
   the class per line was two thirds of split_blocks: on the 4,500 captures of bench_dedup's whole run
   (196,724 lines), 167 ms -> 54 ms. */
static PyObject *blocks(PyObject *self, PyObject *args) {
    PyObject *text;
    PyTypeObject *cls;
    if (!PyArg_ParseTuple(args, "UO!:blocks", &text, &PyType_Type, &cls)) return NULL;
    static const char *names[4] = {"text", "start", "end", "hints"};
    Py_ssize_t offset[4];
    for (int k = 0; k < 4; k++) {
        PyObject *d = PyObject_GetAttrString((PyObject *)cls, names[k]);
        if (!d && !PyErr_ExceptionMatches(PyExc_AttributeError)) return NULL;
        PyErr_Clear();
        int ok = d && Py_IS_TYPE(d, &PyMemberDescr_Type) && ((PyMemberDescrObject *)d)->d_member->type == T_OBJECT_EX &&
                 ((PyMemberDescrObject *)d)->d_common.d_type == cls;
        if (ok) offset[k] = ((PyMemberDescrObject *)d)->d_member->offset;
        Py_XDECREF(d);
        if (!ok) return PyErr_Format(PyExc_TypeError, "blocks: %s.%s is no slot of its own", cls->tp_name, names[k]);
    }
    Py_ssize_t count;
    int64_t *b = line_bounds(text, &count);
    if (!b) return PyErr_NoMemory();
    PyObject *out = PyList_New(count);
    for (Py_ssize_t i = 0; out && i < count; i++) {
        PyObject *obj = cls->tp_alloc(cls, 0);
        if (!obj) { Py_CLEAR(out); break; }
        PyList_SET_ITEM(out, i, obj);
        PyObject *values[4] = {PyUnicode_Substring(text, b[2 * i], b[2 * i + 1]), PyLong_FromLongLong(b[2 * i]),
                               PyLong_FromLongLong(b[2 * i + 1]), PyDict_New()};
        for (int k = 0; k < 4; k++) *(PyObject **)((char *)obj + offset[k]) = values[k];
        if (!values[0] || !values[1] || !values[2] || !values[3]) Py_CLEAR(out);
    }
    PyMem_Free(b);
    return out;
}

/* ---------------------------------------------------------------- char_counts */

/* Columns, in features.CHAR_COUNTS order. */
enum { C_WORDS, C_CAP_WORDS, C_DIGIT, C_UPPER, C_CASED, C_CJK, C_COMMAS, C_SEPARATORS, C_ENDS, C_BULLET,
       C_CODE, C_CSS_MARKS, C_SCRIPT_MARKS, C_LABEL_AT, C_DATE, N_COUNTS };

static int in_set(Py_UCS4 c, const Py_UCS4 *set) {
    for (; *set; set++)
        if (*set == c) return 1;
    return 0;
}

/* The same sets as features.py's _END_CHARS, _BULLET_CHARS, _SEPARATOR_CHARS. */
static const Py_UCS4 END_CHARS[] = {'.', '!', '?', 0x2026, '"', 0x201d, 0xbb, '\'', 0x2019, ')', ']', ':', ';',
                                    0x3002, 0xff01, 0xff1f, 0x300d, 0x300f, 0};
static const Py_UCS4 BULLET_CHARS[] = {'-', '*', 0x2022, 0xb7, 0x25aa, 0x25ba, 0xbb, 0x203a, 0};
static const Py_UCS4 SEPARATOR_CHARS[] = {'|', 0xbb, 0x203a, '/', 0x2022, 0xb7, 0};
/* rules.py's gates: characters of code, of a CSS rule, of a script, and the marks that end a label */
static const Py_UCS4 CODE_CHARS[] = {'{', '}', ';', '=', '<', '>', '(', ')', '[', ']', '|', '&', '$', 0};
static const Py_UCS4 LABEL_MARKS[] = {':', '|', 0xbb, 0};

static int is_word(Py_UCS4 c) {
    /* re's \w on str: alphanumeric in the Unicode database, or the underscore */
    return c == '_' || Py_UNICODE_ISALNUM(c);
}

/* features.py's _DATE, at a word start i (a decimal digit after a non-word character or the start):
 *   (1[89]|20)\d\d\b  |  \d{1,2}[./]\d{1,2}[./]\d{2,4}\b  |  \d{1,2}:\d\d\b
 * as re matches it (\d is any Unicode decimal digit, \b a change between \w and not \w). */
static Py_ssize_t digits_at(int kind, const void *data, Py_ssize_t len, Py_ssize_t i, Py_ssize_t most) {
    Py_ssize_t k = 0;
    while (k < most && i + k < len && Py_UNICODE_ISDECIMAL(PyUnicode_READ(kind, data, i + k))) k++;
    return k;
}

static int boundary_after(int kind, const void *data, Py_ssize_t len, Py_ssize_t j) {
    return j >= len || !is_word(PyUnicode_READ(kind, data, j));
}

static int date_at(int kind, const void *data, Py_ssize_t len, Py_ssize_t i) {
    Py_UCS4 c0 = PyUnicode_READ(kind, data, i);
    if (i + 3 < len && ((c0 == '1' && (PyUnicode_READ(kind, data, i + 1) == '8' || PyUnicode_READ(kind, data, i + 1) == '9')) ||
                        (c0 == '2' && PyUnicode_READ(kind, data, i + 1) == '0')) &&
        digits_at(kind, data, len, i + 2, 2) == 2 && boundary_after(kind, data, len, i + 4))
        return 1;
    Py_ssize_t d1 = digits_at(kind, data, len, i, 2);
    for (Py_ssize_t a = d1; a >= 1; a--) {  /* \d{1,2}, greedy then backtracking */
        Py_ssize_t j = i + a;
        if (j >= len) continue;
        Py_UCS4 sep = PyUnicode_READ(kind, data, j);
        if (sep == ':') {
            if (digits_at(kind, data, len, j + 1, 2) == 2 && boundary_after(kind, data, len, j + 3)) return 1;
        } else if (sep == '.' || sep == '/') {
            Py_ssize_t d2 = digits_at(kind, data, len, j + 1, 2);
            for (Py_ssize_t b = d2; b >= 1; b--) {
                Py_ssize_t k = j + 1 + b;
                if (k >= len) continue;
                Py_UCS4 sep2 = PyUnicode_READ(kind, data, k);
                if (sep2 != '.' && sep2 != '/') continue;
                Py_ssize_t d3 = digits_at(kind, data, len, k + 1, 4);
                for (Py_ssize_t c = d3; c >= 2; c--)
                    if (boundary_after(kind, data, len, k + 1 + c)) return 1;
            }
        }
    }
    return 0;
}

/* What a character counts for, as bits; ASCII_FLAGS holds them for the first 128 code points (filled
   once at import), so most characters cost one table look-up instead of several Unicode database
   look-ups and set scans. F_ANY marks the characters with any count beyond the word bits. */
enum { F_WORD = 1, F_DECIMAL = 2, F_DIGIT = 4, F_UPPER = 8, F_CASED = 16, F_CJK = 32, F_COMMA = 64,
       F_SEPARATOR = 128, F_CODE = 256, F_CSS = 512, F_SCRIPT = 1024, F_LABEL = 2048, F_ANY = 4096 };

static uint32_t ASCII_FLAGS[128];

static uint32_t char_flags(Py_UCS4 c) {
    uint32_t f = 0;
    /* the numpy twin compares with str.lower()/upper(); simple case mappings agree on the first
       character of every full mapping */
    int upper = Py_UNICODE_TOLOWER(c) != c;
    if (is_word(c)) f |= F_WORD;
    if (Py_UNICODE_ISDECIMAL(c)) f |= F_DECIMAL;
    if (c >= '0' && c <= '9') f |= F_DIGIT;
    if (upper) f |= F_UPPER;
    if (upper || Py_UNICODE_TOUPPER(c) != c) f |= F_CASED;
    if ((c >= 0x3040 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af)) f |= F_CJK;
    if (c == ',') f |= F_COMMA;
    if (in_set(c, SEPARATOR_CHARS)) f |= F_SEPARATOR;
    if (in_set(c, CODE_CHARS)) f |= F_CODE;
    if (c == '{' || c == '@') f |= F_CSS;
    if (c == '(' || c == '=' || c == '}') f |= F_SCRIPT;
    if (in_set(c, LABEL_MARKS)) f |= F_LABEL;
    if (f & ~(uint32_t)(F_WORD | F_DECIMAL)) f |= F_ANY;
    return f;
}

/* is_word and Py_UNICODE_TOLOWER, with ASCII read from the table and by arithmetic */
static inline int is_word_fast(Py_UCS4 c) {
    return c < 128 ? (ASCII_FLAGS[c] & F_WORD) != 0 : is_word(c);
}

static inline Py_UCS4 lower_fast(Py_UCS4 c) {
    return c < 128 ? (c >= 'A' && c <= 'Z' ? c + 32 : c) : Py_UNICODE_TOLOWER(c);
}

/* char_flags of the non-ASCII characters met in one call, direct-mapped by the low bits of the code
   point: a page's few (curly quotes, dashes, its script's letters) recur on every line, and each
   char_flags reads the Unicode database six times. A slot whose `c` is 0 is empty (0 is ASCII). */
#define FLAG_SLOTS 512
typedef struct { Py_UCS4 c; uint32_t f; } FlagSlot;

static inline uint32_t cached_flags(Py_UCS4 c, FlagSlot *seen) {
    FlagSlot *slot = &seen[c & (FLAG_SLOTS - 1)];
    if (slot->c != c) {
        slot->c = c;
        slot->f = char_flags(c);
    }
    return slot->f;
}

/* The counts of one str's characters into `count`; the index of its first label mark, or -1. */
static inline __attribute__((always_inline)) int32_t count_chars(int kind, const void *data, Py_ssize_t len,
                                                                 int32_t *count, FlagSlot *seen) {
    int prev_word = 0;
    int32_t label_at = -1;
    for (Py_ssize_t i = 0; i < len; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        uint32_t f = c < 128 ? ASCII_FLAGS[c] : cached_flags(c, seen);
        int word = f & F_WORD;
        if (word && !prev_word) {
            count[C_WORDS]++;
            if (f & F_UPPER) count[C_CAP_WORDS]++;
            if ((f & F_DECIMAL) && !count[C_DATE] && date_at(kind, data, len, i)) count[C_DATE] = 1;
        }
        prev_word = word;
        if (!(f & F_ANY)) continue;
        if (f & F_DIGIT) count[C_DIGIT]++;
        if (f & F_UPPER) count[C_UPPER]++;
        if (f & F_CASED) count[C_CASED]++;
        if (f & F_CJK) count[C_CJK]++;
        if (f & F_COMMA) count[C_COMMAS]++;
        if (f & F_SEPARATOR) count[C_SEPARATORS]++;
        if (f & F_CODE) count[C_CODE]++;
        if (f & F_CSS) count[C_CSS_MARKS]++;
        if (f & F_SCRIPT) count[C_SCRIPT_MARKS]++;
        if ((f & F_LABEL) && label_at < 0) label_at = (int32_t)i;
    }
    return label_at;
}

static PyObject *char_counts(PyObject *self, PyObject *arg) {
    PyObject *seq = PySequence_Fast(arg, "char_counts expects a list of str");
    if (!seq) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    PyObject *result = PyBytes_FromStringAndSize(NULL, n * N_COUNTS * sizeof(float));
    if (!result) { Py_DECREF(seq); return NULL; }
    float *out = (float *)PyBytes_AS_STRING(result);
    memset(out, 0, n * N_COUNTS * sizeof(float));
    FlagSlot seen[FLAG_SLOTS] = {{0, 0}};
    for (Py_ssize_t r = 0; r < n; r++) {
        PyObject *s = PySequence_Fast_GET_ITEM(seq, r);
        if (!PyUnicode_Check(s)) {
            PyErr_SetString(PyExc_TypeError, "char_counts expects a list of str");
            Py_DECREF(seq); Py_DECREF(result);
            return NULL;
        }
        Py_ssize_t len = PyUnicode_GET_LENGTH(s);
        int kind = PyUnicode_KIND(s);
        const void *data = PyUnicode_DATA(s);
        float *row = out + r * N_COUNTS;
        int32_t count[N_COUNTS] = {0};
        int32_t label_at = PER_KIND(count_chars, kind, data, len, count, seen);
        for (int k = 0; k < N_COUNTS; k++) row[k] = (float)count[k];
        row[C_LABEL_AT] = (float)label_at;
        if (len > 0) {
            Py_UCS4 first = PyUnicode_READ(kind, data, 0);
            row[C_ENDS] = (float)in_set(PyUnicode_READ(kind, data, len - 1), END_CHARS);
            int numbered = len > 1 && first >= '0' && first <= '9' &&
                           (PyUnicode_READ(kind, data, 1) == '.' || PyUnicode_READ(kind, data, 1) == ')');
            row[C_BULLET] = (float)(in_set(first, BULLET_CHARS) || numbered);
        }
    }
    Py_DECREF(seq);
    return result;
}

/* ---------------------------------------------------------------- word_hits */

/* The set's words as code points in an open-addressing table, so that a word of a text is looked up
   from the characters in a buffer. Making each word a str for PySet_Contains, and reading every
   character's class and case from the Unicode database, were most of word_hits' time: without them
   it runs 6.4x faster on 1,500 pages' title words. */
typedef struct {
    Py_ssize_t len;
    Py_UCS4 *chars;   /* NULL: an empty slot */
    uint64_t hash;
} WordSlot;

static uint64_t ucs4_hash(const Py_UCS4 *chars, Py_ssize_t len) {
    return XXH3_64bits(chars, (size_t)len * sizeof(Py_UCS4));
}

static int word_in(const WordSlot *table, size_t mask, const Py_UCS4 *chars, Py_ssize_t len) {
    uint64_t h = ucs4_hash(chars, len);
    for (size_t at = h & mask;; at = (at + 1) & mask) {
        const WordSlot *slot = &table[at];
        if (!slot->chars) return 0;
        if (slot->hash == h && slot->len == len && !memcmp(slot->chars, chars, (size_t)len * sizeof(Py_UCS4)))
            return 1;
    }
}

/* How many of the words of one str are in the table (`longest`: its longest word; bit k of `lengths`:
   some word is k characters long). */
static inline __attribute__((always_inline)) float hits_in(int kind, const void *data, Py_ssize_t len,
                                                           const WordSlot *table, size_t size, Py_UCS4 *buf,
                                                           Py_ssize_t longest, uint64_t lengths) {
    float hits = 0;
    Py_ssize_t i = 0;
    while (i < len) {
        if (!is_word_fast(PyUnicode_READ(kind, data, i))) { i++; continue; }
        Py_ssize_t a = i;
        while (i < len && is_word_fast(PyUnicode_READ(kind, data, i))) i++;
        /* only a word as long as one of the set's is looked up */
        if (i - a > longest || (i - a < 64 && !(lengths >> (i - a) & 1))) continue;
        for (Py_ssize_t k = a; k < i; k++) buf[k - a] = lower_fast(PyUnicode_READ(kind, data, k));
        hits += (float)word_in(table, size - 1, buf, i - a);
    }
    return hits;
}

/* Per text, how many of its words (\w runs) are in `words` (a set of lower-case str): what
   features.py counts with the regex \b(?:w1|w2|...)\b, re.IGNORECASE, over the page. */
static PyObject *word_hits(PyObject *self, PyObject *args) {
    PyObject *texts, *words;
    if (!PyArg_ParseTuple(args, "OO!", &texts, &PySet_Type, &words)) return NULL;
    PyObject *seq = PySequence_Fast(texts, "word_hits expects a list of str");
    if (!seq) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq), longest = 0, total = 0;
    uint64_t lengths = 0;  /* bit k: some word of the set is k characters long (k < 64) */
    size_t size = 8;
    while (size < 2 * (size_t)PySet_GET_SIZE(words) + 2) size <<= 1;
    WordSlot *table = PyMem_Calloc(size, sizeof(WordSlot));
    PyObject *iter = PyObject_GetIter(words), *item, *result = NULL;
    Py_UCS4 *pool = NULL, *buf = NULL;
    if (!table || !iter) goto done;
    while ((item = PyIter_Next(iter))) {  /* the set's str words, their code points in one pool */
        if (PyUnicode_Check(item)) total += PyUnicode_GET_LENGTH(item);
        Py_DECREF(item);
    }
    if (PyErr_Occurred()) goto done;
    pool = PyMem_Malloc((total + 1) * sizeof(Py_UCS4));
    if (!pool) goto done;
    Py_DECREF(iter);
    iter = PyObject_GetIter(words);
    if (!iter) goto done;
    Py_UCS4 *at = pool;
    while ((item = PyIter_Next(iter))) {
        if (PyUnicode_Check(item)) {
            Py_ssize_t k = PyUnicode_GET_LENGTH(item);
            if (!PyUnicode_AsUCS4(item, at, k, 0)) { Py_DECREF(item); goto done; }
            if (k > longest) longest = k;
            lengths |= k < 64 ? (uint64_t)1 << k : 0;
            uint64_t h = ucs4_hash(at, k);
            size_t slot = h & (size - 1);
            while (table[slot].chars) slot = (slot + 1) & (size - 1);
            table[slot].len = k;
            table[slot].chars = at;
            table[slot].hash = h;
            at += k;
        }
        Py_DECREF(item);
    }
    if (PyErr_Occurred()) goto done;
    result = PyBytes_FromStringAndSize(NULL, n * sizeof(float));
    buf = PyMem_Malloc((longest + 1) * sizeof(Py_UCS4));
    if (!result || !buf) { Py_CLEAR(result); if (!PyErr_Occurred()) PyErr_NoMemory(); goto done; }
    float *out = (float *)PyBytes_AS_STRING(result);
    for (Py_ssize_t r = 0; r < n; r++) {
        PyObject *s = PySequence_Fast_GET_ITEM(seq, r);
        out[r] = 0;
        if (!PyUnicode_Check(s)) continue;
        Py_ssize_t len = PyUnicode_GET_LENGTH(s);
        const void *data = PyUnicode_DATA(s);
        out[r] = PER_KIND(hits_in, PyUnicode_KIND(s), data, len, table, size, buf, longest, lengths);
    }
done:
    if (!result && !PyErr_Occurred()) PyErr_NoMemory();
    Py_XDECREF(iter);
    Py_DECREF(seq);
    PyMem_Free(table);
    PyMem_Free(pool);
    PyMem_Free(buf);
    return result;
}

/* ---------------------------------------------------------------- words_lines */

/* hashing.normalize_lines after NFKC and casefold: each line of `text` (split on "\n" only) with every
   run of characters that are not \w, or are "_", turned into one space, and stripped. ASCII capitals
   are lowered on the way (no case-folded text holds one), so that an ASCII line needs no fold before. */
static PyObject *words_lines(PyObject *self, PyObject *arg) {
    if (!is_str(arg, "words_lines")) return NULL;
    Py_ssize_t n = PyUnicode_GET_LENGTH(arg);
    int kind = PyUnicode_KIND(arg);
    const void *data = PyUnicode_DATA(arg);
    PyObject *lines = PyList_New(0);
    Py_UCS4 *buf = PyMem_Malloc((n + 1) * sizeof(Py_UCS4));
    if (!lines || !buf) { Py_XDECREF(lines); PyMem_Free(buf); return PyErr_NoMemory(); }
    Py_ssize_t len = 0;
    int pending_space = 0;
    for (Py_ssize_t i = 0; i <= n; i++) {
        Py_UCS4 c = i < n ? PyUnicode_READ(kind, data, i) : '\n';
        if (c == '\n') {
            PyObject *line = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buf, len);
            if (!line || PyList_Append(lines, line) < 0) {
                Py_XDECREF(line); Py_DECREF(lines); PyMem_Free(buf);
                return NULL;
            }
            Py_DECREF(line);
            len = 0;
            pending_space = 0;
        } else if (c < 128 ? (ASCII_FLAGS[c] & F_WORD) && c != '_' : Py_UNICODE_ISALNUM(c)) {
            if (pending_space && len) buf[len++] = ' ';
            pending_space = 0;
            buf[len++] = (c >= 'A' && c <= 'Z') ? c + 32 : c;
        } else {
            pending_space = 1;
        }
    }
    PyMem_Free(buf);
    return lines;
}

/* ---------------------------------------------------------------- collapsed_lines */

/* One str's characters appended to buf[len:], each run of whitespace one space, its ends stripped:
   the new length. */
static inline __attribute__((always_inline)) Py_ssize_t collapsed_into(int kind, const void *data, Py_ssize_t n,
                                                                       Py_UCS4 *buf, Py_ssize_t len) {
    Py_ssize_t start = len;
    int pending = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (Py_UNICODE_ISSPACE(c)) {
            pending = 1;
        } else {
            if (pending && len > start) buf[len++] = ' ';
            pending = 0;
            buf[len++] = c;
        }
    }
    return len;
}

/* "\n".join(" ".join(text.split()) for text in texts): each text's runs of whitespace (str.isspace's
 * characters, what str.split() splits on) made one space and its ends stripped, the texts joined by
 * line breaks. An article's text, from its lines: a split and a join per line cost 4% of a run. */
static PyObject *collapsed_lines(PyObject *self, PyObject *arg) {
    if (!PyList_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "collapsed_lines expects a list of str");
        return NULL;
    }
    Py_ssize_t count = PyList_GET_SIZE(arg), total = 0;
    for (Py_ssize_t k = 0; k < count; k++) {
        PyObject *text = PyList_GET_ITEM(arg, k);
        if (!PyUnicode_Check(text)) {
            PyErr_SetString(PyExc_TypeError, "collapsed_lines expects a list of str");
            return NULL;
        }
        total += PyUnicode_GET_LENGTH(text) + 1;
    }
    Py_UCS4 *buf = PyMem_Malloc((total + 1) * sizeof(Py_UCS4));
    if (!buf) return PyErr_NoMemory();
    Py_ssize_t len = 0;
    for (Py_ssize_t k = 0; k < count; k++) {
        PyObject *text = PyList_GET_ITEM(arg, k);
        Py_ssize_t n = PyUnicode_GET_LENGTH(text);
        const void *data = PyUnicode_DATA(text);
        if (k) buf[len++] = '\n';
        len = PER_KIND(collapsed_into, PyUnicode_KIND(text), data, n, buf, len);
    }
    /* the str in its narrowest kind, as Python makes it (a str of another kind compares unequal) */
    PyObject *out = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buf, len);
    PyMem_Free(buf);
    return out;
}

/* ---------------------------------------------------------------- tree_raw */

/* One node as model.py packs it: a leaf points to itself on both sides, so every tree is walked for
   exactly `depth` steps with no test for leaves. model.py checks once, when it packs them, that every
   index is in range (features < cols, children and roots < nodes, classes < classes): checking here
   would cost more than the walk of a small page. */
typedef struct {
    int32_t feature;
    float threshold;
    int32_t left;
    int32_t right;
} Node;

#define LANES 16 /* rows walked together: their loads overlap instead of waiting on each other (16: 22% less
                    time than 8 on the 4,500 captures; 32 no better) */

static PyObject *tree_raw(PyObject *self, PyObject *args) {
    Py_buffer xb, nb, vb, rb, cb, bb;
    Py_ssize_t rows, cols, depth, classes;
    if (!PyArg_ParseTuple(args, "y*nny*y*y*y*y*nn", &xb, &rows, &cols, &nb, &vb, &rb, &cb, &bb, &depth, &classes))
        return NULL;
    PyObject *result = NULL;
    Py_ssize_t trees = rb.len / (Py_ssize_t)sizeof(int32_t);
    if (xb.len != rows * cols * (Py_ssize_t)sizeof(float) || cb.len != rb.len ||
        bb.len != classes * (Py_ssize_t)sizeof(double) || nb.len % sizeof(Node) ||
        vb.len != (Py_ssize_t)(nb.len / sizeof(Node) * sizeof(double))) {
        PyErr_SetString(PyExc_ValueError, "tree_raw: inconsistent buffer sizes");
        goto done;
    }
    const float *x = xb.buf;
    const Node *nodes = nb.buf;
    const double *value = vb.buf;
    const int32_t *roots = rb.buf, *tree_class = cb.buf;
    const double *baseline = bb.buf;
    result = PyBytes_FromStringAndSize(NULL, rows * classes * sizeof(double));
    if (!result) goto done;
    double *out = (double *)PyBytes_AS_STRING(result);
    for (Py_ssize_t r = 0; r < rows; r++)
        for (Py_ssize_t k = 0; k < classes; k++) out[r * classes + k] = baseline[k];
    Py_BEGIN_ALLOW_THREADS
    Py_ssize_t whole = rows - rows % LANES;
    for (Py_ssize_t r0 = 0; r0 < whole; r0 += LANES) {
        for (Py_ssize_t t = 0; t < trees; t++) {
            /* LANES rows at once, their walks interleaved: each waits on its own loads, so the
               others' overlap them; the constant bound keeps the lanes in registers */
            int32_t at[LANES];
            for (int l = 0; l < LANES; l++) at[l] = roots[t];
            for (Py_ssize_t d = 0; d < depth; d++) {
                for (int l = 0; l < LANES; l++) {
                    /* left and right stand side by side: the comparison picks one without a branch,
                       which the data would mispredict half the time */
                    const Node *nd = nodes + at[l];
                    at[l] = (&nd->left)[!(x[(r0 + l) * cols + nd->feature] <= nd->threshold)];
                }
            }
            for (int l = 0; l < LANES; l++) out[(r0 + l) * classes + tree_class[t]] += value[at[l]];
        }
    }
    for (Py_ssize_t r = whole; r < rows; r++) {  /* the last few rows one by one */
        for (Py_ssize_t t = 0; t < trees; t++) {
            int32_t at = roots[t];
            for (Py_ssize_t d = 0; d < depth; d++) {
                const Node *nd = nodes + at;
                at = (&nd->left)[!(x[r * cols + nd->feature] <= nd->threshold)];
            }
            out[r * classes + tree_class[t]] += value[at];
        }
    }
    Py_END_ALLOW_THREADS
done:
    PyBuffer_Release(&xb); PyBuffer_Release(&nb); PyBuffer_Release(&vb);
    PyBuffer_Release(&rb); PyBuffer_Release(&cb); PyBuffer_Release(&bb);
    return result;
}

/* ---------------------------------------------------------------- module */

/* ---------------------------------------------------------------- html_depth */

/* The twin of tamis/extract/nesting.py's `_tags` scan, reduced to the deepest level reached. */

static Py_ssize_t find_char(int kind, const void *data, Py_ssize_t n, Py_UCS4 ch, Py_ssize_t from) {
    if (from < 0) from = 0;
    if (kind == PyUnicode_1BYTE_KIND) {  /* most pages: memchr */
        if (from >= n) return -1;
        const char *hit = memchr((const char *)data + from, (int)ch, (size_t)(n - from));
        return hit ? hit - (const char *)data : -1;
    }
    if (kind == PyUnicode_2BYTE_KIND) {
        const Py_UCS2 *d = data;
        for (Py_ssize_t i = from; i < n; i++)
            if (d[i] == ch) return i;
        return -1;
    }
    const Py_UCS4 *d = data;
    for (Py_ssize_t i = from; i < n; i++)
        if (d[i] == ch) return i;
    return -1;
}

static int ascii_alpha(Py_UCS4 c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int ascii_alnum(Py_UCS4 c) { return ascii_alpha(c) || (c >= '0' && c <= '9'); }
static Py_UCS4 ascii_lower(Py_UCS4 c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

/* Case-insensitive: does text[pos:] start with the lower-case ASCII `needle`? */
static int starts_ci(int kind, const void *data, Py_ssize_t n, Py_ssize_t pos, const char *needle, Py_ssize_t len) {
    if (pos + len > n) return 0;
    for (Py_ssize_t k = 0; k < len; k++)
        if (ascii_lower(PyUnicode_READ(kind, data, pos + k)) != (Py_UCS4)needle[k]) return 0;
    return 1;
}

/* A tag name of up to 8 characters as one integer (names are [a-z0-9-], so no two share one). */
static uint64_t pack_name(const char *name, Py_ssize_t len) {
    uint64_t code = 0;
    for (Py_ssize_t k = 0; k < len; k++) code |= (uint64_t)(unsigned char)name[k] << (8 * k);
    return code;
}

/* The names of a Python set of str (each of at most 8 ASCII characters) as packed codes; -1 on error. */
static Py_ssize_t pack_set(PyObject *names, uint64_t *out, Py_ssize_t cap) {
    PyObject *iter = PyObject_GetIter(names), *item;
    Py_ssize_t count = 0;
    if (!iter) return -1;
    while ((item = PyIter_Next(iter))) {
        Py_ssize_t len;
        const char *utf8 = PyUnicode_Check(item) ? PyUnicode_AsUTF8AndSize(item, &len) : NULL;
        if (utf8 && len <= 8 && count < cap) out[count++] = pack_name(utf8, len);
        else if (utf8) PyErr_SetString(PyExc_ValueError, "html_depth: names of at most 8 characters, 64 of them");
        Py_DECREF(item);
        if (PyErr_Occurred()) break;
    }
    Py_DECREF(iter);
    return PyErr_Occurred() ? -1 : count;
}

static int in_codes(const uint64_t *codes, Py_ssize_t count, uint64_t code) {
    for (Py_ssize_t k = 0; k < count; k++)
        if (codes[k] == code) return 1;
    return 0;
}

/* `html` is a str or its UTF-8 bytes: every byte of a multi-byte character is >= 0x80, so the tags, all
 * ASCII, read the same in both, and bytes are scanned with memchr (a str with one character above
 * U+00FF, a curly quote, is scanned a character at a time). */
static PyObject *html_depth(PyObject *self, PyObject *args) {
    PyObject *text, *void_names, *raw_names;
    if (!PyArg_ParseTuple(args, "OOO", &text, &void_names, &raw_names)) return NULL;
    Py_ssize_t n;
    int kind;
    const void *data;
    if (PyBytes_Check(text)) {
        n = PyBytes_GET_SIZE(text);
        kind = PyUnicode_1BYTE_KIND;
        data = PyBytes_AS_STRING(text);
    } else if (PyUnicode_Check(text)) {
        n = PyUnicode_GET_LENGTH(text);
        kind = PyUnicode_KIND(text);
        data = PyUnicode_DATA(text);
    } else {
        PyErr_SetString(PyExc_TypeError, "html_depth expects a str or bytes");
        return NULL;
    }
    uint64_t void_codes[64], raw_codes[64];
    Py_ssize_t n_void = pack_set(void_names, void_codes, 64), n_raw = pack_set(raw_names, raw_codes, 64);
    if (n_void < 0 || n_raw < 0) return NULL;
    long level = 0, deepest = 0;
    char name[64], close[80];
    Py_ssize_t i = find_char(kind, data, n, '<', 0);
    while (i >= 0 && i < n - 1) {
        if (starts_ci(kind, data, n, i, "<!--", 4)) {
            Py_ssize_t end = -1;
            for (Py_ssize_t k = i + 4; k + 2 < n; k++)
                if (PyUnicode_READ(kind, data, k) == '-' && PyUnicode_READ(kind, data, k + 1) == '-' &&
                    PyUnicode_READ(kind, data, k + 2) == '>') { end = k; break; }
            i = end >= 0 ? find_char(kind, data, n, '<', end + 3) : -1;
            continue;
        }
        Py_UCS4 next = PyUnicode_READ(kind, data, i + 1);
        int closing = next == '/';
        Py_ssize_t j = closing ? i + 2 : i + 1;
        if (j < n && ascii_alpha(PyUnicode_READ(kind, data, j))) {
            Py_ssize_t k = j, len = 0;
            while (k < n) {
                Py_UCS4 c = PyUnicode_READ(kind, data, k);
                if (!(ascii_alnum(c) || c == '-')) break;
                if (len < 63) name[len] = (char)ascii_lower(c);
                len++;
                k++;
            }
            Py_ssize_t end = find_char(kind, data, n, '>', k);
            if (end < 0) break;
            int in_void = 0, raw = 0;
            if (len <= 8) {  /* a longer name is in neither set */
                uint64_t code = pack_name(name, len);
                in_void = in_codes(void_codes, n_void, code);
                raw = in_codes(raw_codes, n_raw, code);
            }
            int step = in_void ? 0 : closing ? -1 : (PyUnicode_READ(kind, data, end - 1) == '/' ? 0 : 1);
            level += step;
            if (level < 0) level = 0;
            if (level > deepest) deepest = level;
            if (step == 1 && raw) {  /* its text runs to its end tag */
                close[0] = '<';
                close[1] = '/';
                memcpy(close + 2, name, len);
                Py_ssize_t pos = find_char(kind, data, n, '<', end + 1);
                while (pos >= 0 && !starts_ci(kind, data, n, pos, close, len + 2))
                    pos = find_char(kind, data, n, '<', pos + 1);
                i = pos;
            } else {
                i = find_char(kind, data, n, '<', end + 1);
            }
        } else if (next == '!' || next == '?') {
            Py_ssize_t end = find_char(kind, data, n, '>', i + 1);
            i = end >= 0 ? find_char(kind, data, n, '<', end + 1) : -1;
        } else {
            i = find_char(kind, data, n, '<', i + 1);
        }
    }
    return PyLong_FromLong(deepest);
}

/* ---------------------------------------------------------------- hash_texts, word_hashes */

/* The output of a function that gives one uint64 per str of a list, its count in `count`; NULL, with an
   error set, when `arg` is no list. */
static PyObject *uint64_per_item(PyObject *arg, const char *expects, Py_ssize_t *count) {
    if (!PyList_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, expects);
        return NULL;
    }
    *count = PyList_GET_SIZE(arg);
    return PyBytes_FromStringAndSize(NULL, *count * (Py_ssize_t)sizeof(uint64_t));
}

/* io/readers.py's _valid_unicode: whether a str holds a lone surrogate (U+D800..U+DFFF), which no
   UTF-8 writer takes. A str of one byte per character cannot; otherwise one pass over its code units,
   where encoding it to UTF-8 to see whether that fails made a copy of every non-ASCII text read. */
static PyObject *has_surrogates(PyObject *self, PyObject *arg) {
    if (!is_str(arg, "has_surrogates")) return NULL;
    Py_ssize_t n = PyUnicode_GET_LENGTH(arg);
    int kind = PyUnicode_KIND(arg);
    int found = 0;
    /* in blocks of 256 with no early exit inside one: the compiler turns a block into vector code */
    if (kind == PyUnicode_2BYTE_KIND) {
        const Py_UCS2 *u = PyUnicode_2BYTE_DATA(arg);
        for (Py_ssize_t i = 0; i < n && !found; i += 256) {
            Py_ssize_t end = i + 256 < n ? i + 256 : n;
            for (Py_ssize_t j = i; j < end; j++) found |= (u[j] & 0xF800) == 0xD800;
        }
    } else if (kind == PyUnicode_4BYTE_KIND) {
        const Py_UCS4 *u = PyUnicode_4BYTE_DATA(arg);
        for (Py_ssize_t i = 0; i < n && !found; i += 256) {
            Py_ssize_t end = i + 256 < n ? i + 256 : n;
            for (Py_ssize_t j = i; j < end; j++) found |= (u[j] & 0xFFFFF800) == 0xD800;
        }
    }
    return PyBool_FromLong(found);
}

/* ---------------------------------------------------------------- sorted_overlap */

/* dedup/verify.overlap: how many values two sorted arrays of distinct uint64 share. A merge when the
   sizes are alike; each value of the smaller searched in the larger when it is far larger. numpy's
   searchsorted, then a gather and a compare, took 18 µs a pair. */
static PyObject *sorted_overlap(PyObject *self, PyObject *args) {
    Py_buffer ab, bb;
    if (!PyArg_ParseTuple(args, "y*y*", &ab, &bb)) return NULL;
    if (ab.len % sizeof(uint64_t) || bb.len % sizeof(uint64_t)) {
        PyBuffer_Release(&ab); PyBuffer_Release(&bb);
        PyErr_SetString(PyExc_ValueError, "sorted_overlap expects two buffers of uint64");
        return NULL;
    }
    const uint64_t *a = ab.buf, *b = bb.buf;
    Py_ssize_t n = ab.len / (Py_ssize_t)sizeof(uint64_t), m = bb.len / (Py_ssize_t)sizeof(uint64_t), common = 0;
    if (n > m) {
        const uint64_t *t = a; a = b; b = t;
        Py_ssize_t k = n; n = m; m = k;
    }
    if (n && m / n >= 16) {
        Py_ssize_t lo = 0;
        for (Py_ssize_t i = 0; i < n; i++) {  /* a is sorted: each search starts where the last ended */
            Py_ssize_t hi = m;
            while (lo < hi) {
                Py_ssize_t mid = lo + (hi - lo) / 2;
                if (b[mid] < a[i]) lo = mid + 1; else hi = mid;
            }
            if (lo == m) break;
            common += b[lo] == a[i];
        }
    } else {
        Py_ssize_t i = 0, j = 0;
        while (i < n && j < m) {
            if (a[i] < b[j]) i++;
            else if (b[j] < a[i]) j++;
            else { common++; i++; j++; }
        }
    }
    PyBuffer_Release(&ab); PyBuffer_Release(&bb);
    return PyLong_FromSsize_t(common);
}

/* hashing.hash_normalized: xxh3-64 (seed 0) of the UTF-8 of each str of a list, as uint64 bytes. */
static PyObject *hash_texts(PyObject *self, PyObject *arg) {
    Py_ssize_t count;
    PyObject *out = uint64_per_item(arg, "hash_texts expects a list of str", &count);
    if (!out) return NULL;
    char *dst = PyBytes_AS_STRING(out);
    for (Py_ssize_t k = 0; k < count; k++) {
        PyObject *item = PyList_GET_ITEM(arg, k);
        Py_ssize_t len;
        const char *utf8 = PyUnicode_Check(item) ? PyUnicode_AsUTF8AndSize(item, &len) : NULL;
        if (!utf8) {
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "hash_texts expects a list of str");
            Py_DECREF(out);
            return NULL;
        }
        uint64_t h = XXH3_64bits(utf8, (size_t)len);
        memcpy(dst + k * sizeof(uint64_t), &h, sizeof(uint64_t));
    }
    return out;
}

/* ---------------------------------------------------------------- folds: normalize without Python */

/* hashing.normalize is NFKC, case folding, then words_lines. For the characters of hashing._folds()'s
   table, NFKC and folding act on each character alone (hashing.py says why), so a line made only of
   ASCII and table characters is normalised here, each character replaced by its folded form from the
   table. FOLD_AT[c] = (offset in FOLD_POOL, length), length -1: not in the table. */
static int32_t *FOLD_AT = NULL;
static Py_UCS4 *FOLD_POOL = NULL;
static Py_ssize_t FOLD_END = 0;
#define FOLD_MAX 3   /* the longest folded form the table holds */

static PyObject *set_folds(PyObject *self, PyObject *args) {
    Py_buffer at;
    PyObject *pool;
    if (!PyArg_ParseTuple(args, "y*U", &at, &pool)) return NULL;
    Py_ssize_t end = at.len / (Py_ssize_t)(2 * sizeof(int32_t)), size = PyUnicode_GET_LENGTH(pool);
    int32_t *new_at = PyMem_Malloc(at.len ? at.len : 1);
    Py_UCS4 *new_pool = PyUnicode_AsUCS4Copy(pool);
    if (!new_at || !new_pool) {
        PyBuffer_Release(&at); PyMem_Free(new_at); PyMem_Free(new_pool);
        if (!PyErr_Occurred()) PyErr_NoMemory();
        return NULL;
    }
    memcpy(new_at, at.buf, at.len);
    PyBuffer_Release(&at);
    for (Py_ssize_t c = 0; c < end; c++) {
        int32_t off = new_at[2 * c], len = new_at[2 * c + 1];
        if (len > FOLD_MAX || (len >= 0 && (off < 0 || off + len > size))) {
            PyMem_Free(new_at); PyMem_Free(new_pool);
            PyErr_SetString(PyExc_ValueError, "set_folds: an entry out of range");
            return NULL;
        }
    }
    PyMem_Free(FOLD_AT);
    PyMem_Free(FOLD_POOL);
    FOLD_AT = new_at;
    FOLD_POOL = new_pool;
    FOLD_END = end;
    Py_RETURN_NONE;
}

/* The normalised words of text[a:b) into out (room for FOLD_MAX + 1 per character): 1, or 0 when a
   character is neither ASCII nor in the table (the caller normalises that line in Python). */
static inline __attribute__((always_inline)) int fold_line_of(int kind, const void *data, Py_ssize_t a, Py_ssize_t b,
                                                               Py_UCS4 *out, Py_ssize_t *out_len) {
    Py_ssize_t len = 0;
    int pending_space = 0;
#define FOLD_EMIT(f, word)                                  \
    if (word) {                                             \
        if (pending_space && len) out[len++] = ' ';         \
        pending_space = 0;                                  \
        out[len++] = ((f) >= 'A' && (f) <= 'Z') ? (f) + 32 : (f); \
    } else {                                                \
        pending_space = 1;                                  \
    }
    for (Py_ssize_t i = a; i < b; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c < 128) {  /* most characters: no table, no inner loop */
            FOLD_EMIT(c, (ASCII_FLAGS[c] & F_WORD) && c != '_')
            continue;
        }
        if ((Py_ssize_t)c >= FOLD_END || FOLD_AT[2 * c + 1] < 0) return 0;
        const Py_UCS4 *folded = FOLD_POOL + FOLD_AT[2 * c];
        for (int32_t j = 0; j < FOLD_AT[2 * c + 1]; j++) {
            Py_UCS4 f = folded[j];
            FOLD_EMIT(f, f < 128 ? (ASCII_FLAGS[f] & F_WORD) && f != '_' : Py_UNICODE_ISALNUM(f))
        }
    }
#undef FOLD_EMIT
    *out_len = len;
    return 1;
}

static int fold_line(int kind, const void *data, Py_ssize_t a, Py_ssize_t b, Py_UCS4 *out, Py_ssize_t *out_len) {
    return PER_KIND(fold_line_of, kind, data, a, b, out, out_len);
}

/* hashing.normalize_lines: each str of a list normalised, or None for a line fold_line cannot do. */
static PyObject *fold_lines(PyObject *self, PyObject *arg) {
    if (!PyList_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "fold_lines expects a list of str");
        return NULL;
    }
    Py_ssize_t count = PyList_GET_SIZE(arg), cap = 0;
    PyObject *result = PyList_New(count);
    Py_UCS4 *buf = NULL;
    if (!result) return NULL;
    for (Py_ssize_t k = 0; k < count; k++) {
        PyObject *item = PyList_GET_ITEM(arg, k);
        if (!PyUnicode_Check(item)) {
            PyErr_SetString(PyExc_TypeError, "fold_lines expects a list of str");
            goto fail;
        }
        Py_ssize_t n = PyUnicode_GET_LENGTH(item), len;
        RESERVE(buf, cap, (FOLD_MAX + 1) * n + 1, goto fail);
        PyObject *line;
        if (fold_line(PyUnicode_KIND(item), PyUnicode_DATA(item), 0, n, buf, &len)) {
            line = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buf, len);
            if (!line) goto fail;
        } else {
            line = Py_NewRef(Py_None);
        }
        PyList_SET_ITEM(result, k, line);
    }
    PyMem_Free(buf);
    return result;
fail:
    PyMem_Free(buf);
    Py_DECREF(result);
    return NULL;
}

/* UTF-8 of code points, into dst (room for 4 bytes a code point): its length. */
static Py_ssize_t utf8_of(const Py_UCS4 *cps, Py_ssize_t n, char *dst) {
    Py_ssize_t len = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = cps[i];
        if (c < 0x80) {
            dst[len++] = (char)c;
        } else if (c < 0x800) {
            dst[len++] = (char)(0xc0 | (c >> 6));
            dst[len++] = (char)(0x80 | (c & 0x3f));
        } else if (c < 0x10000) {
            dst[len++] = (char)(0xe0 | (c >> 12));
            dst[len++] = (char)(0x80 | ((c >> 6) & 0x3f));
            dst[len++] = (char)(0x80 | (c & 0x3f));
        } else {
            dst[len++] = (char)(0xf0 | (c >> 18));
            dst[len++] = (char)(0x80 | ((c >> 12) & 0x3f));
            dst[len++] = (char)(0x80 | ((c >> 6) & 0x3f));
            dst[len++] = (char)(0x80 | (c & 0x3f));
        }
    }
    return len;
}

/* templates.page_line_hashes: split_lines, then xxh3-64 of the UTF-8 of each line's `normalize`, as
   uint64 bytes, for the lines fold_line can do. Another line's hash is left 0 and (index, start, end)
   listed for the caller. Returns (hashes, [(index, start, end), ...]). */
static PyObject *line_hashes(PyObject *self, PyObject *arg) {
    if (!is_str(arg, "line_hashes")) return NULL;
    int kind = PyUnicode_KIND(arg);
    const void *data = PyUnicode_DATA(arg);
    Py_ssize_t count, n = PyUnicode_GET_LENGTH(arg);
    int64_t *bounds = line_bounds(arg, &count);
    if (!bounds) return PyErr_NoMemory();
    PyObject *hashes = PyBytes_FromStringAndSize(NULL, count * (Py_ssize_t)sizeof(uint64_t));
    PyObject *odd = PyList_New(0);
    Py_UCS4 *words = PyMem_Malloc(((FOLD_MAX + 1) * n + 1) * sizeof(Py_UCS4));
    char *utf8 = PyMem_Malloc(4 * (FOLD_MAX + 1) * n + 1);
    if (!hashes || !odd || !words || !utf8) {
        Py_XDECREF(hashes); Py_XDECREF(odd); PyMem_Free(words); PyMem_Free(utf8); PyMem_Free(bounds);
        return PyErr_NoMemory();
    }
    char *dst = PyBytes_AS_STRING(hashes);
    for (Py_ssize_t k = 0; k < count; k++) {
        Py_ssize_t a = bounds[2 * k], b = bounds[2 * k + 1], len;
        uint64_t h = 0;
        if (fold_line(kind, data, a, b, words, &len)) {
            h = XXH3_64bits(utf8, (size_t)utf8_of(words, len, utf8));
        } else {
            PyObject *entry = Py_BuildValue("(nnn)", k, a, b);
            if (!entry || PyList_Append(odd, entry) < 0) {
                Py_XDECREF(entry); Py_DECREF(hashes); Py_DECREF(odd);
                PyMem_Free(words); PyMem_Free(utf8); PyMem_Free(bounds);
                return NULL;
            }
            Py_DECREF(entry);
        }
        memcpy(dst + k * sizeof(uint64_t), &h, sizeof(uint64_t));
    }
    PyMem_Free(words);
    PyMem_Free(utf8);
    PyMem_Free(bounds);
    PyObject *result = PyTuple_Pack(2, hashes, odd);
    Py_DECREF(hashes);
    Py_DECREF(odd);
    return result;
}

/* `text`'s code points into `out` with each run of decimal digits one "0", ASCII capitals lowered;
   `top` gets the OR of the code points kept. With `stable_only`, -1 as soon as a non-ASCII character
   has a lower case of its own (the caller lowers the text with str.lower() first). */
static Py_ssize_t mask_shape(PyObject *text, Py_UCS4 *out, int stable_only, Py_UCS4 *top) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), len = 0;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    int in_digits = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        int digit;
        if (c < 128) {
            digit = c >= '0' && c <= '9';
            if (c >= 'A' && c <= 'Z') c += 32;
        } else {
            digit = Py_UNICODE_ISDECIMAL(c);
            if (stable_only && !digit && Py_UNICODE_TOLOWER(c) != c) return -1;
        }
        if (digit) {
            if (!in_digits) out[len++] = '0';
            in_digits = 1;
        } else {
            out[len++] = c;
            *top |= c;
            in_digits = 0;
        }
    }
    return len;
}

/* features._context's line shapes: xxh3-64 of each str of a list lower-cased, with every
   run of decimal digits (re's \d: Unicode category Nd) as one "0". Two lines of one shape ("Rated 4.5
   out of 5", "Rated 3 out of 5") hash alike. An ASCII str is lowered and masked here byte by byte; any
   other by `mask_shape`. */
static PyObject *shape_hashes(PyObject *self, PyObject *arg) {
    Py_ssize_t count;
    PyObject *out = uint64_per_item(arg, "shape_hashes expects a list of str", &count);
    if (!out) return NULL;
    char *dst = PyBytes_AS_STRING(out);
    char *buf = NULL;
    Py_UCS4 *wide = NULL;
    Py_ssize_t cap = 0, wide_cap = 0;
    for (Py_ssize_t k = 0; k < count; k++) {
        PyObject *item = PyList_GET_ITEM(arg, k);
        if (!PyUnicode_Check(item)) {
            PyErr_SetString(PyExc_TypeError, "shape_hashes expects a list of str");
            goto fail;
        }
        uint64_t h;
        if (PyUnicode_IS_ASCII(item)) {
            Py_ssize_t n = PyUnicode_GET_LENGTH(item);
            const unsigned char *s = PyUnicode_1BYTE_DATA(item);
            RESERVE(buf, cap, n, goto fail);
            Py_ssize_t len = 0;
            for (Py_ssize_t i = 0; i < n; i++) {
                unsigned char c = s[i];
                if (c >= '0' && c <= '9') {
                    if (i == 0 || s[i - 1] < '0' || s[i - 1] > '9') buf[len++] = '0';  /* a run's first digit */
                } else {
                    buf[len++] = (c >= 'A' && c <= 'Z') ? c + 32 : c;
                }
            }
            h = XXH3_64bits(buf, (size_t)len);
        } else {
            /* The text lower-cased as str.lower() does, then its digit runs masked, into code points.
               Most non-ASCII characters of a line (quotes, dashes, accented small letters) have no
               lower case of their own: then str.lower() changes only the ASCII capitals, lowered here
               as the characters are read. A text holding one that has (É, İ, a capital sigma) is
               lowered by str.lower() first: full case mapping and final sigma stay Python's. The hash
               needs only to tell shapes apart: a shape all in ASCII is hashed as its bytes, as above,
               any other as its code points (making it a str and encoding it to UTF-8 cost 8x the ASCII
               path per character). */
            RESERVE(wide, wide_cap, PyUnicode_GET_LENGTH(item), goto fail);
            Py_UCS4 top = 0;
            Py_ssize_t len = mask_shape(item, wide, 1, &top);
            if (len < 0) {
                PyObject *lower = PyObject_CallMethod(item, "lower", NULL);
                if (!lower) goto fail;
                RESERVE(wide, wide_cap, PyUnicode_GET_LENGTH(lower), { Py_DECREF(lower); goto fail; });
                top = 0;
                len = mask_shape(lower, wide, 0, &top);
                Py_DECREF(lower);
            }
            if (top < 128) {
                RESERVE(buf, cap, len, goto fail);
                for (Py_ssize_t i = 0; i < len; i++) buf[i] = (char)wide[i];
                h = XXH3_64bits(buf, (size_t)len);
            } else {
                h = XXH3_64bits(wide, (size_t)len * sizeof(Py_UCS4));
            }
        }
        memcpy(dst + k * sizeof(uint64_t), &h, sizeof(uint64_t));
    }
    PyMem_Free(buf);
    PyMem_Free(wide);
    return out;
fail:
    PyMem_Free(buf);
    PyMem_Free(wide);
    Py_DECREF(out);
    return NULL;
}

/* bytes.split()'s separators: ASCII whitespace, as a table (one load per byte, no branches) */
static const unsigned char ASCII_SPACE[256] = {
    ['\t'] = 1, ['\n'] = 1, ['\x0b'] = 1, ['\x0c'] = 1, ['\r'] = 1, [' '] = 1};

/* xxh3-64 (seed 0) of each word of s[0:n], split as bytes.split() splits, into `out` (room for
   n / 2 + 1 words); returns how many words. */
static Py_ssize_t hash_words(const char *s, Py_ssize_t n, uint64_t *out) {
    Py_ssize_t words = 0, i = 0;
    const unsigned char *u = (const unsigned char *)s;
    while (i < n) {
        while (i < n && ASCII_SPACE[u[i]]) i++;
        Py_ssize_t j = i;
        while (j < n && !ASCII_SPACE[u[j]]) j++;
        if (j > i) out[words++] = XXH3_64bits(s + i, (size_t)(j - i));
        i = j;
    }
    return words;
}

/* shingles.word_hashes: xxh3-64 (seed 0) of each word of a str's UTF-8, the words split as
   bytes.split() splits them, as uint64 bytes. */
static PyObject *word_hashes(PyObject *self, PyObject *arg) {
    if (!is_str(arg, "word_hashes")) return NULL;
    Py_ssize_t n;
    const char *s = PyUnicode_AsUTF8AndSize(arg, &n);
    if (!s) return NULL;
    uint64_t *buf = PyMem_Malloc(((size_t)n / 2 + 1) * sizeof(uint64_t));
    if (!buf) return PyErr_NoMemory();
    Py_ssize_t words = hash_words(s, n, buf);
    PyObject *out = PyBytes_FromStringAndSize((const char *)buf, words * (Py_ssize_t)sizeof(uint64_t));
    PyMem_Free(buf);
    return out;
}

/* The shingle position constants of dedup/shingles.py's _POSITION, in the same order. */
static const uint64_t SHINGLE_POSITION[8] = {
    0x9E3779B97F4A7C15ULL, 0xC2B2AE3D27D4EB4FULL, 0x165667B19E3779F9ULL, 0x27D4EB2F165667C5ULL,
    0x85EBCA77C2B2AE63ULL, 0xFF51AFD7ED558CCDULL, 0xC4CEB9FE1A85EC53ULL, 0x94D049BB133111EBULL};

/* Sorts `a` (n values) in place, `tmp` a scratch of n: least significant byte first, 8 counting
   passes. Why not numpy's sort: a document's shingles are a few hundred to a few thousand hashes, and
   the numpy route (multiply, add, sort, compare, take) made six arrays and six calls per document. */
static void radix_sort_u64(uint64_t *a, uint64_t *tmp, Py_ssize_t n) {
    if (n < 2) return;
    if (n <= 32) {  /* insertion sort: fewer steps than eight passes over 256 buckets */
        for (Py_ssize_t i = 1; i < n; i++) {
            uint64_t v = a[i];
            Py_ssize_t j = i;
            while (j > 0 && a[j - 1] > v) { a[j] = a[j - 1]; j--; }
            a[j] = v;
        }
        return;
    }
    Py_ssize_t count[8][256];
    memset(count, 0, sizeof(count));
    for (Py_ssize_t i = 0; i < n; i++)
        for (int d = 0; d < 8; d++) count[d][(a[i] >> (8 * d)) & 0xFF]++;
    uint64_t *src = a, *dst = tmp;
    for (int d = 0; d < 8; d++) {
        Py_ssize_t pos = 0;
        for (int b = 0; b < 256; b++) { Py_ssize_t c = count[d][b]; count[d][b] = pos; pos += c; }
        int shift = 8 * d;
        for (Py_ssize_t i = 0; i < n; i++) dst[count[d][(src[i] >> shift) & 0xFF]++] = src[i];
        uint64_t *t = src; src = dst; dst = t;
    }
    /* eight passes: the sorted values are back in `a` */
}

/* shingles.shingle_hashes(word_hashes(text), width) in one call: the sorted distinct hashes of the
   word `width`-grams of a normalised str (one shingle of all its words when it has fewer), as uint64
   bytes. Shingle i is sum_k K[k] * word[i + k] mod 2^64, as in the numpy twin. */
static PyObject *shingle_hashes(PyObject *self, PyObject *args) {
    PyObject *text;
    Py_ssize_t width;
    if (!PyArg_ParseTuple(args, "Un", &text, &width)) return NULL;
    if (width < 1 || width > 8) {
        PyErr_SetString(PyExc_ValueError, "shingle width is 1 to 8");
        return NULL;
    }
    Py_ssize_t n;
    const char *s = PyUnicode_AsUTF8AndSize(text, &n);
    if (!s) return NULL;
    /* the words' hashes, then the shingles over them in place, then the sort's scratch */
    uint64_t *buf = PyMem_Malloc(((size_t)n / 2 + 1) * 2 * sizeof(uint64_t));
    if (!buf) return PyErr_NoMemory();
    Py_ssize_t m = hash_words(s, n, buf);
    Py_ssize_t w = width < m ? width : m, count = m == 0 ? 0 : m - w + 1;
    for (Py_ssize_t i = 0; i < count; i++) {  /* shingle i reads words i.. i+w-1, so i is free to write */
        uint64_t h = 0;
        for (Py_ssize_t k = 0; k < w; k++) h += buf[i + k] * SHINGLE_POSITION[k];
        buf[i] = h;
    }
    radix_sort_u64(buf, buf + count, count);
    Py_ssize_t kept = 0;
    for (Py_ssize_t i = 0; i < count; i++)
        if (i == 0 || buf[i] != buf[kept - 1]) buf[kept++] = buf[i];
    PyObject *out = PyBytes_FromStringAndSize((const char *)buf, kept * (Py_ssize_t)sizeof(uint64_t));
    PyMem_Free(buf);
    return out;
}

/* ---------------------------------------------------------------- article_runs */

/* segment.py's _sections and _runs for one page: the stretches between gaps of weak lines, and in each
 * the positive runs of `score`, best first then each side's, listed in page order. The same float64
 * sums in the same order as the Python twin, so the same runs. An explicit stack, not recursion: a
 * page of thousands of alternating lines nests as deep as it has runs. */
typedef struct { double total; Py_ssize_t a, b; int emit; } RunTask;

static int runs_of_section(PyObject *out, const double *score, Py_ssize_t lo, Py_ssize_t hi, RunTask *stack) {
    Py_ssize_t top = 0;
    stack[top++] = (RunTask){0.0, lo, hi, 0};
    while (top > 0) {
        RunTask t = stack[--top];
        if (t.emit) {
            PyObject *run = Py_BuildValue("(dnn)", t.total, t.a, t.b);
            if (!run || PyList_Append(out, run) < 0) { Py_XDECREF(run); return -1; }
            Py_DECREF(run);
            continue;
        }
        double best = 0.0, run = 0.0;
        Py_ssize_t first = t.a, best_first = -1, best_last = -1;
        for (Py_ssize_t i = t.a; i < t.b; i++) {
            if (run <= 0) { run = 0.0; first = i; }
            run += score[i];
            if (run > best) { best = run; best_first = first; best_last = i; }
        }
        if (best_first < 0) continue;
        /* popped in this order: the left side, the run, the right side */
        stack[top++] = (RunTask){0.0, best_last + 1, t.b, 0};
        stack[top++] = (RunTask){best, best_first, best_last, 1};
        stack[top++] = (RunTask){0.0, t.a, best_first, 0};
    }
    return 0;
}

static PyObject *article_runs(PyObject *self, PyObject *args) {
    Py_buffer sb, wb, eb;
    Py_ssize_t gap, short_gap;
    if (!PyArg_ParseTuple(args, "y*y*y*nn", &sb, &wb, &eb, &gap, &short_gap)) return NULL;
    PyObject *out = NULL;
    RunTask *stack = NULL;
    Py_ssize_t n = wb.len;
    if (sb.len != n * (Py_ssize_t)sizeof(double) || eb.len != n) {
        PyErr_SetString(PyExc_ValueError, "article_runs: inconsistent buffer sizes");
        goto done;
    }
    const double *score = sb.buf;
    const unsigned char *weak = wb.buf, *enders = eb.buf;
    /* a section pushes 1 task, and each run found 3 more: never more than 3 per line and 1 */
    stack = PyMem_Malloc((3 * n + 4) * sizeof(RunTask));
    out = PyList_New(0);
    if (!stack || !out) { if (!stack) PyErr_NoMemory(); Py_CLEAR(out); goto done; }
    Py_ssize_t lo = 0, i = 0;
    while (i <= n) {
        Py_ssize_t a = i, b = i;
        if (i < n) {
            if (!weak[i]) { i++; continue; }
            while (b < n && weak[b]) b++;
            int ended = 0;
            for (Py_ssize_t k = a; k < b && !ended; k++) ended = enders[k] != 0;
            i = b;
            if (!(b - a >= gap || (b - a >= short_gap && ended))) continue;
        } else {
            a = b = n;
            i = n + 1;
        }
        if (a > lo && runs_of_section(out, score, lo, a, stack) < 0) { Py_CLEAR(out); goto done; }
        lo = b;
    }
done:
    PyMem_Free(stack);
    PyBuffer_Release(&sb);
    PyBuffer_Release(&wb);
    PyBuffer_Release(&eb);
    return out;
}

static PyMethodDef methods[] = {
    {"split_lines", split_lines, METH_O, "int64 (start, end) pairs of the stripped non-blank lines of a str."},
    {"blocks", blocks, METH_VARARGS, "An instance of a class with slots text, start, end, hints for each stripped non-blank line of a str."},
    {"char_counts", char_counts, METH_O, "float32 rows of per-text character counts (features.CHAR_COUNTS)."},
    {"word_hits", word_hits, METH_VARARGS, "float32 per text: its words (lower-cased) found in a set."},
    {"words_lines", words_lines, METH_O, "Lines of a str with non-word runs as single spaces, stripped."},
    {"has_surrogates", has_surrogates, METH_O, "Whether a str holds a lone surrogate (U+D800..U+DFFF)."},
    {"sorted_overlap", sorted_overlap, METH_VARARGS, "How many values two sorted uint64 buffers of distinct values share."},
    {"hash_texts", hash_texts, METH_O, "uint64 xxh3-64 of the UTF-8 of each str of a list."},
    {"set_folds", set_folds, METH_VARARGS, "Set the table of folded characters (hashing._folds): int32 (offset, length) per code point, and the pool."},
    {"fold_lines", fold_lines, METH_O, "Each str of a list normalised from the fold table, or None where a character is not in it."},
    {"line_hashes", line_hashes, METH_O, "(uint64 xxh3-64 of each line's normalised words, [(index, start, end) of the lines not folded])."},
    {"shape_hashes", shape_hashes, METH_O, "uint64 xxh3-64 of each str of a list lower-cased, digit runs as one \"0\"."},
    {"word_hashes", word_hashes, METH_O, "uint64 xxh3-64 of each word (split as bytes.split()) of a str's UTF-8."},
    {"shingle_hashes", shingle_hashes, METH_VARARGS, "Sorted distinct uint64 hashes of the word width-grams of a normalised str."},
    {"collapsed_lines", collapsed_lines, METH_O, "\"\\n\".join(\" \".join(t.split()) for t in texts) of a list of str."},
    {"tree_raw", tree_raw, METH_VARARGS, "float64 raw scores of a packed tree ensemble (model.py)."},
    {"article_runs", article_runs, METH_VARARGS, "segment.py's runs of a page: (total, first, last) per positive run of each section, in page order."},
    {"html_depth", html_depth, METH_VARARGS, "Deepest element nesting of an HTML str or its UTF-8 bytes, from its tags (nesting.py)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_core", "tamis' per-line inner loops in C.", -1, methods};

PyMODINIT_FUNC PyInit__core(void) {
    for (Py_UCS4 c = 0; c < 128; c++) ASCII_FLAGS[c] = char_flags(c);
    return PyModule_Create(&module);
}
