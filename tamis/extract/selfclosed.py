"""Rule `self-closed-iframe`: an `<iframe .../>` written as if void is closed before parsing.

HTML has no self-closing syntax for <iframe>: the parser ignores the slash and reads everything up
to the next `</iframe>` as the iframe's raw text. A tag manager's tracking pixel written that way
(`<noscript><iframe src="...ns.html" height="0" width="0" />`) thus swallows the rest of the page
when <noscript> is parsed as markup, as here; a browser running scripts never parses that
<noscript> and shows the page. Each such tag gets its end tag. Lower-case tags only, as the few
that do this write them; the scan is a `str.find` loop, so a page without them costs next to nothing.
"""
from __future__ import annotations


def close_iframes(text: str) -> str:
    """`text` with each `<iframe ... />` followed by `</iframe>`."""
    i = text.find("<iframe")
    if i < 0:
        return text
    parts, last = [], 0
    while i >= 0:
        end = text.find(">", i)
        if end < 0:
            break
        if text[end - 1] == "/":
            parts.append(text[last:end + 1])
            parts.append("</iframe>")
            last = end + 1
        i = text.find("<iframe", end)
    if not parts:
        return text
    parts.append(text[last:])
    return "".join(parts)
