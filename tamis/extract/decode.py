"""Bytes to str for HTML: BOM, then UTF-8 if the bytes are valid UTF-8, then the declared charset,
then a guess.

A byte-order mark wins. Bytes that decode strictly as UTF-8 are UTF-8 whatever the page declares: a
page saved as UTF-8 whose template still says `iso-8859-1` is common, and legacy text that happens to
be valid UTF-8 is vanishingly rare. Otherwise the `<meta charset>` / `http-equiv` declaration of the
first 4 KiB is used (with the WHATWG supersets, as browsers do), and without one charset-normalizer
guesses. Decoding never raises.
"""
from __future__ import annotations

import codecs
import re

from .switches import ON

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.\-]+)""", re.I)

# Browsers decode these labels as their supersets (WHATWG Encoding standard): a page that says
# iso-8859-1 but holds curly quotes in 0x80-0x9f means windows-1252.
_SUPERSET = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252",
             "ascii": "cp1252", "iso-8859-9": "cp1254", "tis-620": "cp874", "gb2312": "gb18030",
             "gbk": "gb18030", "x-sjis": "shift_jis", "shift-jis": "shift_jis", "euc-kr": "cp949",
             "ks_c_5601-1987": "cp949"}


def declared_charset(raw: bytes) -> str | None:
    """The charset the page declares in its first 4 KiB, as a Python codec name, or None."""
    head = raw[:4096]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if not match:
        return None
    label = match.group(1).decode("ascii", "ignore").lower()
    label = _SUPERSET.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_html(raw: bytes | str) -> tuple[str, str]:
    """(text, encoding used) for the bytes of an HTML page."""
    if isinstance(raw, str):
        return raw, "str"
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return raw[len(bom):].decode(name, "replace"), name
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = declared_charset(raw)
    if declared and not declared.startswith("utf-16"):
        # A declared UTF-8 with a few broken bytes stays UTF-8 (with replacement characters).
        return raw.decode(declared, "replace"), declared
    guess = _guess(raw)
    if guess:
        return raw.decode(guess, "replace"), guess
    return raw.decode("utf-8", "replace"), "utf-8"


def utf8_as_decoded(raw: bytes | str, text: str, encoding: str) -> bool:
    """`raw` is exactly `text` written in UTF-8: `decode_html` read it as valid UTF-8 without a BOM. (Its
    other UTF-8 paths replace broken bytes with U+FFFD; a text holding one is never taken for its bytes.)"""
    return (isinstance(raw, bytes) and encoding == "utf-8" and not raw.startswith(codecs.BOM_UTF8)
            and "\ufffd" not in text)


# The Windows code page of the languages that have one: what a page in that language that declares no
# charset and is not UTF-8 was almost surely saved in.
_CODE_PAGE = {lang: page for page, langs in {
    "cp1252": "en fr de es it pt nl da sv no nb nn fi is ca ga eu gl af sq id ms sw",
    "cp1250": "cs pl hu sk sl hr ro bs", "cp1251": "ru uk bg be mk sr", "cp1253": "el",
    "cp1254": "tr az", "cp1255": "he", "cp1256": "ar fa ur", "cp1257": "lt lv et", "cp1258": "vi",
    "cp874": "th"}.items() for lang in langs.split()}
_HTML_LANG = re.compile(rb"""<html[^>]*?\slang\s*=\s*["']?([a-zA-Z]{2,3})""", re.I)


def _guess(raw: bytes) -> str | None:
    """Rule `lang-code-page`: a page that says `<html lang="fr">` gets its language's code page when
    that decodes it (charset-normalizer alone takes French windows-1252 for Central European
    windows-1250, "élčves"); otherwise charset-normalizer's best guess."""
    match = _HTML_LANG.search(raw[:4096])
    page = _CODE_PAGE.get(match.group(1).decode("ascii").lower()) if match else None
    if page and ON("lang-code-page"):
        try:
            raw.decode(page)
            return page
        except UnicodeDecodeError:
            pass
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    best = from_bytes(raw[:65536]).best()
    return best.encoding if best else None
