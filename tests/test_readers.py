"""Readers: every format, and every kind of bad input, on small files written here."""
from __future__ import annotations

import gzip
import io
import json
import random
import time

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tamis.document import Document
from tamis.io.decode import DecodeError, decode_bytes
from tamis.io.readers import Unreadable, read_inputs, split_name

FRENCH = "Le café de la gare est fermé. Où aller ? « Voilà la question » — dit-il, naïf, à l’été."
JAPANESE = "日本語のニュース記事です。東京都は今日、新しい計画を発表しました。①番目の項目。"


def read(*paths):
    return list(read_inputs(paths))


def by_id(items):
    return {item.id if isinstance(item, Document) else item.source: item for item in items}


def jsonl_bytes(count: int, seed: int = 0) -> bytes:
    """Lines that compress poorly, so a file cut in the middle has complete lines before the cut."""
    rng = random.Random(seed)
    lines = [json.dumps({"id": f"r{i}", "text": "".join(rng.choices("abcdefghij klmnop", k=200))})
             for i in range(count)]
    return ("\n".join(lines) + "\n").encode()


# --- names, plain text, folders -------------------------------------------------------------------

def test_split_name_strips_format_and_compression():
    assert split_name("News.2024.JSONL.GZ") == ("News.2024", ".jsonl", ".gz")
    assert split_name("page.html") == ("page", ".html", "")
    assert split_name("crawl.warc.gz") == ("crawl", ".warc", ".gz")


def test_txt_is_one_document_named_by_its_stem(tmp_path):
    (tmp_path / "story.v2.txt").write_text("First line.\nSecond line.\n", encoding="utf-8")
    (tmp_path / "zipped.txt.gz").write_bytes(gzip.compress("Gzipped text é.".encode()))
    docs = read(tmp_path / "story.v2.txt", tmp_path / "zipped.txt.gz")
    assert docs == [Document("story.v2", text="First line.\nSecond line.\n"),
                    Document("zipped", text="Gzipped text é.")]


def test_folder_is_read_recursively_in_name_order(tmp_path):
    (tmp_path / "b.txt").write_text("b")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "z.txt").write_text("z")
    (tmp_path / "a" / "y.TXT").write_text("y")
    (tmp_path / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (tmp_path / "notes.docx").write_bytes(b"PK\3\4")
    items = read(tmp_path)
    assert [getattr(i, "id", None) for i in items] == ["y", "z", "b", None]
    assert items[3] == Unreadable(str(tmp_path / "notes.docx"), "unknown-format", "no reader for .docx", "skipped")


def test_folder_link_back_to_a_parent_is_skipped_not_followed(tmp_path):
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    items = read(tmp_path)
    assert items[0] == Document("a", text="a")
    assert (items[1].source, items[1].reason, items[1].status) == (str(tmp_path / "loop"), "link-loop", "skipped")
    assert len(items) == 2


def test_missing_path_is_not_found_and_the_rest_goes_on(tmp_path):
    (tmp_path / "ok.txt").write_text("fine")
    items = read(tmp_path / "missing.jsonl", tmp_path / "ok.txt")
    assert items[0].reason == "not-found" and items[0].source == str(tmp_path / "missing.jsonl")
    assert items[1] == Document("ok", text="fine")


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "empty"),
    (b"  \n\t \r\n", "empty"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary"),
    (bytes(range(256)) * 40, "binary"),
    (random.Random(1).randbytes(3000).translate(bytes(range(128, 256)) * 2), "undecodable"),
])
def test_bad_txt_files_are_unreadable_with_a_reason(tmp_path, content, reason):
    (tmp_path / "bad.txt").write_bytes(content)
    (tmp_path / "good.txt").write_text("still read")
    bad, good = read(tmp_path)
    assert isinstance(bad, Unreadable) and (bad.source, bad.reason, bad.status) == ("bad", reason, "unreadable")
    assert good == Document("good", text="still read")


