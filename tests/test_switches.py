"""tamis.extract.switches: a named rule turned off, the page is handled as if the rule did not exist."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tamis.extract import extract_html, switches

from test_extract import BODY

# The code of the rules (switches.py itself only names them).
SOURCE = "".join(p.read_text(encoding="utf-8") for p in sorted(Path(switches.__file__).parent.glob("*.py"))
                 if p.name != "switches.py")


def test_names_are_parsed_and_checked():
    assert switches._names(" lede, extend ,") == {"lede", "extend"}
    assert switches._names("") == frozenset()
    with pytest.raises(ValueError, match="ledd"):
        switches._names("lede,ledd")


def test_the_environment_turns_rules_off_at_import():
    env = {**os.environ, "TAMIS_RULES_OFF": "extend,lede"}
    out = subprocess.run([sys.executable, "-c", "from tamis.extract import switches; print(sorted(switches.OFF))"],
                         env=env, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['extend', 'lede']"


def test_off_is_undone_after_the_block_even_on_error():
    before = switches.OFF
    with pytest.raises(RuntimeError):
        with switches.off({"lede"}):
            assert not switches.ON("lede") and "lede" in switches.OFF
            raise RuntimeError
    assert switches.OFF == before and switches.ON("lede")


def test_every_switch_is_asked_and_every_name_asked_has_a_switch():
    # A name misspelt at a decision point would be on for ever, its ablation measuring nothing.
    from tamis.extract import hints, locate
    asked = set(re.findall(r'ON\("([a-z-]+)"\)', SOURCE))
    asked |= set(hints._KIND_RULE.values()) | set(locate._ITEM_RULES.values())   # asked through these tables
    assert asked == set(switches.RULES)
    assert switches.STRUCTURAL <= set(switches.RULES)   # the rules ablate.py keeps whatever they earn


def _tooltip_page(name: str) -> str:
    return (f'<html><body><main><h1>Tram line</h1><p>{BODY[0]}</p><p>{BODY[1]}</p>'
            f'<div class="{name}">Prices include all taxes and a yearly service fee.</div>'
            f'<p>{BODY[2]}</p><p>{BODY[3]}</p></main></body></html>')


def test_a_rule_decided_in_a_cached_class_lookup_is_switched_too():
    # Rule `hover-text` (test_extract.test_tooltips_are_removed) decides in `name_evidence`, cached per
    # class string: the cache is emptied when switches change, both ways.
    html = _tooltip_page("price-tooltip")
    assert "yearly service fee" not in extract_html(html).text
    with switches.off({"hover-text"}):
        assert "yearly service fee" in extract_html(html).text
    assert "yearly service fee" not in extract_html(html).text


def test_rules_decided_in_the_walk_are_switched():
    # Rule `position` (test_extract.test_post_positions_are_removed).
    posts = "".join(f'<div class="crawler-post"><div class="crawler-post-meta">'
                    f'<span>Mar {i}, 2025</span> <span itemprop="position">{i + 40}</span></div>'
                    f'<div class="post"><p>{text}</p></div></div>' for i, text in enumerate(BODY, 1))
    html = f"<html><body><main><h1>Tram line</h1>{posts}</main></body></html>"
    lines = extract_html(html).text.split("\n")
    assert "Mar 2, 2025" in lines and "Mar 2, 2025 42" not in lines
    with switches.off({"position"}):
        assert "Mar 2, 2025 42" in extract_html(html).text.split("\n")


def test_a_rule_of_the_locator_is_switched():
    # Rule `listing` (test_extract.test_listing_page_keeps_its_items): a shop's category is a list of
    # links, its content; without the rule the links weigh as a menu and the page has no article.
    items = "".join(f'<li class="product"><a href="/p/{i}">Stainless steel water bottle, model {i}</a>'
                    f"<span>$ {20 + i}.95</span></li>" for i in range(12))
    html = (f'<html><body><nav><a href="/">Shop</a> <a href="/cart">Cart</a></nav>'
            f'<h1>Water bottles</h1><ul class="products">{items}</ul>'
            f'<footer><a href="/help">Help</a></footer></body></html>')
    assert "Stainless steel water bottle, model 7" in extract_html(html).text
    with switches.off({"listing"}):
        assert "Stainless steel water bottle, model 7" not in extract_html(html).text


def test_a_rule_after_the_line_evidence_is_switched():
    # Rule `orphan-heading` (test_extract.test_orphan_headings_go_with_their_content): off, the headings
    # whose links went stay, and nothing else changes.
    from test_extract import _ORPHAN
    on = extract_html(_ORPHAN)
    with switches.off({"orphan-heading"}):
        off = extract_html(_ORPHAN)
    assert "Mehr zum Garten" not in on.text and "Mehr zum Garten" in off.text
    assert "Auch schön im Herbst:" in off.text
    assert off.text.replace("Mehr zum Garten\n", "").replace("\nAuch schön im Herbst:", "") == on.text
