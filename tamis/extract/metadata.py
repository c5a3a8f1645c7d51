"""Page metadata from the markup: title, publication date, authors, language, publisher, canonical url.

Sources, best first: `<meta>` tags (Open Graph, article:*, Dublin Core, parse.ly, sailthru, citation_*),
schema.org JSON-LD (`headline`, `datePublished`, `author`, `publisher`), microdata (`itemprop`), the
first `<time datetime>`, and a date in the url path (`/2019/11/19/`). Dates are returned as ISO
`YYYY-MM-DD`.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from ..document import site_of

_DATE_META = ("article:published_time", "og:published_time", "article:published", "datepublished",
              "published_time", "publishdate", "publish-date", "publish_date", "pubdate", "date",
              "dc.date.issued", "dc.date", "dcterms.date", "dcterms.created", "dcterms.issued",
              "sailthru.date", "parsely-pub-date", "citation_publication_date", "citation_date",
              "article.published", "og:article:published_time", "originalpublicationdate", "created",
              "article:modified_time", "og:updated_time", "datemodified", "last-modified")
_AUTHOR_META = ("author", "article:author", "og:article:author", "parsely-author", "sailthru.author",
                "dc.creator", "citation_author", "byl", "twitter:creator")
_TITLE_META = ("og:title", "twitter:title", "headline", "dc.title", "parsely-title", "sailthru.title")

_ISO_DATE = re.compile(r"((?:19|20)\d\d)-?(0[1-9]|1[0-2])-?(0[1-9]|[12]\d|3[01])")
_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/_-](0?[1-9]|1[0-2])[/_-](0?[1-9]|[12]\d|3[01])(?:/|[_-]|$)")
_TITLE_SEPARATORS = re.compile(r"\s+(?:[|•·»«–—:]|-{1,2}|::)\s+")
_BY = re.compile(r"^(?:by|von|par|por|di|door)\s*:?\s+", re.I)


def iso_date(value: str | None) -> str | None:
    """`2019-11-19T08:00:00Z`, `20191119` -> `2019-11-19`; anything else -> None."""
    if not value:
        return None
    match = _ISO_DATE.search(value)
    return f"{match.group(1)}-{match.group(2)}-{match.group(3)}" if match else None


# The elements the metadata readers look at (here, `product.py`, `threads.py`), found in one CSS pass:
# each query is a pass over the whole tree, and five of them cost about 6% of extract_html's time.
_MARKED = 'meta, script[type="application/ld+json"], [itemtype], time[datetime], [itemprop=datePublished]'


@dataclass(slots=True)
class Marked:
    metas: list[dict] = field(default_factory=list)     # the attributes of each <meta>
    scripts: list = field(default_factory=list)         # the JSON-LD <script> nodes
    itemtypes: list[str] = field(default_factory=list)  # every microdata itemtype
    dated: list[dict] = field(default_factory=list)     # attributes of <time datetime> and itemprop=datePublished


def marked_elements(tree) -> Marked:
    """The page's metas, JSON-LD scripts, itemtypes and dated elements, in document order."""
    found, seen = Marked(), set()
    for node in tree.css(_MARKED):
        key = node.mem_id
        if key in seen:     # an element matching two of the selectors comes twice
            continue
        seen.add(key)
        tag, attrs = node.tag, node.attributes
        if tag == "meta":
            found.metas.append(attrs)
        elif tag == "script" and (attrs.get("type") or "").lower() == "application/ld+json":
            found.scripts.append(node)
        if "itemtype" in attrs:
            found.itemtypes.append(attrs["itemtype"] or "")
        if (tag == "time" and "datetime" in attrs) or attrs.get("itemprop") == "datePublished":
            found.dated.append(attrs)
    return found


def json_ld_objects(tree, marked: Marked | None = None) -> list[dict]:
    objects = []
    for node in (marked or marked_elements(tree)).scripts:
        try:
            data = json.loads(node.text(deep=True) or "null", strict=False)
        except (ValueError, RecursionError):
            continue
        queue = [data]
        while queue and len(objects) < 50:
            item = queue.pop(0)
            if isinstance(item, list):
                queue.extend(item)
            elif isinstance(item, dict):
                objects.append(item)
                graph = item.get("@graph")
                if isinstance(graph, list):
                    queue.extend(graph)
    return objects


def _names(value) -> list[str]:
    """Names from a JSON-LD `author`/`publisher` value: a string, an object, or a list of them."""
    out = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, dict) and isinstance(item.get("name"), str):
            out.append(item["name"])
    return [" ".join(n.split()) for n in out if n and n.strip() and "://" not in n]


def has_type(obj: dict, types: frozenset) -> bool:
    """A JSON-LD object whose @type (a name or a list of names) is one of `types`."""
    kind = obj.get("@type")
    return any(isinstance(k, str) and k in types for k in (kind if isinstance(kind, list) else [kind]))