def test_two_megabyte_single_line_is_read_fast(tmp_path):
    line = ("word " * 420_000).strip()
    (tmp_path / "long.txt").write_text(line)
    (tmp_path / "long.jsonl").write_text(json.dumps({"text": line}) + "\n")
    start = time.perf_counter()
    docs = read(tmp_path / "long.txt", tmp_path / "long.jsonl")
    assert time.perf_counter() - start < 1.0
    assert [d.id for d in docs] == ["long", "long:1"]
    assert docs[0].text == line and docs[1].text == line


# --- decoding -----------------------------------------------------------------------------------

def test_windows_1252_html_decodes_from_its_meta_charset(tmp_path):
    page = (f'<html><head><meta charset="windows-1252"><title>t</title></head>'
            f"<body><p>{FRENCH} 50 €</p></body></html>")
    (tmp_path / "cafe.html").write_bytes(page.encode("cp1252"))
    [doc] = read(tmp_path / "cafe.html")
    assert doc == Document("cafe", text="", html=page)


def test_shift_jis_html_decodes_from_http_equiv(tmp_path):
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS"></head>'
            f"<body><p>{JAPANESE}</p></body></html>")
    (tmp_path / "tokyo.htm.gz").write_bytes(gzip.compress(page.encode("cp932")))
    [doc] = read(tmp_path / "tokyo.htm.gz")
    assert doc.id == "tokyo" and doc.html == page


def test_undeclared_legacy_encodings_are_guessed():
    assert decode_bytes(FRENCH.encode("cp1252")) == FRENCH
    japanese = JAPANESE.replace("①", "一") * 3
    assert decode_bytes(f"<p>{japanese}</p>".encode("shift_jis"), html=True) == f"<p>{japanese}</p>"


def test_decoding_order_bom_then_utf8_then_declared():
    assert decode_bytes("BOM text é".encode("utf-16")) == "BOM text é"
    assert decode_bytes(b"\xef\xbb\xbfcaf\xc3\xa9") == "café"
    # a page that says latin-1 but is valid UTF-8 is UTF-8
    assert decode_bytes('<meta charset="iso-8859-1"><p>café</p>'.encode(), html=True).endswith("café</p>")
    # iso-8859-1 is read as windows-1252, as browsers do (0x80 is the euro sign)
    assert decode_bytes(b'<meta charset="iso-8859-1"><p>5 \x80</p>', html=True).endswith("5 €</p>")
    # the HTTP charset, when the bytes are not UTF-8
    assert decode_bytes("señor".encode("cp1252"), declared="windows-1252") == "señor"


def test_utf8_with_one_broken_byte_stays_utf8():
    text = ("Ελληνικά και русский текст. " * 5).encode() + b"\x92" + " τέλος".encode()
    assert decode_bytes(text).endswith("\ufffd τέλος")


def test_decode_errors_carry_a_reason():
    with pytest.raises(DecodeError) as error:
        decode_bytes(b"\x00\x01\x02\x03" * 100)
    assert error.value.reason == "binary"


# --- JSON lines, JSON, Parquet --------------------------------------------------------------------

def test_jsonl_records_ids_fields_and_a_bad_line_among_good_ones(tmp_path):
    lines = [
        json.dumps({"id": 17, "text": "Seventeen.", "url": "https://x.org/a", "title": "T",
                    "published": "2024-01-02"}),
        "{not json",
        "",
        json.dumps({"content": "From content."}),
        json.dumps({"raw_content": "From raw_content."}),
        json.dumps({"html": "<p>Only HTML</p>", "id": "h"}),
        json.dumps({"url": "https://x.org/none"}),
        json.dumps(["a", "list"]),
        json.dumps({"text": "   "}),
        json.dumps({"id": "last", "text": "Still read."}),
    ]
    (tmp_path / "feed.JSONL").write_text("\n".join(lines))  # no final newline: the last line counts
    items = read(tmp_path / "feed.JSONL")
    assert items[0] == Document("17", text="Seventeen.", url="https://x.org/a", title="T",
                                meta={"published": "2024-01-02"})
    assert items[1].source == "feed:2" and items[1].reason == "bad-json"
    assert items[2] == Document("feed:4", text="From content.")
    assert items[3] == Document("feed:5", text="From raw_content.")
    assert items[4] == Document("h", text="", html="<p>Only HTML</p>")
    assert (items[5].source, items[5].reason) == ("feed:7", "no-text")
    assert (items[6].source, items[6].reason) == ("feed:8", "bad-json")
    assert (items[7].source, items[7].reason) == ("feed:9", "empty")
    assert items[8] == Document("last", text="Still read.")
    assert len(items) == 9


