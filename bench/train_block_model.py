"""Train the block model shipped as tamis/extract/block_model.json (`tamis/extract/judge.py`).

    python bench/train_block_model.py ../shared/data [--out tamis/extract/block_model.json]

Every block of every dev page (aeb-dev, traf-dev, wcxb-dev: their HTML), with the evidence
`extract_html` gathers for it (`core.evidence`: the structural verdicts, the line evidence) and its
features (`judge.block_features`); labels and weights as `learn.py` says. Before fitting the shipped
model it prints, per set, `extract_html` with the rules' verdicts alone, out of fold (5 folds by
registered domain, each fold judged by a model trained on the other four of every set), leaving each
set out, and in sample.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import learn  # noqa: E402
from learn import SETS, cached, fit_pages, labels_for, load_set, read_html, report  # noqa: E402

from tamis.clean.model import TreeEnsemble  # noqa: E402
from tamis.extract.core import assemble, evidence, kept_by, rule_verdicts  # noqa: E402
from tamis.extract.judge import NAMES, block_features  # noqa: E402

PARAMS = dict(max_iter=200, max_depth=6, learning_rate=0.1, l2_regularization=1.0)


def gather(folders: list[Path]) -> list[dict]:
    """Every page of the set folders with its `ev` (Evidence), block features `x`, labels `y` and
    `known`."""
    pages = []
    for folder in folders:
        part = load_set(Path(folder))
        read_html(Path(folder), part)
        for p in part:
            url = p.get("url") if p.get("url") and "://" in p["url"] else None
            ev = evidence(p.pop("raw"), url)
            p["ev"] = ev
            p["x"] = block_features(ev.blocks, ev.reasons, ev.by_line, ev.meta.get("title"))
            p["y"], p["known"] = labels_for(p, [b.text for b in ev.blocks])
            for i in ev.reviews:   # reviews are never judged
                p["known"][i] = False
        pages.extend(part)
    return pages


def block_model(pages: list[dict], as_dict: bool = False):
    data = fit_pages(pages, NAMES, **PARAMS)
    return data if as_dict else TreeEnsemble.from_dict(data, NAMES)


def judge(pages: list[dict], model: TreeEnsemble | None) -> list[str]:
    """extract_html's text for each page under `model` (None: the rules' verdicts)."""
    out = []
    for p in pages:
        ev = p["ev"]
        keep = rule_verdicts(ev) if model is None else kept_by(ev, model.predict(p["x"]))
        out.append(assemble(ev, keep).text)
    return out


def out_of_fold(pages: list[dict]) -> list[str]:
    return learn.out_of_fold(pages, block_model, judge)


def leave_set_out(pages: list[dict], held: str) -> list[str]:
    return learn.leave_set_out(pages, held, block_model, judge)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data", type=Path)
    ap.add_argument("--out", type=Path, default=Path(__file__).parent.parent / "tamis/extract/block_model.json")
    ap.add_argument("--cache", type=Path, help="pickle of the gathered pages: written once, then read "
                    "(for repeated runs of the same code; delete it when the code changes)")
    ap.add_argument("--no-checks", action="store_true", help="fit and write the shipped model only")
    args = ap.parse_args()
    t0 = time.time()
    pages = cached(args.cache, lambda: gather([args.data / name for name in SETS]))
    print(f"evidence in {time.time() - t0:.0f}s: {sum(len(p['y']) for p in pages)} blocks, "
          f"{sum(int(p['known'].sum()) for p in pages)} labelled", flush=True)
    if not args.no_checks:
        report(pages, judge(pages, None), "rules alone")
        learn.checks(pages, block_model, judge)
    data = block_model(pages, as_dict=True)
    args.out.write_text(json.dumps(data, separators=(",", ":")))
    report(pages, judge(pages, TreeEnsemble.from_dict(data, NAMES)), "in sample")
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KB) in {time.time() - t0:.0f}s")


if __name__ == "__main__":
    main()
