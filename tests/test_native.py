"""The compiled inner loops (tamis/_core.c) against their numpy/Python twins, on real text: the bundled
example, a German page and lines written to hit each edge (dates, labels, code marks, odd digits)."""
import dataclasses
import re
import unicodedata
from pathlib import Path

import numpy as np
import pytest

import tamis
from tamis import hashing, native
from tamis.clean import analyse, blocks, cleaner, features, model, segment

pytestmark = pytest.mark.skipif(native.core is None, reason="tamis._core was not built")

HERE = Path(__file__).parent
PAGES = [
    (HERE.parent / "examples" / "page_full_scrape.txt").read_text(encoding="utf-8"),
    (HERE.parent / "examples" / "page_feed_item.txt").read_text(encoding="utf-8"),
    (HERE / "fixtures" / "german_news.txt").read_text(encoding="utf-8"),
]
EDGES = [
    "Updated 12.3.2020, 14:05", "at 12:30pm", "1999", "19999", "x1999", "in the 2000s", "3/4/5", "3/4/56",
    "123.4.56", "١٢:٣٠ Uhr", "Tel.: 030 1234", "READ MORE | Another story", "»Zitat« sagte sie:", "a_b  __c__",
    "{display:block !important;}", "(adsbygoogle = window.adsbygoogle || []).push({});", "1) First step",
    "• Bullet", "İstanbul ﬁnale ΣΑΣ", "東京の天気は晴れ。", "x", "1",
    "Stocks 📈 up 3.5%, Ümit said: “Views 12” 😀",  # a str of 4-byte kind
]


