"""What a forum thread or a Q&A page says about itself in its metadata, for the locator.

A thread names itself: schema.org `DiscussionForumPosting` or `QAPage` data (JSON-LD or microdata).
On such a page the posts and answers are the content, though their markup calls them comments (rule
`thread-page` in `locate.py`).
"""
from __future__ import annotations

from .metadata import has_type

_THREAD_TYPES = frozenset({"DiscussionForumPosting", "QAPage"})


def is_thread_page(tree, ld_objects: list[dict]) -> bool:
    """The page's metadata says it is a forum thread or a question with its answers."""
    if thread_data(ld_objects):
        return True
    return tree.css_first('[itemtype*="schema.org/DiscussionForumPosting"], [itemtype*="schema.org/QAPage"]') is not None


def thread_data(ld_objects: list[dict]) -> bool:
    """The page's JSON-LD says it is a forum thread or a question with its answers (no markup read)."""
    return any(has_type(obj, _THREAD_TYPES) for obj in ld_objects)