def _is_article_type(obj: dict) -> bool:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return any(isinstance(k, str) and ("Article" in k or k in ("BlogPosting", "Report", "WebPage", "Review"))
               for k in kinds)


def page_metadata(tree, url: str | None = None, ld: list[dict] | None = None, marked: Marked | None = None) -> dict:
    """title, published, author(s), language, publisher, canonical from a parsed page (missing -> absent);
    `ld`: its JSON-LD objects when already read (`json_ld_objects`); `marked`: its `marked_elements`."""
    marked = marked or marked_elements(tree)
    metas: dict[str, str] = {}
    for attrs in marked.metas:
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or attrs.get("http-equiv")
        value = attrs.get("content")
        if key and value and value.strip():
            metas.setdefault(key.strip().lower(), value.strip())
    if ld is None:
        ld = json_ld_objects(tree, marked)
    articles = [o for o in ld if _is_article_type(o)] or ld
    meta: dict = {}

    title = next((metas[k] for k in _TITLE_META if k in metas), None)
    title = title or next((o["headline"] for o in articles if isinstance(o.get("headline"), str)), None)
    head_title = tree.css_first("title")
    page_title = " ".join(head_title.text().split()) if head_title else ""
    title = " ".join(title.split()) if title else _strip_site(page_title)
    if title:
        meta["title"] = title

    published = next((iso_date(metas[k]) for k in _DATE_META if iso_date(metas.get(k))), None)
    published = published or next((iso_date(o.get("datePublished")) for o in articles
                                   if isinstance(o.get("datePublished"), str) and iso_date(o["datePublished"])), None)
    if not published:
        for attrs in marked.dated:
            published = iso_date(attrs.get("datetime") or attrs.get("content"))
            if published:
                break
    if not published and url:
        match = _URL_DATE.search(url)
        if match:
            published = f"{match.group(1)}-{int(match.group(2)):02d}-{int(match.group(3)):02d}"
    if published:
        meta["published"] = published

    authors = next((_names(o.get("author")) for o in articles if _names(o.get("author"))), [])
    if not authors:
        authors = [metas[k] for k in _AUTHOR_META if k in metas and "://" not in metas[k]
                   and not metas[k].startswith("@")][:1]
    authors = [_BY.sub("", a).strip() for a in authors]
    authors = [a for a in authors if a]
    if authors:
        meta["author"] = "; ".join(dict.fromkeys(authors))

    html = tree.css_first("html")
    lang = (html.attributes.get("lang") or html.attributes.get("xml:lang")) if html else None
    lang = lang or metas.get("content-language") or metas.get("og:locale")
    if lang and lang.strip():
        meta["language"] = lang.strip().replace("_", "-").split("-")[0].lower()

    publisher = metas.get("og:site_name") or next(
        (n for o in articles for n in _names(o.get("publisher"))), None)
    if publisher:
        meta["publisher"] = publisher
    if title:
        meta["title"] = _strip_site_name(meta["title"], publisher, url)
    canonical = tree.css_first('link[rel="canonical"]')
    href = canonical.attributes.get("href") if canonical else None
    if href and href.startswith("http"):
        meta["canonical"] = href
    return meta


def fallback_date(html: str, url: str | None = None) -> str | None:
    """htmldate's quick search (dates in the visible text, `extensive_search=False`) for a page whose
    markup names no date; None when htmldate is not installed or finds nothing."""
    try:
        from htmldate import find_date
    except ImportError:
        return None
    try:
        return iso_date(find_date(html, url=url, extensive_search=False))
    except Exception:  # noqa: BLE001 - a third-party parser on broken markup must not crash us
        return None


def _strip_site_name(title: str, publisher: str | None, url: str | None) -> str:
    """`Fact Check: ... - News Nation` -> `Fact Check: ...`: drop a first or last part of the title that
    names the site (its og:site_name, or its host name without punctuation)."""
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    site = _squash(publisher or "")
    host = _squash((site_of(url) or "").rsplit(".", 1)[0])

    def names_site(part: str) -> bool:
        p = _squash(part)
        if len(p) < 3:
            return False
        return any(len(s) >= 3 and (p == s or (len(p) >= 4 and (p in s or s in p))) for s in (site, host))
    separators = list(_TITLE_SEPARATORS.finditer(title))
    if names_site(parts[-1]):
        return title[:separators[-1].start()]
    if names_site(parts[0]):
        return title[separators[0].end():]
    return title


def _squash(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def _strip_site(title: str) -> str:
    """`Headline | Site` -> `Headline`: keep the longest part of a title split on separators."""
    parts = [p for p in _TITLE_SEPARATORS.split(title) if p.strip()]
    return max(parts, key=len) if len(parts) > 1 else title
