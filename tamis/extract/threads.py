"""What a forum thread or a Q&A page says about itself in its metadata, for the locator.

A thread names itself: schema.org `DiscussionForumPosting` or `QAPage` data (JSON-LD or microdata).
On such a page the posts and answers are the content, though their markup calls them comments (rule
`thread-page` in `locate.py`).
"""
from __future__ import annotations

from .metadata import Marked, has_type, marked_elements

_THREAD_TYPES = frozenset({"DiscussionForumPosting", "QAPage"})


def is_thread_page(tree, ld_objects: list[dict], marked: Marked | None = None) -> bool:
    """The page's metadata says it is a forum thread or a question with its answers (`marked`: the
    page's `metadata.marked_elements`, when read)."""
    if thread_data(ld_objects):
        return True
    return any(f"schema.org/{name}" in t for t in (marked or marked_elements(tree)).itemtypes for name in _THREAD_TYPES)


def thread_data(ld_objects: list[dict]) -> bool:
    """The page's JSON-LD says it is a forum thread or a question with its answers (no markup read)."""
    return any(has_type(obj, _THREAD_TYPES) for obj in ld_objects)
