"""What each named rule of extract_html is worth: turn it off, score the three dev sets, print the deltas.

    python bench/ablate.py DATA_DIR [--rules a,b,...] [--jobs 2] [--json OUT.json]

DATA_DIR holds aeb-dev, traf-dev and wcxb-dev. For each rule (default: every rule with a switch,
`tamis.extract.switches.RULES`), extract_html runs on every page with that rule off and each set is
scored with its own metric (aeb-dev article 4-gram F1, traf-dev snippet F, wcxb-dev word F1). A delta
is the score with the rule off less the score with every rule on: a negative delta is what the rule
earns. Each set is also split in two halves by site (crc32 of the site's name, mod 2), so that a rule
tuned on a site or two shows its gain on one half only. `pages` counts the pages whose text changed.
Rows are sorted by their worst delta over the sets (the rules that earn most first).

`verdict` applies issue 15's policy: a rule whose removal costs nothing (delta >= -POLICY on every set,
and not negative on both halves of any set) `goes`; one that earns more than POLICY on a set and costs
more than POLICY on another is `mixed`; the rest `keeps`. Quality only: nothing is timed.
"""
from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import sys
import zlib
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_clean import load, score  # noqa: E402
from bench_html import tool_functions  # noqa: E402

from tamis.document import site_of  # noqa: E402
from tamis.extract import switches  # noqa: E402

SETS = ("aeb-dev", "traf-dev", "wcxb-dev")
POLICY = 0.0005
MAX_JOBS = 2       # the machine is shared: two processes at most

_PAGES: dict[str, list[dict]] = {}   # set -> pages with their bytes, loaded before the workers fork


def _site(page: dict) -> str:
    url = page.get("url") or ""
    # traf-dev's hard cases have no real url (`hard::site-slug.html`): each is a site of its own
    return (site_of(url) if "://" in url else url) or page["id"]


def load_sets(data: Path) -> None:
    for name in SETS:
        pages = load(data / name)
        for page in pages:
            with gzip.open(data / name / page["html"], "rb") as f:
                page["raw"] = f.read()
            page.pop("page_text", None)
            page["half"] = zlib.crc32(_site(page).encode("utf-8")) % 2
        _PAGES[name] = pages


def _scores(pages: list[dict], texts: list[str]) -> dict[str, float]:
    out = {"all": score(pages, texts)[1][0]}
    for half in (0, 1):
        idx = [i for i, p in enumerate(pages) if p["half"] == half]
        out[f"h{half}"] = score([pages[i] for i in idx], [texts[i] for i in idx])[1][0]
    return out


def run(rule: str | None) -> tuple[str | None, dict, dict]:
    """(rule, {set: {all, h0, h1}}, {set: [crc32 of each page's text]}) with `rule` off (None: all on)."""
    extract = tool_functions(["tamis"])["tamis"]
    scores, digests = {}, {}
    with switches.off({rule} if rule else ()):
        for name, pages in _PAGES.items():
            texts = []
            for page in pages:
                url = page.get("url") if page.get("url") and "://" in page["url"] else None
                texts.append(extract(page["raw"], url))
            scores[name] = _scores(pages, texts)
            digests[name] = [zlib.crc32(t.encode("utf-8")) for t in texts]
    return rule, scores, digests


def verdict(delta: dict) -> str:
    worst = min(d["all"] for d in delta.values())
    if worst >= -POLICY and not any(d["h0"] < 0 and d["h1"] < 0 for d in delta.values()):
        return "goes"
    if worst < -POLICY and max(d["all"] for d in delta.values()) > POLICY:
        return "mixed"
    return "keeps"


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", type=Path, help="the folder holding aeb-dev, traf-dev and wcxb-dev")
    ap.add_argument("--rules", help="comma-separated rule names (default: every switched rule)")
    ap.add_argument("--jobs", type=int, default=MAX_JOBS)
    ap.add_argument("--json", type=Path, help="also write the rows to this file")
    args = ap.parse_args(argv)
    rules = [r for r in args.rules.split(",") if r] if args.rules else list(switches.RULES)
    unknown = set(rules).difference(switches.RULES)
    if unknown:
        raise SystemExit(f"no switch for {', '.join(sorted(unknown))}")
    load_sets(args.data)
    jobs = max(1, min(args.jobs, MAX_JOBS))
    # forked: the workers share the loaded pages
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        results = {rule: (s, d) for rule, s, d in pool.map(run, [None] + rules)}
    base, base_digests = results.pop(None)
    rows = []
    for rule in rules:
        scores, digests = results[rule]
        delta = {name: {k: scores[name][k] - base[name][k] for k in ("all", "h0", "h1")} for name in SETS}
        changed = {name: sum(a != b for a, b in zip(digests[name], base_digests[name])) for name in SETS}
        rows.append({"rule": rule, "delta": delta, "pages": changed, "verdict": verdict(delta),
                     "worst": min(d["all"] for d in delta.values())})
    rows.sort(key=lambda r: (r["worst"], r["rule"]))
    print("all on: " + "  ".join(f"{n} {base[n]['all']:.4f} (halves {base[n]['h0']:.4f} {base[n]['h1']:.4f})"
                                 for n in SETS))
    print("deltas: the score with the rule off less the score with all rules on (negative: the rule earns)")
    head = f"{'rule':<19}" + "".join(f" {n[:4] + ' all':>9} {'h0':>8} {'h1':>8}" for n in SETS)
    print(head + f" {'pages':>12} {'worst':>8}  verdict")
    for r in rows:
        d = r["delta"]
        pages = "/".join(str(r["pages"][n]) for n in SETS)
        print(f"{r['rule']:<19}" + "".join(f" {d[n]['all']:+9.4f} {d[n]['h0']:+8.4f} {d[n]['h1']:+8.4f}" for n in SETS)
              + f" {pages:>12} {r['worst']:+8.4f}  {r['verdict']}")
    print(f"pages: changed pages in {'/'.join(SETS)}; verdict: issue 15's policy at {POLICY}")
    if args.json:
        args.json.write_text(json.dumps({"base": base, "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
