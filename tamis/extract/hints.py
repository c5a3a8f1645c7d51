"""Markup evidence as data: what a tag, an ARIA role or a class/id word says about an element.

Every element gets at most one *kind* (the reason code its text is removed with when it is not the
main content) and a *positive* flag (it is marked as the article). Words are matched on the tokens of
`class` and `id` (split on punctuation and camelCase), exactly for short words and as a prefix for long
ones, so `sidebar-widget`, `relatedPosts`, `comment-list` and `td-social-sharing` all match.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .switches import ON

# Tags whose subtree is never text (dropped in the walk).
SKIP_TAGS = frozenset({
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed", "canvas",
    "video", "audio", "map", "select", "option", "button", "input", "textarea", "head", "title",
    "meta", "link", "base", "img", "picture", "source", "track", "wbr", "param", "datalist", "dialog",
})

# Block-level tags: each one starts and ends a block of text. Table cells are not: a data table's row
# is one block (`1 Kyle Busch 2400 pts`), its cells separated by a space (`CELL_TAGS`); a layout
# table's cell holds block elements of its own.
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hgroup", "hr", "html", "legend", "li", "main", "menu", "nav", "ol", "p", "pre", "section",
    "summary", "table", "tbody", "tfoot", "thead", "tr", "ul", "caption", "dir", "frameset",
    "noframes", "listing", "plaintext", "xmp",
})

CELL_TAGS = frozenset({"td", "th"})
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

# A table's parts: `header`/`footer` in their class names a heading row, not the page's (rule `table-header`).
TABLE_PARTS = frozenset({"table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption"})

# Inline tags: their text belongs to the block around them.
INLINE_TAGS = frozenset({
    "a", "span", "b", "i", "em", "strong", "small", "font", "abbr", "cite", "code", "sup", "sub", "u", "s",
    "time", "label", "mark", "q", "bdi", "bdo", "kbd", "var", "data", "big", "tt", "strike", "del", "ins",
    "dfn", "samp", "nobr",
})

# The HTML5 sectioning tags that say what their content is.
TAG_KIND = {"nav": "nav", "aside": "aside", "footer": "footer", "header": "header", "form": "form",
            "menu": "nav", "figcaption": "figcaption", "address": "meta"}

ROLE_KIND = {"navigation": "nav", "menu": "nav", "menubar": "nav", "complementary": "aside",
             "contentinfo": "footer", "banner": "header", "search": "form", "dialog": "dialog",
             "alertdialog": "dialog", "toolbar": "share"}
POSITIVE_ROLES = frozenset({"main", "article"})

# class/id words matched as whole tokens (short or ambiguous words).
EXACT_WORDS = {
    "nav": "nav", "navbar": "nav", "menu": "nav", "menus": "nav", "topbar": "nav", "pager": "nav",
    "pagination": "nav", "skip": "nav", "skiplink": "nav", "toc": "nav",
    "ad": "ad", "ads": "ad", "adv": "ad", "advert": "ad", "dfp": "ad", "sponsor": "ad", "sponsored": "ad",
    "promo": "ad", "promos": "ad",
    "tags": "meta", "tag": "meta", "tagcloud": "meta", "byline": "meta", "meta": "meta",
    "dateline": "meta", "timestamp": "meta", "categories": "meta",
    # An author's box (`author-bio`, `author__info`): a bio is prose, but no part of the article
    # (kind `author`, which rule `prose` in `locate.py` leaves alone).
    "author": "author", "authors": "author",
    "caption": "figcaption", "credit": "figcaption", "credits": "figcaption",
    "print": "share", "email": "share", "rss": "share",
    "header": "header", "masthead": "header", "footer": "footer", "copyright": "footer",
    "colophon": "footer", "login": "form", "signin": "form", "search": "form", "searchform": "form",
    "reply": "comment", "respond": "comment", "replies": "comment",
    # Rule `hover-text`: a tooltip's or popover's text is shown only on hover or click (an info icon's
    # "100% authentic", "View Company Profile", a price's fine print): no part of the text a reader
    # reads. Rule `notice`: a notice bar (MediaWiki's `siteNotice`, a Q&A's "You must log in to answer
    # this question", a forum post's "Last edited by" note) speaks about the site or the post, not its
    # subject. Both kinds are removed but do not weigh when locating the content (UNWEIGHED in `locate.py`).
    "tooltip": "tooltip", "tooltips": "tooltip", "popover": "tooltip", "notice": "notice", "notices": "notice",
    "modal": "popup", "popup": "popup", "overlay": "popup", "lightbox": "popup",
    # A forum post's author card (`message-userExtras`, a Q&A's `post-signature` and reputation
    # `flair`): name, title, join date, post count, badges. See UNWEIGHED in `locate.py`.
    "signature": "profile", "flair": "profile", "userinfo": "profile",
    "breaking": "related",
}

# class/id words matched as a token prefix (long, specific words): `comments`, `commentlist`...
PREFIX_WORDS = {
    "sidebar": "aside", "related": "related", "recommend": "related",
    "morestories": "related", "readmore": "related", "readnext": "related", "trending": "related",
    "popular": "related", "mostread": "related", "mostpopular": "related", "outbrain": "related",
    "taboola": "related", "teaser": "related", "upnext": "related",
    # A news site's ticker ("Breaking News", `newsTicker`): a band of other stories' headlines and ledes.
    "ticker": "related", "newsticker": "related", "breakingnews": "related",
    "breadcrumb": "nav", "navigation": "nav", "menuitem": "nav", "submenu": "nav", "dropdown": "nav",
    "share": "share", "sharing": "share", "social": "share", "addthis": "share", "sharedaddy": "share",
    "follow": "share",
    "comment": "comment", "disqus": "comment", "discussion": "comment", "review": "review",
    "cookie": "cookie", "consent": "cookie", "gdpr": "cookie",
    "newsletter": "newsletter", "subscribe": "newsletter", "subscription": "newsletter",
    "signup": "newsletter", "optin": "newsletter", "mailchimp": "newsletter",
    "advertis": "ad", "adslot": "ad", "adunit": "ad", "adsense": "ad", "googlead": "ad",
    "footnote": None, "pagefooter": "footer", "sitefooter": "footer", "siteheader": "header",
    "pageheader": "header", "copyright": "footer", "authorbio": "author", "postmeta": "meta",
    "entrymeta": "meta", "posttags": "meta", "caption": "figcaption",
    "userextra": "profile", "userdetail": "profile", "usertitle": "profile",
    # phpBB's author card (`dl.postprofile`: rank, post count, join date) and punBB's signature.
    "postprofile": "profile", "postsignature": "profile",
}
# Rule `member-stats`: a forum post's author card states the member's post count and join date
# (XenForo themes' `MessageCard__post-count` and `MessageCard__join-date`, MyBB's `author_statistics`,
# `user-statistics`): two class words in a row name it, where each word alone is common (`post`,
# `count`, `date`, `author`) and a `post-date` is the post's own date, which is content. They outrank
# the single words: `author_statistics` is no author's bio box (kind `author`, which rule `repeated`
# voids on every post), but the card's numbers.
PROFILE_PAIRS = frozenset({("post", "count"), ("posts", "count"), ("message", "count"), ("join", "date"),
                           ("joined", "date"), ("author", "stats"), ("author", "statistics"),
                           ("user", "stats"), ("user", "statistics"), ("user", "details"), ("member", "stats"),
                           ("member", "statistics")})
_PAIR_FIRSTS = frozenset(a for a, _ in PROFILE_PAIRS)
# Tokens that start like a boilerplate word but name content: an opinion page's `commentary`.
NOT_BOILERPLATE = frozenset({"commentary", "commentaries", "followup", "sharecontent"})

# Class/id names (whole names, before splitting) of elements a browser does not show.
HIDDEN_CLASSES = frozenset({"hidden", "hide", "sr-only", "screen-reader-text", "visually-hidden",
                            "visuallyhidden", "d-none", "screenreader", "offscreen", "element-invisible",
                            "show-for-sr"})
_SHOWN = frozenset({"block", "flex", "grid", "inline", "inline-block", "inline-flex", "table", "contents",
                    "flow-root", "list-item"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)

# Class/id words that mark the article body in the common CMS templates: a stem followed by a part
# (`entry-content`, `article__body`, `post_text`, `articleBody`), or one of a few whole class names.
_STEMS = ("article", "entry", "post", "story", "main", "news", "blog", "page", "content", "single")
_PARTS = ("body", "content", "text", "inner")
_POSITIVE_TOKENS = frozenset(s + p for s in _STEMS for p in _PARTS)
_POSITIVE_NAMES = frozenset({"content", "article", "story", "hentry"})
_STEM_SET, _PART_SET = frozenset(_STEMS), frozenset(_PARTS)
_PREFIX_BY_HEAD: dict[str, list[str]] = {}
for _word in sorted(PREFIX_WORDS, key=len, reverse=True):
    _PREFIX_BY_HEAD.setdefault(_word[:4], []).append(_word)
_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
_TO_SPACE = bytes(32 if chr(b) in _PUNCTUATION else b for b in range(256))
_NOT_WORD = re.compile(r"[\W_]+")
_DIGIT = re.compile(r"\d")


def _tokens(lower: str) -> list[str]:
    """`"td-post_sharing  x"` -> ["td", "post", "sharing", "x"] (a byte table for ASCII, the common case)."""
    if lower.isascii():
        return lower.encode().translate(_TO_SPACE).decode().split()
    return [t for t in _NOT_WORD.split(lower) if t]


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def _is_positive(lower: str, tokens: list[str]) -> bool:
    if not _POSITIVE_TOKENS.isdisjoint(tokens):
        return True
    if not _STEM_SET.isdisjoint(tokens):
        for i in range(len(tokens) - 1):
            if tokens[i] in _STEM_SET and tokens[i + 1] in _PART_SET:
                return True
    names = lower.split()
    if not _POSITIVE_NAMES.isdisjoint(names):
        return True
    return "post-" in lower and any(n.startswith("post-") and n[5:].isdigit() for n in names)


def _styling_name(name: str) -> bool:
    """A class that names a style, not a role: utility classes (Tailwind's `print:break-inside-avoid`,
    `[&>p]:mt-2`) and generated ones (CSS-in-JS `tagStyle_z4kqwb-o_O-style_1tcxgp3`, `css-1x2y3z4`),
    whose hash is a token of five or more letters and digits mixed. A word numbered at its end
    (`sidebar1`, `column2`) is no hash."""
    if ":" in name or "[" in name:
        return True
    if not _DIGIT.search(name):
        return False
    return any(len(t) >= 5 and not t.isalpha() and not t.isdigit() and not t.rstrip("0123456789").isalpha()
               for t in _tokens(name))


_SWITCH_WORDS = ("hide", "no")


def _switch_name(name: str) -> bool:
    """Rule `switch`: a class that starts with `hide` or `no` (`hide-read-more-ad`, `no-sidebar`) is
    a switch (hide the ad inside, lay out without a sidebar), not what the element is."""
    return name[:2].lower() in ("hi", "no") and _tokens(name.lower())[0] in _SWITCH_WORDS and ON("switch")


@lru_cache(maxsize=65536)
def _ignored_name(name: str) -> bool:
    """A class name that says nothing about what the element is (`_styling_name`, `_switch_name`).
    Cached per name: a page's utility classes (`ml-c`, `x-hide-sm`) recur in many class strings."""
    return _styling_name(name) or _switch_name(name)


