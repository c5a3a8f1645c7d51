"""Bytes to text, the way a careful browser would, or a stable reason why not.

Order: a BOM wins; then valid UTF-8 that holds non-ASCII (it is almost never another encoding, while
declared charsets are often wrong); then the charset the page declares (HTTP header, `<meta charset>`,
`http-equiv`, XML declaration); then plain ASCII/UTF-8; then UTF-8 with a few broken bytes; then
charset-normalizer's guess. Binary data and whitespace-only data are refused with their own reasons.
"""
from __future__ import annotations

import codecs
import re

SNIFF_BYTES = 8192
GUESS_BYTES = 65536

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE, whose BOM is its prefix
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_BINARY_MAGIC = (b"%PDF-", b"PK\x03\x04", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\x1f\x8b", b"\x28\xb5\x2f\xfd",
                 b"\x7fELF")
# C0 controls that never occur in text (tab, newlines, form feed and ESC, used by ISO-2022, do).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\v\f\r\x1b")
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([a-z0-9_:.\-]+)""", re.I)
# What browsers actually use for a declared label (WHATWG Encoding): the superset of the legacy codec.
_WEB_SUPERSET = {
    "ascii": "cp1252", "latin_1": "cp1252", "iso8859-1": "cp1252", "iso8859-9": "cp1254",
    "shift_jis": "cp932", "euc_kr": "cp949", "gb2312": "gb18030", "gbk": "gb18030",
    "big5": "big5hkscs", "tis-620": "cp874", "iso8859-11": "cp874",
}


class DecodeError(ValueError):
    """Bytes that cannot become text; `reason` is a stable code: empty, binary or undecodable."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def decode_bytes(data: bytes, *, html: bool = False, declared: str | None = None) -> str:
    """Decode `data`; `html` also reads the charset the markup declares, `declared` is e.g. the HTTP one."""
    if not data.strip():
        raise DecodeError("empty")
    text = _decode(data, html, declared)
    if not text.strip():
        raise DecodeError("empty", "whitespace only")
    return text


def _decode(data: bytes, html: bool, declared: str | None) -> str:
    text = _by_bom(data)
    if text is not None:
        return text
    if looks_binary(data):
        raise DecodeError("binary", f"starts with {data[:8]!r}")
    utf8 = _strict(data, "utf-8")
    if utf8 is not None and not utf8.isascii():
        return utf8
    for label in (declared, declared_charset(data) if html else None):
        text = _strict(data, web_codec(label))
        if text is not None:
            return text
    if utf8 is not None:
        return utf8
    text = _mostly_utf8(data) or _guess(data)
    if text is None:
        raise DecodeError("undecodable", "no encoding decodes it cleanly")
    return text


def _by_bom(data: bytes) -> str | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    return None


def looks_binary(data: bytes) -> bool:
    """A known binary signature, or more than 5% of never-in-text control bytes in the first 8 KB."""
    head = data[:SNIFF_BYTES]
    if head.startswith(_BINARY_MAGIC):
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls * 20 > len(head)


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in its first 8 KB: `<?xml encoding>`, `<meta charset>` or `http-equiv`."""
    head = data[:SNIFF_BYTES]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None


def web_codec(label: str | None) -> str | None:
    """The Python codec for a charset label, widened as browsers do (latin-1 -> cp1252, Shift_JIS -> cp932)."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    if name.startswith(("utf-16", "utf-32")):  # a page readable as ASCII cannot be UTF-16; the label lies
        return None
    return _WEB_SUPERSET.get(name, name)


def _strict(data: bytes, codec: str | None) -> str | None:
    if not codec:
        return None
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 with a few broken bytes (a page cut mid-character, one pasted cp1252 quote) stays UTF-8:
    at least 10 well-formed non-ASCII characters and under 1 broken byte per 100 of them."""
    text = data.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore")) - broken
    return text if non_ascii >= 10 and broken * 100 < non_ascii else None


def _guess(data: bytes) -> str | None:
    """charset-normalizer's best guess on the first 64 KB; on a tie, cp1252, the web's legacy default
    (short French text in cp1252 is as clean in cp1250, where "crème" becomes "crčme")."""
    # imported here, not at the top: 8 ms of every run's start, and most inputs are UTF-8 or declare theirs
    from charset_normalizer import from_bytes
    matches = list(from_bytes(_head(data)))
    if not matches:
        return None
    best = min(matches, key=lambda m: (m.chaos, -m.coherence, m.encoding != "cp1252"))
    return _strict(data, best.encoding)


def _head(data: bytes) -> bytes:
    """The first 64 KB, cut after a byte below 0x40, which no multi-byte character continues past."""
    if len(data) <= GUESS_BYTES:
        return data
    head = data[:GUESS_BYTES]
    cut = max(head.rfind(bytes([b])) for b in b"\n\r\t \"'<>.,;")
    return head[: cut + 1] if cut > 0 else head