def test_jsonl_line_with_invalid_utf8_is_undecodable(tmp_path):
    (tmp_path / "x.jsonl").write_bytes(b'{"text": "caf\xe9"}\n{"text": "ok"}\n')
    items = read(tmp_path / "x.jsonl")
    assert (items[0].source, items[0].reason) == ("x:1", "undecodable")
    assert items[1] == Document("x:2", text="ok")


def test_jsonl_lone_surrogate_becomes_a_replacement_character(tmp_path):
    # Valid JSON, but no UTF-8 writer takes "\ud800": left in, it stopped the run at the first write.
    (tmp_path / "x.jsonl").write_text('{"text": "caf\\ud800 ok", "title": "t\\udfff"}\n', encoding="utf-8")
    [doc] = read(tmp_path / "x.jsonl")
    assert (doc.text, doc.title) == ("caf\ufffd ok", "t\ufffd")
    doc.text.encode("utf-8")


def test_json_array_file(tmp_path):
    (tmp_path / "dump.json").write_text(json.dumps([{"text": "one"}, {"id": "b", "text": "two"}], indent=2))
    assert read(tmp_path / "dump.json") == [Document("dump:1", text="one"), Document("b", text="two")]


def test_compressed_jsonl_reads_every_record(tmp_path):
    data = jsonl_bytes(50)
    (tmp_path / "a.jsonl.gz").write_bytes(gzip.compress(data))
    compressor = zstandard.ZstdCompressor()
    (tmp_path / "b.jsonl.zst").write_bytes(compressor.compress(data[:3000]) + compressor.compress(data[3000:]))
    for name in ("a.jsonl.gz", "b.jsonl.zst"):
        docs = read(tmp_path / name)
        assert [d.id for d in docs] == [f"r{i}" for i in range(50)]