def _kind(names: str, lower: str, tokens: list[str]) -> str | None:
    # Rule `embed`: `social-media-embed` holds an embedded post the article quotes, not share buttons.
    if "embed" in lower and ON("embed"):
        return None
    if lower != names:
        tokens = tokens + _tokens(_CAMEL.sub(" ", names).lower())
    if not _PAIR_FIRSTS.isdisjoint(tokens) and any(pair in PROFILE_PAIRS for pair in zip(tokens, tokens[1:])) \
            and ON("member-stats"):
        return "profile"    # rule `member-stats`
    for token in tokens:
        kind = _word_kind(token)
        if kind:
            return kind
    return None


# Kinds that a rule adds to the words' kinds (rules `hover-text`, `notice`): off, their words name none.
_KIND_RULE = {"tooltip": "hover-text", "notice": "notice"}


@lru_cache(maxsize=65536)
def _word_kind(token: str) -> str | None:
    """The kind one token names: a word of EXACT_WORDS, or one that starts with a word of PREFIX_WORDS
    (the longest such word decides; a None there says the token names no kind). Cached per token:
    `nav`, `item`, `col` recur across the class strings of every site."""
    kind = EXACT_WORDS.get(token)
    if kind and (kind not in _KIND_RULE or ON(_KIND_RULE[kind])):
        return kind
    words = _PREFIX_BY_HEAD.get(token[:4])
    if words and token not in NOT_BOILERPLATE:
        for word in words:
            if token.startswith(word):
                return PREFIX_WORDS[word]
    return None


