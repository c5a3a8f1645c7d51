"""Benchmark HTML extraction: tamis.extract_html against trafilatura and resiliparse, same pages, one core.

    python bench/bench_html.py DATA_DIR [--limit N] [--tools tamis,tamis-raw,trafilatura,resiliparse]
                               [--dump DIR] [--strip-names]

Tools: `tamis` is `extract_html` as shipped (structure + the cleaner's line evidence), `tamis-raw` the
structural pass alone, `tamis-full` the structure handed to the whole cleaner (`clean_blocks`);
`trafilatura` runs with include_comments=False, `trafilatura+comments` with its plain defaults.

DATA_DIR is a dev folder (see the data README): `pages.jsonl[.gz]` whose records name an `html` file
(.html.gz). The metric follows the folder's fields: `body` and `page_type` -> WCXB word F1 (overall and by
type); `body` alone -> the article-body metric (token 4-grams); `with`/`without` alone -> the snippet
metric. Every tool gets the page's raw bytes (decoding is part of its time) except resiliparse, which
needs a str (decoded with its own detector, counted in its time).

--strip-names: every tool gets the pages with every `class` and `id` attribute removed (decoded,
parsed by lxml, written back as UTF-8 with a `<meta charset>`; without the removal this round trip
leaves every tool's score on aeb-dev unchanged). A site nobody tuned on names its boxes in words no
lexicon holds: this measures how much of a tool's figure rests on class names, tags and metadata
left as they were. Preparing the pages is not timed.
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from metrics import article_f1, snippet_prf, word_f1  # noqa: E402


def load_pages(data_dir: Path, limit: int | None) -> list[dict]:
    path = data_dir / "pages.jsonl"
    if not path.exists():
        path = data_dir / "pages.jsonl.gz"
    opener = gzip.open if path.suffix == ".gz" else open
    pages = []
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            page = json.loads(line)
            page.pop("page_text", None)
            with gzip.open(data_dir / page["html"], "rb") as h:
                page["raw"] = h.read()
            pages.append(page)
            if limit and len(pages) >= limit:
                break
    return pages


def strip_names(raw: bytes) -> bytes:
    """The page without its class and id attributes (`--strip-names`)."""
    import lxml.html
    from lxml import etree

    from tamis.extract.decode import decode_html

    text = re.sub(r"^\s*<\?xml[^>]*>", "", decode_html(raw)[0])
    try:
        doc = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return raw
    for element in doc.iter():
        if isinstance(element.tag, str):
            element.attrib.pop("class", None)
            element.attrib.pop("id", None)
    head = doc.find("head")
    if head is not None:
        for meta in head.findall("meta"):
            if meta.get("charset") or (meta.get("http-equiv") or "").lower() == "content-type":
                head.remove(meta)
        head.insert(0, etree.Element("meta", charset="utf-8"))
    return lxml.html.tostring(doc, encoding="unicode").encode("utf-8")


def _tamis(clean):
    """extract_html with its class-name caches emptied before every page: each page is timed as if its
    site were new (conservative; in a corpus run a site's pages share their class names)."""
    from tamis.extract import extract_html
    from tamis.extract.walk import clear_caches

    def run(raw, url):
        clear_caches()
        return extract_html(raw, url=url, clean=clean).text
    return run


def tool_functions(names: list[str]) -> dict:
    tools = {}
    for name in names:
        if name in ("tamis", "tamis-raw", "tamis-full"):
            tools[name] = _tamis({"tamis": True, "tamis-raw": False, "tamis-full": "full"}[name])
        elif name == "trafilatura":
            import trafilatura
            tools[name] = lambda raw, url: trafilatura.extract(raw, url=url, include_comments=False) or ""
        elif name == "trafilatura+comments":   # its plain defaults: the data README's figures
            import trafilatura
            tools[name] = lambda raw, url: trafilatura.extract(raw, url=url) or ""
        elif name == "resiliparse":
            from resiliparse.extract.html2text import extract_plain_text
            from resiliparse.parse.encoding import bytes_to_str, detect_encoding

            def resili(raw, url):
                return extract_plain_text(bytes_to_str(raw, detect_encoding(raw)), main_content=True)
            tools[name] = resili
        else:
            raise SystemExit(f"unknown tool {name}")
    return tools


def score(pages: list[dict], preds: list[str]) -> tuple[str, tuple[float, float, float], dict]:
    first = pages[0]
    if "body" in first and "page_type" in first:
        by_type = defaultdict(lambda: ([], []))
        for page, pred in zip(pages, preds):
            by_type[page["page_type"]][0].append(pred)
            by_type[page["page_type"]][1].append(page["body"])
        per_type = {t: word_f1(*v)[0] for t, v in sorted(by_type.items())}
        return "word", word_f1(preds, [p["body"] for p in pages]), per_type
    if "body" in first:
        return "4gram", article_f1(preds, [p["body"] for p in pages]), {}
    return "snippet", snippet_prf(preds, [p["with"] for p in pages], [p["without"] for p in pages]), {}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data_dir", type=Path)
    ap.add_argument("--limit", type=int)
    ap.add_argument("--tools", default="tamis,tamis-raw,tamis-full,trafilatura,resiliparse")
    ap.add_argument("--dump", type=Path, help="write each tool's outputs to DIR/TOOL.jsonl")
    ap.add_argument("--strip-names", action="store_true", help="remove every class and id attribute first")
    args = ap.parse_args(argv)

    pages = load_pages(args.data_dir, args.limit)
    if args.strip_names:
        for page in pages:
            page["raw"] = strip_names(page["raw"])
    tools = tool_functions(args.tools.split(","))
    for fn in tools.values():      # one-time costs (imports, lexicons, models) are not timed
        fn(pages[0]["raw"], None)
    # Page by page, every tool in turn: a change of machine load hits all tools alike.
    preds = {name: [] for name in tools}
    elapsed = dict.fromkeys(tools, 0.0)
    for page in pages:
        url = page.get("url")
        url = url if url and "://" in url else None
        for name, fn in tools.items():
            t0 = time.perf_counter()
            preds[name].append(fn(page["raw"], url))
            elapsed[name] += time.perf_counter() - t0
    rows = {}
    for name in tools:
        metric, (f, p, r), per_type = score(pages, preds[name])
        rows[name] = (f, p, r, len(pages) / elapsed[name], elapsed[name], per_type)
        if args.dump:
            args.dump.mkdir(parents=True, exist_ok=True)
            with open(args.dump / f"{name}.jsonl", "w", encoding="utf-8") as out:
                for page, pred in zip(pages, preds[name]):
                    out.write(json.dumps({"id": page["id"], "text": pred}, ensure_ascii=False) + "\n")

    traf = rows.get("trafilatura")
    types = sorted({t for row in rows.values() for t in row[5]})
    stripped = ", class and id attributes removed" if args.strip_names else ""
    print(f"{args.data_dir.name}: {len(pages)} pages{stripped}, metric {metric}")
    head = f"{'tool':<20} {'F1':>6} {'P':>6} {'R':>6} {'pages/s':>8} {'s':>6} {'x traf':>6}"
    print(head + "".join(f" {t[:7]:>7}" for t in types))
    for name, (f, p, r, pps, el, per_type) in rows.items():
        ratio = f"{traf[4] / el:6.1f}" if traf else "     -"
        print(f"{name:<20} {f:6.3f} {p:6.3f} {r:6.3f} {pps:8.1f} {el:6.1f} {ratio}"
              + "".join(f" {per_type.get(t, 0):7.3f}" for t in types))


if __name__ == "__main__":
    main()
