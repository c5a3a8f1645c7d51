"""One table: every dev set, every tool, in one run; tamis's learned parts in sample and out of fold.

    python bench/bench_table.py ../shared/data/aeb-dev ../shared/data/traf-dev ../shared/data/wcxb-dev

Per set, with the set's own metric (aeb-dev article 4-gram F1, traf-dev snippet F, wcxb-dev mean word
F1, overall and per page type):
- on the flattened page (`page_text`): nothing removed, C4's line rules (datatrove), tamis `clean_text`
  (with the site templates it learns from the set, as a run would);
- on the HTML: tamis `extract_html`, trafilatura (include_comments=False), resiliparse main_content.
Then speed, as ratios measured in this run on one core: clean_text against C4's rules on the same text,
extract_html against trafilatura on the same bytes.

tamis's columns come three ways. `clean_text` and `extract_html` run the shipped models, which were
trained on these very pages: in sample. `oof` (the figure of record): each page is scored by models
trained on the other four of 5 folds grouped by registered domain, across all the sets given
(`folds.py`; the line and page-type models for clean_text, `train_line_model.py`; the block model for
extract_html, `train_block_model.py`). `loso`: models trained on the other sets only. The rules are
not refitted: they were shaped on these pages, so every figure here is in sample for them.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_clean import c4_cleaner, score  # noqa: E402
from bench_html import tool_functions  # noqa: E402
from learn import load_set, read_html  # noqa: E402

from tamis.clean import TemplateCounts, clean_text, split_blocks  # noqa: E402
from tamis.document import site_of  # noqa: E402

TOOLS = ["raw", "C4", "clean_text", "extract_html", "trafilatura", "resiliparse"]
COLUMNS = ["raw", "C4", "clean_text", "clean oof", "clean loso", "extract_html", "html oof", "html loso",
           "trafilatura", "resiliparse"]


def run_set(folder: Path) -> tuple[list[dict], dict[str, list[str]], dict[str, float]]:
    """(pages, {tool: predictions}, {tool: seconds}) for the shipped tools, timed page by page."""
    pages = load_set(folder)
    read_html(folder, pages)
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
    for page in pages:
        del page["raw"]
    return pages, preds, seconds


def learned(folders: list[Path]) -> dict[str, dict[str, list[str]]]:
    """{set: {column: predictions}} for the `oof` and `loso` columns: models trained out of fold across
    all the sets given, and leaving each set out."""
    import train_block_model as blocks
    import train_line_model as lines
    from tamis.extract.judge import shipped_model
    out: dict[str, dict[str, list[str]]] = {f.name: {} for f in folders}
    # Without a shipped block model, extract_html is the rules alone: nothing to refit, its figure is
    # the in-sample one (the `html` columns then repeat it).
    modules = [(lines, "clean")] + ([(blocks, "html")] if shipped_model() is not None else [])
    for module, prefix in modules:
        pages = module.gather([str(f) for f in folders])
        oof = module.out_of_fold(pages)
        for name in out:
            out[name][f"{prefix} oof"] = [t for t, p in zip(oof, pages) if p["set"] == name]
            out[name][f"{prefix} loso"] = (module.leave_set_out(pages, name) if len(out) > 1
                                           else [""] * len(out[name][f"{prefix} oof"]))
        del pages
    return out


def rows_of(pages: list[dict], preds: dict[str, list[str]]) -> tuple[dict[str, dict[str, float]], str]:
    """({row: {column: F}}, metric): row "all" and, on wcxb, one per page type."""
    groups = {"all": list(range(len(pages)))}
    if "page_type" in pages[0]:
        for kind in sorted({p["page_type"] for p in pages}):
            groups[kind] = [i for i, p in enumerate(pages) if p["page_type"] == kind]
    rows, metric = {}, ""
    for row, idx in groups.items():
        sub = [pages[i] for i in idx]
        rows[row] = {}
        for column, texts in preds.items():
            metric, (f, _, _) = score(sub, [texts[i] for i in idx])
            rows[row][column] = f
    return rows, metric


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folders", nargs="+", type=Path)
    ap.add_argument("--in-sample", action="store_true", help="skip the out-of-fold and leave-one-set-out columns")
    args = ap.parse_args()
    clean_text("Warm-up: loads the line, page-type and language models once, as a long run would.\n" * 3)
    results = [(folder, *run_set(folder)) for folder in args.folders]
    extra = {} if args.in_sample else learned(args.folders)
    columns = [c for c in COLUMNS if c in TOOLS or not args.in_sample]
    print(f"{'set':10} {'row':13} {'metric':11}" + "".join(f" {c:>12}" for c in columns))
    for folder, pages, preds, _ in results:
        preds.update(extra.get(folder.name, {}))
        for column in ("html oof", "html loso"):
            preds.setdefault(column, preds["extract_html"])
        rows, metric = rows_of(pages, preds)
        for row, scores in rows.items():
            print(f"{folder.name:10} {row:13} {metric:11}" + "".join(f" {scores[c]:12.3f}" for c in columns))
    print()
    for folder, _, _, seconds in results:
        print(f"{folder.name:10} speed, one core: clean_text {seconds['C4'] / seconds['clean_text']:.2f}x C4's "
              f"line rules; extract_html {seconds['trafilatura'] / seconds['extract_html']:.2f}x trafilatura")


if __name__ == "__main__":
    main()