_SIGNALS = (frozenset(EXACT_WORDS) | _STEM_SET | _POSITIVE_TOKENS | _POSITIVE_NAMES | _PAIR_FIRSTS
            | {"search"})


def _quiet(tokens: list[str]) -> bool:
    """No token of a class/id string is one that gives it a kind or marks the article: no word of
    EXACT_WORDS, none that starts with a PREFIX_WORDS word of some kind, no stem or name of the
    article's classes, no first word of PROFILE_PAIRS, no `search`. Over half of all class strings on
    the dev pages are such; `name_evidence` answers them without the rules below (each of which only
    looks for those words), and its time on a page of new class strings drops by a third. The tokens
    of a string with capitals include its camelCase parts (`mainNav`: `main`, `nav`)."""
    return _SIGNALS.isdisjoint(tokens) and not any(map(_word_kind, tokens))


@lru_cache(maxsize=16384)
def name_evidence(names: str) -> tuple[str | None, bool]:
    """(boilerplate kind, marks the article) of a class/id string: `"td-post-sharing"` -> (`share`,
    False), `"entry-content"` -> (None, True).

    Tokens are split on punctuation (`SideBar__widget` -> `sidebar`, `widget`) and, for names with
    capitals, also at camelCase steps (`mainNav` -> `main`, `nav`). Rule `positive-wins`: a WordPress
    `<article class="post type-post tag-x author-y">` or a `l-sidebar-fixed l-article-body-segment`
    column is the article, whatever else its classes say."""
    lower = names.lower()
    tokens = _tokens(lower)
    if _quiet(tokens if lower == names else tokens + _tokens(_CAMEL.sub(" ", names).lower())):
        return None, False
    split = names.split()
    kept = [n for n in split if not _ignored_name(n)]
    if len(kept) < len(split):
        names = " ".join(kept)
        lower = names.lower()
        tokens = _tokens(lower)
    if _is_positive(lower, tokens):
        return None, True
    return _kind(names, lower, tokens), False


