"""Score tamis.clean_text on flattened pages (`page_text`) beside C4's line rules, same process, one core.

    python bench/bench_clean.py ../shared/data/aeb-dev [../shared/data/wcxb-dev ../shared/data/traf-dev]

Each folder is scored with its own metric (data README): aeb-dev the article-body token 4-gram F1,
wcxb-dev the mean word F1, traf-dev the snippet F. C4 is datatrove's C4QualityFilter with no sentence
minimum, keeping the lines it keeps. Pages of one site are cleaned with the site templates tamis
learns from the folder itself (pass 1 of a run), as `tamis run` would. Speed is MB/s of page_text;
the ratio is printed, since absolute numbers move with the machine's load.
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from datatrove_pipeline import c4_filter  # noqa: E402
from metrics import article_f1, snippet_prf, word_f1  # noqa: E402

from tamis.clean import TemplateCounts, clean_text, split_blocks  # noqa: E402
from tamis.clean.language import language  # noqa: E402
from tamis.document import site_of  # noqa: E402


def load(folder: Path) -> list[dict]:
    path = folder / "pages.jsonl"
    if not path.exists():
        path = folder / "pages.jsonl.gz"
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def score(pages: list[dict], preds: list[str]) -> tuple[str, tuple[float, float, float]]:
    if "with" in pages[0] and "body" not in pages[0]:
        return "snippet F", snippet_prf(preds, [p["with"] for p in pages], [p["without"] for p in pages])
    if "page_type" in pages[0]:
        return "word F1", word_f1(preds, [p["body"] for p in pages])
    return "article F1", article_f1(preds, [p["body"] for p in pages])


def c4_cleaner():
    from datatrove.data import Document
    rules = c4_filter()

    def clean(text: str) -> str:
        doc = Document(text=text, id="x")
        rules.filter(doc)
        return doc.text
    return clean


def timed(fn, texts: list[str]) -> tuple[list[str], float]:
    start = time.perf_counter()
    out = [fn(t) for t in texts]
    return out, time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folders", nargs="+", type=Path)
    ap.add_argument("--by-type", action="store_true", help="wcxb-dev: also print F1 per page type")
    args = ap.parse_args()
    c4 = c4_cleaner()
    clean_text("Warm-up: loads the line, page-type and language models once, as a long run would.\n" * 3)
    print(f"{'set':10} {'tool':8} {'metric':11} {'F1':>6} {'P':>6} {'R':>6} {'MB/s':>7}")
    for folder in args.folders:
        pages = load(folder)
        texts = [p["page_text"] for p in pages]
        mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
        counts = TemplateCounts()
        for p in pages:
            counts.add(site_of(p.get("url")), [b.text for b in split_blocks(p["page_text"])],
                       p.get("url"))
        table = counts.table()
        urls = iter([p.get("url") for p in pages])
        ours, t_ours = timed(lambda t: clean_text(t, url=next(urls), templates=table).text, texts)
        theirs, t_c4 = timed(c4, texts)
        raw_metric, raw = score(pages, texts)
        for tool, preds, secs in (("raw", texts, None), ("C4", theirs, t_c4), ("tamis", ours, t_ours)):
            metric, (f, p, r) = score(pages, preds)
            speed = f"{mb / secs:7.2f}" if secs else "      -"
            print(f"{folder.name:10} {tool:8} {metric:11} {f:6.3f} {p:6.3f} {r:6.3f} {speed}")
        print(f"{folder.name:10} speed: tamis is {t_c4 / t_ours:.2f}x C4's line rules ({mb:.1f} MB, one core)")
        # What a 5x target leaves: language identification alone (meta.language, issue 7) on each page.
        _, t_lang = timed(language, [r for r in ours])
        print(f"{folder.name:10} 5x C4 would be {t_c4 / 5:.2f} s; identifying the language of the cleaned "
              f"pages alone takes {t_lang:.2f} s, tamis all in {t_ours:.2f} s")
        if args.by_type and "page_type" in pages[0]:
            for kind in sorted({p["page_type"] for p in pages}):
                idx = [i for i, p in enumerate(pages) if p["page_type"] == kind]
                sub = [pages[i] for i in idx]
                f_t = score(sub, [ours[i] for i in idx])[1][0]
                f_c = score(sub, [theirs[i] for i in idx])[1][0]
                print(f"{'':10} {kind:12} tamis {f_t:.3f}  C4 {f_c:.3f}")


if __name__ == "__main__":
    main()
