"""HTML, WARC and feed inputs through `tamis run`, mixed with text inputs: one pipeline, one ledger."""
import gzip
import json
from pathlib import Path

import tamis
from test_readers import warc_record

PARA = ("The harbour authority said on Monday that the new pier would open in the spring, after two years "
        "of delays caused by storms, a shortage of steel and a dispute with the contractor over costs.")


def page(title: str, body: str) -> str:
    return (f"<html><head><title>{title}</title></head><body><nav><a href='/'>Home</a> <a href='/news'>News</a>"
            f"</nav><article><h1>{title}</h1><p>{body}</p><p>{body} It was the {title} story.</p></article>"
            "<footer>Privacy Policy · Contact us</footer></body></html>")


def rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_warc_feed_html_and_text_in_one_run(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    one, id1 = warc_record("https://port.example/pier", page("Pier opens", PARA).encode(), "text/html")
    other = PARA.replace("harbour", "city").replace("pier", "library").replace("storms", "floods")
    two, id2 = warc_record("https://city.example/library", page("Library opens", other).encode(), "text/html")
    pdf, id_pdf = warc_record("https://port.example/a.pdf", b"%PDF-1.4", "application/pdf")
    req, id_req = warc_record("https://port.example/", b"", "", kind="request")
    corrupt = gzip.compress(b"NOT-A-WARC-HEADER\r\n\r\n")
    (inp / "crawl.warc.gz").write_bytes(one + pdf + req + corrupt + two)
    feed_body = PARA.replace("harbour", "county").replace("pier", "bridge")
    (inp / "news.rss").write_text(
        "<?xml version='1.0'?><rss version='2.0' xmlns:content='http://purl.org/rss/1.0/modules/content/'>"
        "<channel><title>County news</title><item><title>Bridge opens</title><link>https://county.example/bridge</link>"
        f"<guid>bridge-1</guid><content:encoded><![CDATA[<p>{feed_body}</p><p>{feed_body} Again.</p>]]></content:encoded>"
        "</item></channel></rss>", encoding="utf-8")
    (inp / "note.txt").write_text("Volunteers planted four hundred oak saplings along the river bank this weekend, "
                                  "and the parish council promised to water them through the dry summer months.\n",
                                  encoding="utf-8")
    tamis.run([inp], tmp_path / "out", progress=False)

    ledger = {r["source"]: r for r in rows(tmp_path / "out" / "ledger.jsonl")}
    assert ledger[id1]["status"] == "kept" and ledger[id2]["status"] == "kept"
    assert (ledger[id_pdf]["status"], ledger[id_pdf]["reason"].split(":")[0]) == ("skipped", "warc-non-html")
    assert (ledger[id_req]["status"], ledger[id_req]["reason"].split(":")[0]) == ("skipped", "warc-request")
    assert any(r["reason"].startswith("warc-corrupt") for r in ledger.values())
    assert ledger["bridge-1"]["status"] == "kept" and ledger["note"]["status"] == "kept"

    docs = {d["id"]: d for d in rows(tmp_path / "out" / "documents.jsonl")}
    pier = docs[id1]
    assert pier["text"].startswith("The harbour authority said on Monday")
    assert "Privacy Policy" not in pier["text"] and "Home" not in pier["text"]
    assert pier["provenance"]["url"] == "https://port.example/pier"
    assert docs["bridge-1"]["provenance"]["url"] == "https://county.example/bridge"
    assert "county" in docs["bridge-1"]["text"]