def lines_of(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


ALL_LINES = [line for page in PAGES for line in lines_of(page)] + EDGES


@pytest.fixture
def pure(monkeypatch):
    """Every caller of the compiled core switched to its twin."""
    for module in (blocks, cleaner, features, model, hashing, segment):
        monkeypatch.setattr(module, "core", None)


def test_split_lines_matches_splitlines_and_strip():
    for page in PAGES + ["\r\n a \r\rb\x0bc\u2028 d \n\n", "", "   "]:
        bounds = np.frombuffer(native.core.split_lines(page), dtype=np.int64).reshape(-1, 2)
        assert [page[a:b] for a, b in bounds] == lines_of(page)
        assert blocks.split_lines(page) == [b.text for b in blocks.split_blocks(page)] == lines_of(page)


def test_blocks_made_in_c_equal_blocks_made_in_python(pure):
    """`core.blocks` sets Block's slots without its __init__: the same blocks (offsets into the str, of
    every kind: 1, 2 and 4 bytes a character) and each its own hints dict."""
    pages = PAGES + ["\r\n a \r\rb\x0bc\u2028 d \n\n", "", "   ", "\n".join(EDGES), "x\u00a0\n\u00a0y 😀 \n"]
    for page in pages:
        made = native.core.blocks(page, blocks.Block)
        assert made == blocks.split_blocks(page)
        assert all(type(b) is blocks.Block and page[b.start:b.end] == b.text for b in made)
        assert len({id(b.hints) for b in made}) == len(made)
    with pytest.raises(TypeError, match="slot"):
        native.core.blocks("a", dataclasses.make_dataclass("NoSlots", ["text", "start", "end", "hints"]))


def test_char_counts_match_numpy():
    joined = "\n".join(ALL_LINES)
    starts = np.zeros(len(ALL_LINES), dtype=np.int64)
    starts[1:] = np.cumsum([len(t) + 1 for t in ALL_LINES[:-1]])
    twin = features._char_counts_numpy(joined, starts, ALL_LINES)
    compiled = features._char_counts(ALL_LINES)
    for name in features.CHAR_COUNTS:
        assert np.array_equal(compiled[name], twin[name]), name
    dates = compiled["date"][-len(EDGES):]
    assert dates[:9].tolist() == [1, 0, 1, 0, 0, 0, 0, 1, 0]  # each edge as re reads the date pattern


def test_words_lines_match_regex(pure):
    compiled = native.core.words_lines(unicodedata.normalize("NFKC", "\n".join(ALL_LINES)).casefold())
    assert compiled == hashing.normalize_lines(ALL_LINES)
    assert compiled[EDGES.index("a_b  __c__") - len(EDGES)] == "a b c"


def test_lines_folded_one_by_one_fold_as_the_whole_page(monkeypatch):
    """normalize_lines folds each line alone (ASCII lines skip NFKC): the same as NFKC and case folding
    of the page at once, also where a line starts with a combining mark or holds letters whose fold
    is longer or another case (ß, İ, ﬁ, Cherokee)."""
    edges = ["e", "\u0301x Ab", "Straße İstanbul ﬁnale", "ᏣᎳᎩ ꭰꭱ", "x\u00a0\u0308y", "ＡＢＣ ½"]
    for lines in [lines_of(page) for page in PAGES] + [EDGES + edges]:
        whole = unicodedata.normalize("NFKC", "\n".join(lines)).casefold()
        assert hashing.normalize_lines(lines) == native.core.words_lines(whole)
        monkeypatch.setattr(hashing, "core", None)
        assert hashing.normalize_lines(lines) == native.core.words_lines(whole)
        monkeypatch.setattr(hashing, "core", native.core)


def test_normalize_matches_regex(monkeypatch):
    for page in PAGES + EDGES:
        compiled = hashing.normalize(page)
        monkeypatch.setattr(hashing, "core", None)
        assert hashing.normalize(page) == compiled
        monkeypatch.setattr(hashing, "core", native.core)


def test_fold_table_characters_combine_with_nothing_before_them():
    """No character of the fold table is the second of a canonical composition (the only way NFKC
    joins a character to the one before it), nor is the first of its decomposition."""
    table = hashing.fold_table()
    seconds = set()
    for cp in range(0x110000):
        parts = unicodedata.decomposition(chr(cp)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            seconds.add(chr(int(parts[1], 16)))
    seconds |= {chr(cp) for cp in range(0x1161, 0x1176)} | {chr(cp) for cp in range(0x11A8, 0x11C3)}  # Hangul V, T
    assert len(table) > 5000 and len(seconds) > 50
    assert not seconds & set(table)
    assert not seconds & {unicodedata.normalize("NFKD", c)[0] for c in table}
    assert {"é", "ß", "’", "—", "\u00a0", "Ω", "ж", "½", "™"} <= set(table) and "\u0301" not in table


def test_fold_lines_match_normalize(monkeypatch):
    """Lines of random characters: fold-table ones, ASCII, and some the table leaves to Python (combining
    marks, CJK, Hangul jamo, line breaks), normalised in C against `normalize` without the core."""
    import random
    rng = random.Random(7)
    table = sorted(hashing.fold_table())
    others = ["\u0301", "\u0308", "\u0327", "東", "가", "\u1161", "\u11a8", "\u2028", "\x85", "\U0001d400", "ﬃ"]
    ascii = [chr(c) for c in range(32, 127)] + ["\t", "\n"]
    lines = []
    for k in range(4000):
        pool = table if k % 4 else table + others * 40
        lines.append("".join(rng.choice(pool if rng.random() < 0.6 else ascii) for _ in range(rng.randint(0, 12))))
    latin = [c for c in table if ord(c) < 0x250 or 0x2000 <= ord(c) < 0x2070]
    lines += [a + b for a in latin for b in latin[::7]] + [a + "e" + b for a in latin[::3] for b in others]
    lines += ALL_LINES
    compiled = hashing.normalize_lines(lines)
    assert hashing.folding_core().fold_lines(lines).count(None) < len(lines) / 4
    monkeypatch.setattr(hashing, "core", None)
    assert compiled == [hashing.normalize(line) for line in lines]


def test_line_hashes_match_xxhash(monkeypatch):
    norms = hashing.normalize_lines(ALL_LINES) + ["", "a" * 5000]
    compiled = hashing.hash_normalized(norms)
    monkeypatch.setattr(hashing, "core", None)
    assert np.array_equal(compiled, hashing.hash_normalized(norms))
    assert len(set(compiled.tolist())) == len(set(norms))


def test_page_line_hashes_match_the_lines_hashed_one_by_one(monkeypatch):
    from tamis.clean import templates
    texts = PAGES + ["\n".join(EDGES), "", " \n\r\n\t", "a\u2028b\x1cc İstanbul\r\n ﬁ x_y \n’Quote’ — 12"]
    for text in texts:
        compiled = templates.page_line_hashes(text)
        assert np.array_equal(compiled, hashing.hash_lines(blocks.split_lines(text)))
        monkeypatch.setattr(hashing, "core", None)
        assert np.array_equal(compiled, templates.page_line_hashes(text))
        monkeypatch.undo()
    # every line folded in C but the one with a ligature past the table
    assert [a for _, a, _ in hashing.folding_core().line_hashes(texts[-1])[1]] == [texts[-1].index("ﬁ")]


def test_word_hashes_match_xxhash(monkeypatch):
    from tamis.dedup import shingles
    texts = [hashing.normalize(page) for page in PAGES] + EDGES + ["", " ", " a  b\tc\x0bd\x1ce ", "ünï 東京 x"]
    compiled = [shingles.word_hashes(text) for text in texts]
    monkeypatch.setattr(shingles, "core", None)
    for text, hashes in zip(texts, compiled):
        assert np.array_equal(hashes, shingles.word_hashes(text)), text
    assert len(compiled[0]) == len(texts[0].split()) > 500


def test_shingle_hashes_in_one_call_match_the_numpy_twin():
    """`core.shingle_hashes` (words, shingles, radix sort, distinct) gives the numpy twin's array for
    every width, on pages, on texts shorter than the width, and on repeats (fewer distinct shingles)."""
    from tamis.dedup import shingles
    texts = [hashing.normalize(page) for page in PAGES] + EDGES + [
        "", " ", "a", "a b", "x y z " * 400, " a  b\tc\x0bd\x1ce ", "ünï 東京 x " * 7]
    for width in (1, 2, 5, 8):
        for text in texts:
            compiled = shingles.normalized_shingles(text, width)
            twin = shingles.shingle_hashes(shingles.word_hashes(text), width)
            assert compiled.dtype == twin.dtype and np.array_equal(compiled, twin), (width, text[:40])
    assert shingles.normalized_shingles("x y z " * 400, 5).size == 3
    assert shingles.normalized_shingles(texts[0]).size > 500
    for width in (0, 9):  # out of range on both paths
        with pytest.raises(ValueError):
            shingles.normalized_shingles("a b", width)
        with pytest.raises(ValueError):
            shingles.shingle_hashes(shingles.word_hashes("a b"), width)


def test_title_hits_match_regex(pure):
    counts = features._char_counts(ALL_LINES)
    title = {"russia", "diplomacy", "model", "geo", "economic", "ukraine", "stadt", "tel"}
    twin = features._title_hits(counts, title)
    assert twin.sum() > 10
    assert np.array_equal(np.frombuffer(native.core.word_hits(ALL_LINES, title), dtype=np.float32), twin)


def test_word_hits_of_a_large_set_match_a_python_count():
    """`core.word_hits` looks words up in a table of the set's code points: with thousands of words
    (the lexicon's first words), near misses one letter off, other scripts and capitals, it counts
    what lower-casing each \\w run and asking the set counts."""
    rng = np.random.default_rng(3)
    letters = list("abcdefghijklmnopqrstuvwxyzéüñçøå") + ["ж", "ы", "東", "京", "_", "7"]
    words = {"".join(rng.choice(letters, rng.integers(1, 12))) for _ in range(5000)}
    pool = sorted(words)
    texts = []
    for _ in range(400):
        parts = []
        for w in rng.choice(pool, rng.integers(0, 30)):
            form = rng.integers(4)
            parts.append(w.upper() if form == 0 else w[:-1] + "q" if form == 1 else w + "s" if form == 2 else w)
        texts.append(rng.choice([" ", ", ", " - ", "|"]).join(parts))
    texts += EDGES + ["", "   ", "__ _"]
    expected = [float(sum(w.lower() in words for w in re.findall(r"\w+", t))) for t in texts]
    got = np.frombuffer(native.core.word_hits(texts, words), dtype=np.float32).tolist()
    assert got == expected
    assert sum(expected) > 1000
    assert np.frombuffer(native.core.word_hits(texts, set()), dtype=np.float32).sum() == 0


def test_shape_repeats_match_regex():
    shaped = ["Rated 4.5 out of 5", "RATED 3.25 out of 5", "Rated 4 out of 5", "28/11/2025 at 7:16 pm",
              "1/2/2024 at 10:05 PM", "Seite ١٢ von 3", "seite 7 von ٤٥", "ΟΔΟΣ 12", "οδος 3", "İ 1", "i̇ 2",
              "x0", "x00", "x 0", "", "a\nb 1", "a\nb 22",
              # non-ASCII lines lowered as read, or by str.lower() where a character has its own lower case
              "\u212a 1", "k 2", "CAFÉ 3", "café 4", "“Quoted” 5", "“quoted” 66", "١٢ x", "3 x", "ΣΑΣ 1", "σας 2"]
    pages = [ALL_LINES + shaped, shaped, [], ["x0", "x1"]]
    rows = features._Rows(np.array([len(page) for page in pages]))
    compiled = features._shape_repeats(rows, [t for page in pages for t in page],
                                       [features._char_counts(page) for page in pages])
    twin = np.concatenate([features._page_shape_repeats(page, "\n".join(page)) for page in pages])
    assert np.array_equal(compiled, twin)
    # counted within each page: the second page's shapes are its own, not the first's too
    assert compiled[len(pages[0]):].tolist()[:11] == [2, 2, 1, 2, 2, 2, 2, 2, 2, 2, 2]
    assert compiled[-2:].tolist() == [2, 2]


def test_tree_walk_matches_numpy():
    ensemble = model.shipped_model()
    real = np.concatenate([analyse(blocks.split_blocks(page))[2] for page in PAGES])
    noise = np.random.default_rng(0).normal(size=(301, len(features.NAMES))).astype(np.float32)
    for x in (real, noise, real[:1]):
        assert np.allclose(ensemble.raw(x), ensemble._raw_numpy(x))


def test_a_corrupt_model_is_refused_before_the_walk():
    ensemble = model.shipped_model()
    broken = dataclasses.replace(ensemble, left=ensemble.left.copy())
    broken.left[0] = len(ensemble.left) + 5  # would read past the nodes
    x = np.zeros((2, len(features.NAMES)), dtype=np.float32)
    with pytest.raises(ValueError, match="out of range"):
        broken.raw(x)
    with pytest.raises(ValueError, match="features expected"):
        ensemble.raw(x[:, :-1])


@pytest.mark.parametrize("page", range(len(PAGES)))
def test_clean_text_is_the_same_without_the_core(page, monkeypatch):
    compiled = tamis.clean_text(PAGES[page])
    for module in (blocks, cleaner, features, model, hashing, segment):
        monkeypatch.setattr(module, "core", None)
    twin = tamis.clean_text(PAGES[page])
    assert twin.text == compiled.text
    assert [(s.start, s.end, s.reason) for s in twin.removed] == [(s.start, s.end, s.reason) for s in compiled.removed]
    assert twin.meta == compiled.meta


def test_article_runs_match_the_python_sections_and_runs():
    """The runs of a page's sections, in C, against segment.py's loops: random pages (ties from scores
    rounded to one decimal), and a long page of alternating lines whose runs nest 2,000 deep."""
    rng = np.random.default_rng(0)
    cases = []
    for k in range(3000):
        n = int(rng.integers(0, 60))
        score = rng.normal(0, 1, n)
        score = np.round(score, 1) if k % 3 == 0 else score
        cases.append((score, score < rng.normal(0, 0.5, n), rng.random(n) < 0.1))
    deep = np.array([(k // 2 + 1.0) if k % 2 == 0 else -(k // 2 + 1.5) for k in range(4000)])
    cases.append((deep, np.zeros(len(deep), dtype=bool), np.zeros(len(deep), dtype=bool)))
    for score, weak, enders in cases:
        python = [run for lo, hi in segment._sections(weak, enders) for run in segment._runs(score, lo, hi)]
        compiled = native.core.article_runs(score.tobytes(), weak.tobytes(), enders.tobytes(), segment.GAP, segment.SHORT_GAP)
        assert compiled == [(float(total), first, last) for total, first, last in python]
    assert len(compiled) == 2000
    assert sum(len(native.core.article_runs(s.tobytes(), w.tobytes(), e.tobytes(), segment.GAP, segment.SHORT_GAP))
               for s, w, e in cases) > 3000


SPACES = [chr(c) for c in range(0x110000) if chr(c).isspace()]


@pytest.mark.parametrize("texts", [
    [], [""], [" "], ["a"], ["a  b", " c ", "", "d"], ["a\nb\tc"], ["x\u00a0y\u3000z"], ["é  ü", "\u4e00 \u4e01", "😀  x"],
    ["ascii", "\u3000only a wide space"], [f"a{space}{space}b{space}" for space in SPACES], [f"a{chr(0x85)}b"],
    ALL_LINES, [line + "  \t x " for line in ALL_LINES],
])
def test_collapsed_lines_match_split_and_join(texts):
    from tamis.clean.cleaner import collapsed_lines
    expected = "\n".join(" ".join(text.split()) for text in texts)
    compiled = native.core.collapsed_lines(texts)
    assert compiled == expected and hash(compiled) == hash(expected)  # the narrowest kind, as Python's own
    assert collapsed_lines(texts) == expected
    with pytest.raises(TypeError):
        native.core.collapsed_lines(texts + [None])


HTML_EDGES = [
    (HERE / "fixtures" / "html_docs.html").read_text(encoding="utf-8"),
    (HERE / "fixtures" / "html_product.html").read_text(encoding="utf-8"),
    "<DIV><Section><p>open p<p>another<li>item</SECTION></div><br/><img src=x><span/>",
    "<div><!-- <div><div> --><script>if (a<b) { x = '<div><div>' }</SCRIPT><div>Ünïcödé “quotes”</div>",
    "<div><style>p < div { }</style><textarea><div></textarea><title><b></title></div>",
    "<div><div><?php echo 1 ?><!DOCTYPE html>< div>a < b</div></x-widget-a></div>",
    "<div><div>東京 😀<div>" * 3 + "</div>" * 20,
    "<div><div", "<", "", "<!-- never closed <div>", "<script><div><div>",
]


@pytest.mark.parametrize("html", HTML_EDGES)
def test_html_depth_matches_the_python_scan(html, monkeypatch):
    from tamis.extract import nesting
    compiled = nesting.depth(html)
    if nesting.core is not None:   # the C scan reads the page's UTF-8 bytes as it reads the str
        assert nesting.core.html_depth(html.encode("utf-8"), nesting.VOID, nesting.RAW_TEXT) == compiled
    monkeypatch.setattr(nesting, "core", None)
    assert compiled == nesting.depth(html)


def test_lone_surrogates_are_found_as_utf8_encoding_finds_them(monkeypatch):
    """`core.has_surrogates` against the twin (encoding to UTF-8 fails on a lone surrogate only), on
    strs of one, two and four bytes per character, surrogates first, last and in the middle."""
    from tamis.io import readers
    texts = ["plain", "café", "“quoted”", "😀 emoji", "\ud800", "a\udfffb", "😀\ud800", "x" * 50 + "\udc00",
             "\ud7ff\ue000", "日本" * 100 + "\udbff" + "日本", hashing.normalize(PAGES[0])]
    compiled = [readers._has_surrogates(text) for text in texts]
    monkeypatch.setattr(readers, "core", None)
    assert compiled == [readers._has_surrogates(text) for text in texts]
    assert compiled.count(True) == 5


def test_sorted_overlap_matches_numpy(monkeypatch):
    """`verify.overlap` in C (a merge, or binary searches when one set is 16 times the other) counts
    what its numpy twin counts: sets of every size ratio, sharing none, some or all, empty ones."""
    import importlib
    verify = importlib.import_module("tamis.dedup.verify")  # the package's `verify` is a function
    rng = np.random.default_rng(3)
    top = np.iinfo(np.uint64).max

    def sets(n, m, shared):
        pool = rng.permutation(np.unique(rng.integers(0, top, size=3 * (n + m) + 3, dtype=np.uint64, endpoint=True)))
        a = pool[:n]
        return np.sort(a), np.sort(np.concatenate([pool[n:n + m - shared], a[:shared]]))
    pairs = [sets(n, m, shared) for n, m, shared in [(0, 0, 0), (0, 5, 0), (1, 1, 1), (3, 3, 0), (5, 80, 5),
                                                     (5, 81, 2), (7, 2000, 7), (300, 310, 150), (1000, 40, 39),
                                                     (1, 100000, 1), (64, 64, 64)]]
    pairs.append((np.array([0, top], dtype=np.uint64), np.array([top], dtype=np.uint64)))
    compiled = [verify.overlap(a, b) for a, b in pairs]
    monkeypatch.setattr(verify, "core", None)
    assert compiled == [verify.overlap(a, b) for a, b in pairs]
    assert compiled == [0, 0, 1, 0, 5, 2, 7, 150, 39, 1, 64, 1]