def clear_name_caches() -> None:
    """Forget the class and id strings, names and tokens read so far (see `walk.clear_caches`)."""
    for cached in (name_evidence, hidden_class, _word_kind, _ignored_name):
        cached.cache_clear()


def hidden_style(style: str | None) -> bool:
    """An inline style that hides the element: `display:none`, `visibility:hidden`. (The `hidden` and
    `aria-hidden="true"` attributes, a closed cookie-settings dialog, are checked in the walk.)"""
    return bool(style) and ("none" in style or "hidden" in style) and bool(_HIDDEN_STYLE.search(style))


@lru_cache(maxsize=16384)   # called on every inline element with a class; a page repeats a few dozen
def hidden_class(cls: str) -> bool:
    """A class a browser does not show, or shows to screen readers only: `sr-only`, `d-none`. Not
    when a responsive variant shows it again (Tailwind's `hidden md:block`)."""
    names = cls.lower().split()
    if HIDDEN_CLASSES.isdisjoint(names):
        return False
    return not any(":" in n and n.rsplit(":", 1)[1] in _SHOWN for n in names)


def streamed(attrs: dict) -> bool:
    """Rule `streamed`: React's streaming server rendering sends a page's content in
    `<div hidden id="S:0">` segments that a script moves into place: they are the page, not hidden."""
    id_ = attrs.get("id")
    return bool(id_) and id_.startswith("S:") and ON("streamed")


def aria_panel(attrs: dict, tabs: bool = False) -> bool:
    """Rule `aria-panel`: a hidden `role="region"` labelled by another element (`aria-labelledby`) is
    the closed panel of an accordion written to the WAI-ARIA pattern: its heading is a button that
    opens it (a guide's "1. Understand your electric bill" over the step's paragraphs, a service
    page's FAQ). The page shows it on a click: it is read on every page, as the markup states it
    (dev: 5 pages better, none worse). Rule `aria-tabs`, with `tabs`: a hidden `role="tabpanel"`
    labelled by its tab is the same for tabs (a quickstart's steps for each programming language, a
    service's plans). Not on a product page, whose hidden tabs (shipping, returns, "why buy from us")
    pull the locator off the description, nor on a thread (dev: 6 pages better, two -0.01)."""
    role = attrs.get("role")
    if "aria-labelledby" not in attrs:
        return False
    return role == "region" and ON("aria-panel") or tabs and role == "tabpanel" and ON("aria-tabs")


# Rule `panels`: class words of a collapsible panel (`chakra-collapse`, Bootstrap's `tab-pane`,
# `common-accordion__content`).
PANEL_WORDS = frozenset({"collapse", "collapsible", "accordion", "tabpanel"})


def panel(attrs: dict) -> bool:
    """Rule `panels`: a hidden element that is a tab's or an accordion's closed panel: a product
    page's description, specifications and care notes wait there for a click, as much content as
    the open panel. Its class says so (`tab-pane`, `collapse`). Not `role="tabpanel"` alone: a
    shop's hidden "why buy from us" tabs carry it too, and weigh the locator off the description."""
    cls = attrs.get("class")
    if not cls:
        return False
    tokens = _tokens(cls.lower())
    return not PANEL_WORDS.isdisjoint(tokens) or ("tab" in tokens and "pane" in tokens)
