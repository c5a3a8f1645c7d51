"""Rule `deep-nesting`: a page nested thousands of elements deep is flattened before it is parsed.

The HTML5 parser (lexbor, as every conforming parser) checks the stack of open elements on each new
element, so its time grows with the square of the nesting: 64,000 unclosed <div>s (a 0.7 MB page)
take 10 s to parse, 200,000 take minutes, and one such page holds a worker that long. Real pages
nest a few dozen deep (by the estimate below, 178 at most on the 1,933 pages of the three dev sets).

The depth is estimated from the tags alone, without parsing: a start tag opens a level unless it is
void, self-closed or one whose end tag HTML lets a page leave out (<p>, <li>, <td>: the parser closes
those itself); an end tag closes one; comments and the text of <script>, <style>, <textarea> and
<title> are skipped. A page deeper than MAX_DEPTH loses the start tags beyond that depth and as many
end tags after them: its text stays, in the deepest element kept. The estimate runs in C
(`_core.html_depth`); the Python scanner here is its twin (run only on pages with more than MAX_DEPTH
tags when the C core is missing) and does the (rare) flattening.
"""
from __future__ import annotations

from ..native import core

MAX_DEPTH = 2000
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
                  "source", "track", "wbr",
                  # end tag optional: the parser closes them itself
                  "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot",
                  "colgroup", "caption", "rb", "rt", "rp", "html", "head", "body"})
RAW_TEXT = frozenset({"script", "style", "textarea", "title"})


def _tags(text: str):
    """(start, end, step) of each tag in `text`, in order: step +1 for a start tag that opens a level,
    -1 for the end tag of one that does, 0 for any other tag. `_core.html_depth` is the same scan."""
    n = len(text)
    i = text.find("<")
    while 0 <= i < n - 1:
        if text.startswith("<!--", i):
            end = text.find("-->", i + 4)
            i = text.find("<", end + 3) if end >= 0 else -1
            continue
        closing = text[i + 1] == "/"
        j = i + 2 if closing else i + 1
        if j < n and text[j].isascii() and text[j].isalpha():
            k = j
            while k < n and text[k].isascii() and (text[k].isalnum() or text[k] == "-"):
                k += 1
            name = text[j:k].lower()
            end = text.find(">", k)
            if end < 0:
                return
            if name in VOID:
                step = 0
            elif closing:
                step = -1
            else:
                step = 0 if text[end - 1] == "/" else 1
            yield i, end + 1, step
            if step == 1 and name in RAW_TEXT:  # its text runs to its end tag, whatever it holds
                i = _find_ci(text, "</" + name, end + 1)
            else:
                i = text.find("<", end + 1)
        elif text[i + 1] in "!?":
            end = text.find(">", i + 1)
            i = text.find("<", end + 1) if end >= 0 else -1
        else:
            i = text.find("<", i + 1)


def _find_ci(text: str, needle: str, start: int) -> int:
    """Case-insensitive `text.find(needle, start)` for a lower-case needle that starts with "<"."""
    pos = text.find("<", start)
    while pos >= 0 and not _same_ci(text[pos:pos + len(needle)], needle):
        pos = text.find("<", pos + 1)
    return pos


def _same_ci(part: str, needle: str) -> bool:
    return part.isascii() and part.lower() == needle


def depth(text: str) -> int:
    """The deepest nesting of the page's elements, estimated from its tags (module docstring)."""
    if core is not None:
        return core.html_depth(text, VOID, RAW_TEXT)
    level = deepest = 0
    for _, _, step in _tags(text):
        level = max(0, level + step)
        deepest = max(deepest, level)
    return deepest


def flatten(text: str) -> tuple[str, int]:
    """(the page with its start tags beyond MAX_DEPTH and as many end tags after them removed, how many
    start tags went)."""
    parts: list[str] = []
    last = level = pending = dropped = 0
    for start, end, step in _tags(text):
        if step == -1 and pending:
            pending -= 1
        elif step == 1 and level >= MAX_DEPTH:
            pending += 1
            dropped += 1
        else:
            level = max(0, level + step)
            continue
        parts.append(text[last:start])
        last = end
    parts.append(text[last:])
    return "".join(parts), dropped


def guarded(text: str, raw: bytes | None = None) -> tuple[str, int]:
    """(the page, flattened if it nests deeper than MAX_DEPTH; how many start tags were removed).
    `raw`, when given, is `text` in UTF-8: the C scan reads it instead (the same tags, found faster)."""
    if core is not None:
        deep = core.html_depth(raw if raw is not None else text, VOID, RAW_TEXT) > MAX_DEPTH
    else:
        # A page with fewer tags than MAX_DEPTH cannot nest deeper: counting them spares the Python
        # scan most pages (the C scan, memchr from tag to tag, costs less than the count).
        deep = text.count("<") > MAX_DEPTH and depth(text) > MAX_DEPTH
    return flatten(text) if deep else (text, 0)
