"""One table: every dev set, every tool, in one run (issue 7's table).

    python bench/bench_table.py ../shared/data/aeb-dev ../shared/data/traf-dev ../shared/data/wcxb-dev

Per set, with the set's own metric (aeb-dev article 4-gram F1, traf-dev snippet F, wcxb-dev mean word
F1, overall and per page type):
- on the flattened page (`page_text`): nothing removed, C4's line rules (datatrove), tamis `clean_text`
  (with the site templates it learns from the set, as a run would);
- on the HTML: tamis `extract_html`, trafilatura (include_comments=False), resiliparse main_content.
Then speed, as ratios measured in this run on one core: clean_text against C4's rules on the same text,
extract_html against trafilatura on the same bytes.
"""
from __future__ import annotations

import argparse
import gzip
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_clean import c4_cleaner, load, score  # noqa: E402
from bench_html import tool_functions  # noqa: E402

from tamis.clean import TemplateCounts, clean_text, split_blocks  # noqa: E402
from tamis.document import site_of  # noqa: E402

TOOLS = ["raw", "C4", "clean_text", "extract_html", "trafilatura", "resiliparse"]


def run_set(folder: Path) -> tuple[dict[str, dict[str, float]], dict[str, float], str]:
    """({row: {tool: F1}}, {tool: seconds}, metric): row "all" and, on wcxb, one per page type."""
    pages = load(folder)
    for page in pages:
        with gzip.open(folder / page["html"], "rb") as f:
            page["raw"] = f.read()
    counts = TemplateCounts()
    for page in pages:
        counts.add(site_of(page.get("url")), [b.text for b in split_blocks(page["page_text"])],
                   page.get("url"))
    table = counts.table()
    c4 = c4_cleaner()
    html = tool_functions(["tamis", "trafilatura", "resiliparse"])
    text_tools = {
        "raw": lambda page: page["page_text"],
        "C4": lambda page: c4(page["page_text"]),
        "clean_text": lambda page: clean_text(page["page_text"], url=page.get("url"), templates=table).text,
    }
    html_tools = {"extract_html": html["tamis"], "trafilatura": html["trafilatura"],
                  "resiliparse": html["resiliparse"]}
    for fn in html_tools.values():  # one-time costs (imports, models) are not timed
        fn(pages[0]["raw"], None)
    preds = {tool: [] for tool in TOOLS}
    seconds = dict.fromkeys(TOOLS, 0.0)
    # Page by page, every tool in turn: a change of machine load hits all tools alike.
    for page in pages:
        url = page.get("url") if page.get("url") and "://" in page["url"] else None
        for tool, fn in text_tools.items():
            start = time.perf_counter()
            preds[tool].append(fn(page))
            seconds[tool] += time.perf_counter() - start
        for tool, fn in html_tools.items():
            start = time.perf_counter()
            preds[tool].append(fn(page["raw"], url))
            seconds[tool] += time.perf_counter() - start
    groups = {"all": list(range(len(pages)))}
    if "page_type" in pages[0]:
        for kind in sorted({p["page_type"] for p in pages}):
            groups[kind] = [i for i, p in enumerate(pages) if p["page_type"] == kind]
    rows, metric = {}, ""
    for row, idx in groups.items():
        sub = [pages[i] for i in idx]
        rows[row] = {}
        for tool in TOOLS:
            metric, (f, _, _) = score(sub, [preds[tool][i] for i in idx])
            rows[row][tool] = f
    return rows, seconds, metric


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folders", nargs="+", type=Path)
    args = ap.parse_args()
    clean_text("Warm-up: loads the line, page-type and language models once, as a long run would.\n" * 3)
    print(f"{'set':10} {'row':12} {'metric':11}" + "".join(f" {t:>12}" for t in TOOLS))
    speeds = []
    for folder in args.folders:
        rows, seconds, metric = run_set(folder)
        for row, scores in rows.items():
            print(f"{folder.name:10} {row:12} {metric:11}" + "".join(f" {scores[t]:12.3f}" for t in TOOLS))
        speeds.append((folder.name, seconds["C4"] / seconds["clean_text"],
                       seconds["trafilatura"] / seconds["extract_html"]))
    print()
    for name, clean_ratio, html_ratio in speeds:
        print(f"{name:10} speed, one core: clean_text {clean_ratio:.2f}x C4's line rules; "
              f"extract_html {html_ratio:.2f}x trafilatura")


if __name__ == "__main__":
    main()
