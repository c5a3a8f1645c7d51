"""Folds of record: every dev page of every set in one of 5 folds, grouped by registered domain.

    fold_of(url) -> 0..4

A site's pages share a template, so a model that saw one of them has seen the others: no registered
domain (the public-suffix list's "bbc.co.uk", "spiegel.de") is in two folds, in any set. A domain that
appears in two sets (a news site in aeb-dev and traf-dev) sits in the same fold in both. The fold is
crc32 of the domain, so it is the same in every bench and every run. Pages with no url fall back to
their id (`fold_of(None, key=id)`), each its own group.

tldextract reads the public-suffix list it ships (no network: `suffix_list_urls=()`).
"""
from __future__ import annotations

import zlib
from functools import lru_cache
from urllib.parse import urlsplit

FOLDS = 5


@lru_cache(maxsize=1)
def _extract():
    import tldextract
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def domain_of(url: str | None) -> str | None:
    """The registered domain of `url` ("www.bbc.co.uk/news" -> "bbc.co.uk"), or None."""
    if not url:
        return None
    host = urlsplit(url if "://" in url else "http://" + url).hostname or ""
    parts = _extract()(host)
    found = getattr(parts, "top_domain_under_public_suffix", None) or parts.registered_domain
    return (found or host or None)


def fold_of(url: str | None, key: str = "", k: int = FOLDS) -> int:
    group = domain_of(url) or "id:" + key
    return zlib.crc32(group.encode("utf-8")) % k
