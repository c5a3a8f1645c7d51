"""Named rules that can be turned off, so that a bench measures what each one is worth (`bench/ablate.py`).

`OFF` is read once from the environment (`TAMIS_RULES_OFF=lede,extend`); `off({"lede"})` turns rules
off for a `with` block. A rule asks `ON("name")` where it would decide, once its own condition holds
(a block found doubled, a run that `extend` would grow): off, the page goes on as if the rule did not
exist. So a page where a rule has nothing to decide never asks about it (the bench runs again only the
pages that asked), and the cost with nothing off is a frozenset lookup per decision taken.
"""
from __future__ import annotations

import os
from contextlib import contextmanager

# Every rule that has a switch, by the name its code and docstrings give it.
RULES = (
    "ad-teasers", "anchor", "aria-panel", "aria-tabs", "credit", "duplicate", "embed", "extend",
    "header-prose", "hidden-content", "hover-text", "lang-code-page", "lede", "lede-before",
    "lede-teaser", "link-dense", "linked-heading", "linked-item", "listing", "member-stats",
    "no-article", "no-content", "notice", "offers", "orphan-heading", "page-footer", "panels",
    "parts", "position", "post-number", "poster-name", "posts", "promo-items", "prose",
    "rating-only", "related-section", "repeat", "repeated", "repeated-prose", "repeated-run",
    "review", "scripted-page", "sections", "sidebar", "small-footer", "streamed", "switch",
    "table-header", "thread", "thread-page", "thread-prose", "word-heap", "wrapper",
)

# Rules that read structural evidence, certain where present, on too few dev pages to be priced by
# `bench/ablate.py`: what a page declares (`thread-page`: a schema.org thread type; `rating-only`: a
# Product object with nothing sold in it; `lang-code-page`: its language, for its code page) and what
# its class names say (`parts`: BEM's `block__element` is part of `block`). The bench's policy does
# not drop them.
STRUCTURAL = frozenset({"lang-code-page", "parts", "rating-only", "thread-page"})


def _names(value: str) -> frozenset[str]:
    names = frozenset(n.strip() for n in value.split(",") if n.strip())
    unknown = names.difference(RULES)
    if unknown:
        raise ValueError(f"no switch for rule(s) {', '.join(sorted(unknown))}")
    return names


OFF: frozenset[str] = _names(os.environ.get("TAMIS_RULES_OFF", ""))


def ON(name: str) -> bool:  # noqa: N802 - reads as the condition it is: `if ON("lede")`
    return name not in OFF


@contextmanager
def off(names):
    """Turn off the rules named in `names` (besides those already off) inside the `with` block."""
    global OFF
    saved = OFF
    OFF = saved | _names(",".join(names))
    _forget()
    try:
        yield
    finally:
        OFF = saved
        _forget()


def _forget() -> None:
    # Some rules decide inside cached functions (a class string's kind): what they cached was decided
    # under the old switches.
    from .walk import clear_caches
    clear_caches()
