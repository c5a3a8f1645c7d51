"""What a forum thread or a Q&A page says about itself in its metadata, for the locator.

A thread names itself: schema.org `DiscussionForumPosting` or `QAPage` data (JSON-LD or microdata).
On such a page the posts and answers are the content, though their markup calls them comments (rule
`thread-page` in `locate.py`).
"""
from __future__ import annotations

_THREAD_TYPES = frozenset({"DiscussionForumPosting", "QAPage"})


def _is_thread(obj: dict) -> bool:
    """A JSON-LD object whose @type (a name or a list of names) is a thread type."""
    kind = obj.get("@type")
    return any(isinstance(k, str) and k in _THREAD_TYPES for k in (kind if isinstance(kind, list) else [kind]))


def is_thread_page(tree, ld_objects: list[dict]) -> bool:
    """The page's metadata says it is a forum thread or a question with its answers."""
    if any(map(_is_thread, ld_objects)):
        return True
    return tree.css_first('[itemtype*="schema.org/DiscussionForumPosting"], [itemtype*="schema.org/QAPage"]') is not None