@pytest.mark.parametrize(("name", "compress", "reason"), [
    ("cut.jsonl.gz", gzip.compress, "truncated-gzip"),
    ("cut.jsonl.zst", zstandard.ZstdCompressor().compress, "truncated-zstd"),
])
def test_truncated_compressed_jsonl_keeps_every_complete_line(tmp_path, name, compress, reason):
    data = jsonl_bytes(3000)
    packed = compress(data)
    (tmp_path / name).write_bytes(packed[: len(packed) * 6 // 10])
    (tmp_path / "next.txt").write_text("after")
    items = read(tmp_path / name, tmp_path / "next.txt")
    docs, tail = items[:-2], items[-2:]
    assert len(docs) > 1000
    assert [d.id for d in docs] == [f"r{i}" for i in range(len(docs))]
    assert docs[-1].text == json.loads(data.splitlines()[len(docs) - 1])["text"]
    assert (tail[0].source, tail[0].reason) == ("cut", reason)
    assert tail[1] == Document("next", text="after")


def test_parquet_streams_rows_in_batches(tmp_path):
    table = pa.table({
        "id": [None, "b"] * 1500,
        "text": [f"row {i}" for i in range(3000)],
        "url": ["https://x.org/"] * 3000,
        "extra": [1] * 3000,
    })
    pq.write_table(table, tmp_path / "rows.parquet", row_group_size=700)
    docs = read(tmp_path / "rows.parquet")
    assert len(docs) == 3000
    assert docs[0] == Document("rows:1", text="row 0", url="https://x.org/")
    assert docs[1].id == "b" and docs[2998].id == "rows:2999" and docs[2998].text == "row 2998"


@pytest.mark.parametrize("damage", ["garbage", "cut"])
def test_corrupt_parquet_is_unreadable(tmp_path, damage):
    pq.write_table(pa.table({"text": ["a", "b"]}), tmp_path / "good.parquet")
    good = (tmp_path / "good.parquet").read_bytes()
    bad = b"this is not parquet at all" if damage == "garbage" else good[: len(good) // 2]
    (tmp_path / "bad.parquet").write_bytes(bad)
    items = read(tmp_path)
    assert (items[0].source, items[0].reason) == ("bad", "bad-parquet")
    assert [d.text for d in items[1:]] == ["a", "b"]


# --- WARC ---------------------------------------------------------------------------------------

def warc_record(uri: str, body: bytes, content_type: str, kind: str = "response", status: str = "200 OK",
                gzip_it: bool = True) -> tuple[bytes, str]:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzip_it)
    if kind == "request":
        headers = StatusAndHeaders("GET / HTTP/1.1", [("Host", "x.org")], is_http_request=True)
    else:
        headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    record = writer.create_warc_record(uri, kind, payload=io.BytesIO(body), http_headers=headers)
    writer.write_record(record)
    return out.getvalue(), record.rec_headers.get_header("WARC-Record-ID")


def test_warc_takes_html_responses_and_skips_the_rest(tmp_path):
    one, id1 = warc_record("https://x.org/1", b"<html><body><p>One</p></body></html>", "text/html; charset=utf-8")
    pdf, id_pdf = warc_record("https://x.org/doc.pdf", b"%PDF-1.4 ...", "application/pdf")
    request, id_req = warc_record("https://x.org/2", b"", "", kind="request")
    corrupt = gzip.compress(b"NOT-A-WARC-HEADER junk\r\n\r\n")
    latin = "<html><body><p>Señor</p></body></html>".encode("cp1252")
    two, id2 = warc_record("https://x.org/2", latin, "text/html; charset=windows-1252")
    sniffed, id3 = warc_record("https://x.org/3", b"<!DOCTYPE html><html><p>Three</p></html>", "")
    missing, id404 = warc_record("https://x.org/4", b"<html>gone</html>", "text/html", status="404 Not Found")
    (tmp_path / "crawl.warc.gz").write_bytes(one + pdf + request + corrupt + two + sniffed + missing)
    items = read(tmp_path / "crawl.warc.gz")
    assert items[0] == Document(id1, html="<html><body><p>One</p></body></html>", url="https://x.org/1",
                                meta=items[0].meta)
    assert "fetched" in items[0].meta
    assert items[1] == Unreadable(id_pdf, "warc-non-html", "application/pdf", "skipped")
    assert items[2] == Unreadable(id_req, "warc-request", "", "skipped")
    offset = len(one + pdf + request)
    assert (items[3].source, items[3].reason, items[3].status) == (f"crawl@{offset}", "warc-corrupt", "unreadable")
    assert items[4].id == id2 and items[4].html == "<html><body><p>Señor</p></body></html>"
    assert items[5].id == id3 and items[5].url == "https://x.org/3"
    assert items[6] == Unreadable(id404, "warc-http-status", "HTTP 404", "skipped")
    assert len(items) == 7


def test_uncompressed_warc_resumes_after_a_corrupt_record(tmp_path):
    one, id1 = warc_record("https://x.org/1", b"<html>One</html>", "text/html", gzip_it=False)
    two, id2 = warc_record("https://x.org/2", b"<html>Two</html>", "text/html", gzip_it=False)
    (tmp_path / "plain.warc").write_bytes(one + b"garbage line\r\n\r\n" + two)
    items = read(tmp_path / "plain.warc")
    assert [getattr(i, "id", None) or i.reason for i in items] == [id1, "warc-corrupt", id2]


def test_truncated_warc_gz_keeps_the_records_before_the_cut(tmp_path):
    one, id1 = warc_record("https://x.org/1", b"<html>One</html>", "text/html")
    body = "".join(random.Random(2).choices("abcdefgh <>/", k=20_000)).encode()
    two, id2 = warc_record("https://x.org/2", b"<html>" + body, "text/html")
    (tmp_path / "cut.warc.gz").write_bytes(one + two[: len(two) // 2])
    (tmp_path / "next.txt").write_text("after")
    items = read(tmp_path / "cut.warc.gz", tmp_path / "next.txt")
    assert items[0].id == id1
    assert items[1].reason == "warc-corrupt"
    assert items[-1] == Document("next", text="after")


@pytest.mark.parametrize("data", [gzip.compress(b"WARC/1.0\r\n\r\n"),
                                  gzip.compress(b"WARC/1.0\r\nWARC-Type: response\r\n")[:30]],
                         ids=["no-type", "cut-in-header"])
def test_warc_record_without_a_type_is_corrupt_not_skipped(tmp_path, data):
    """A header that names no record type (none written, or the archive cut inside the header) is a
    damaged record: unreadable, with its reason, not a record of some type skipped on purpose."""
    (tmp_path / "cut.warc.gz").write_bytes(data)
    (tmp_path / "next.txt").write_text("after")
    items = read(tmp_path / "cut.warc.gz", tmp_path / "next.txt")
    assert (items[0].reason, items[0].status) == ("warc-corrupt", "unreadable")
    assert items[-1] == Document("next", text="after")


# --- feeds ---------------------------------------------------------------------------------------

RSS = """<?xml version="1.0" encoding="ISO-8859-1"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:media="http://search.yahoo.com/mrss/">
<channel><title>Site</title><link>https://site.org/</link>
<item>
  <title>First story</title><link>https://site.org/1</link><guid>site-1</guid>
  <pubDate>Tue, 02 Jan 2024 10:00:00 GMT</pubDate>
  <description>Short teaser</description>
  <content:encoded><![CDATA[<p>Full story, café.</p>]]></content:encoded>
  <media:content url="https://site.org/1.jpg"><media:title>pic</media:title></media:content>
</item>
<item>
  <title>Second</title><link>https://site.org/2</link>
  <description>&lt;p&gt;Only a description&lt;/p&gt;</description>
</item>
<item><title>Empty</title></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Blog</title>
<entry>
  <id>tag:blog,2024:1</id><title>Entry one</title>
  <link rel="self" href="https://blog.org/api/1"/><link rel="alternate" href="https://blog.org/1"/>
  <published>2024-03-04T05:06:07Z</published>
  <summary>Summary only</summary>
  <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Inline <b>XHTML</b></p></div></content>
</entry>
<entry><title>Entry two</title><link href="https://blog.org/2"/><summary type="text">a &lt; b</summary></entry>
</feed>"""


def test_rss_items_become_documents(tmp_path):
    (tmp_path / "news.rss").write_bytes(RSS.encode("latin-1"))
    items = read(tmp_path / "news.rss")
    assert items[0] == Document("site-1", html="<p>Full story, café.</p>", url="https://site.org/1",
                                title="First story", meta={"published": "Tue, 02 Jan 2024 10:00:00 GMT"})
    assert items[1] == Document("news:2", html="<p>Only a description</p>", url="https://site.org/2", title="Second")
    assert (items[2].source, items[2].reason) == ("news:3", "no-text")


def test_atom_entries_become_documents(tmp_path):
    (tmp_path / "blog.xml").write_text(ATOM, encoding="utf-8")
    items = read(tmp_path / "blog.xml")
    assert items[0].id == "tag:blog,2024:1" and items[0].url == "https://blog.org/1"
    assert items[0].html == '<div xmlns="http://www.w3.org/1999/xhtml"><p>Inline <b>XHTML</b></p></div>'
    assert items[0].title == "Entry one" and items[0].meta == {"published": "2024-03-04T05:06:07Z"}
    assert items[1] == Document("blog:2", html="a &lt; b", url="https://blog.org/2", title="Entry two")


def test_xml_that_is_not_a_feed_is_skipped(tmp_path):
    (tmp_path / "sitemap.xml").write_text('<urlset><url><loc>https://x.org/</loc></url></urlset>')
    [item] = read(tmp_path / "sitemap.xml")
    assert (item.source, item.reason, item.status) == ("sitemap", "not-a-feed", "skipped")


JSON_LINES = [
    b'{"id": "a", "text": "plain"}', b'{"a":1,"a":2}', b'{"x":1e400}', b'{"x":123456789012345678901234567890}',
    b'{"x":-9223372036854775809}', b'{"x":18446744073709551615}', b'{"x":18446744073709551616}',
    b'{"m":{"s":[1,{"t":99999999999999999999}]}}', b'{"x":1e19}', b'{"x":0.97,"n":12,"f":-0.0}', b'{"x":NaN}',
    b'"\\ud800"', b'{"t":"\\ud83d\\ude00 \\u00e9"}', b'\xef\xbb\xbf{"a":1}', '{"a":1}'.encode("utf-16"),
    b'{"a":"\xff"}', b'[1,2,]', b'{"a":"x\ty"}', b'', b'  {"a": [1, 2.5, null, true]}  \n', b'{"text": "' + b"w " * 5000 + b'"}',
]


@pytest.mark.parametrize("line", JSON_LINES)
def test_a_json_line_decodes_as_the_standard_library_decodes_it(line):
    """orjson where it gives what `json` gives; `json` for a large integer (orjson makes it a float) and
    for every line orjson refuses, so that the value, or the exception, is the standard library's."""
    import json
    from tamis.io.json_lines import loads
    try:
        expected = json.loads(line)
    except ValueError as exc:
        with pytest.raises(type(exc)):
            loads(line)
        return
    got = loads(line)
    assert repr(got) == repr(expected) and got == expected


class _Kind(__import__("enum").Enum):
    A = "a"


def _circular() -> dict:
    loop: dict = {"id": "x"}
    loop["self"] = [loop]
    return loop


_SHARED = {"a": 1}


class _Tag(str):
    def __str__(self) -> str:
        return "tag"


OBJECTS = [
    {"id": "a", "text": "Zürich “quoted” \u2028 \x7f \x00 \t\n\r\\ \" 東京 😀", "title": None, "n": 3, "ok": True},
    {"score": 1e-05}, {"score": 0.1, "nested": [{"x": 2.5e-7}]}, {"big": 2 ** 70}, {"neg": -(2 ** 63)},
    {1: "int key"}, {"t": (1, "two")}, {"sub": _Tag("x")}, {"lone": "\ud800"}, {"nan": float("nan")},
    {"deep": [[[[[[[[[[[]]]]]]]]]]]}, {"when": __import__("datetime").date(2026, 1, 2)}, {},
    {"kind": _Kind.A}, {"uuid": __import__("uuid").UUID(int=7)}, _circular(), {"shared": [_SHARED, _SHARED]},
    {"score": 0.8735, "zero": 0.0, "minus": -0.0, "low": 1e-4, "high": 1e300},
    {"score": 1e16}, {"inf": float("inf")}, {"score": 0.5, "sub": _Tag("x")},
]


@pytest.mark.parametrize("obj", OBJECTS)
def test_a_line_is_written_as_the_standard_library_writes_it(obj):
    """orjson where it gives the same bytes as `json.dumps(ensure_ascii=False, separators=(",", ":"))`
    in UTF-8; `json` for floats below 1e-4 or from 1e16 (orjson writes 1e-05 as 0.00001) and for what
    orjson refuses or writes its own way, so that the bytes, or the exception, are the standard
    library's."""
    import json
    from tamis.io.writers import dump_line
    try:
        expected = (json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
    except (TypeError, ValueError) as exc:
        with pytest.raises(type(exc)):
            dump_line(obj)
        return
    assert dump_line(obj) == expected


def test_floats_are_written_as_the_standard_library_writes_them():
    """Floats of every magnitude, and either side of 1e-4, where orjson's form and `repr`'s part, come
    out as `json` writes them, by orjson or not."""
    import json
    import math
    import random
    import struct
    from tamis.io.writers import dump_line
    rng = random.Random(5)
    floats = [rng.random() * 10.0 ** e for e in range(-30, 31) for _ in range(2000)]
    floats += [struct.unpack("d", struct.pack("Q", rng.getrandbits(64)))[0] for _ in range(100_000)]
    floats += [1e-4, math.nextafter(1e-4, 0), math.nextafter(1e-4, 1), 1e16, 1.7976931348623157e308]
    floats += [0.0, -0.0, math.nan, math.inf, -math.inf]
    for x in floats:
        assert dump_line({"score": x, "neg": -x}) == (json.dumps({"score": x, "neg": -x}, separators=(",", ":"))
                                                      + "\n").encode(), x
