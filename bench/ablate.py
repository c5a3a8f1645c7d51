"""What each named rule of extract_html is worth: turn it off, score the three dev sets, print the deltas.

    python bench/ablate.py DATA_DIR [--rules a,b,...] [--jobs 2] [--json OUT.json]

DATA_DIR holds aeb-dev, traf-dev and wcxb-dev. For each rule (default: every rule with a switch,
`tamis.extract.switches.RULES`), extract_html runs with that rule off on every page where the rule
would decide (`asked`: the others cannot change, see `all_on`), and each set is scored with its own metric (aeb-dev article 4-gram F1, traf-dev snippet F, wcxb-dev word F1). A delta
is the score with the rule off less the score with every rule on: a negative delta is what the rule
earns. Each set is also split in two halves by site (crc32 of the site's name, mod 2), so that a rule
tuned on a site or two shows its gain on one half only. `pages` counts the pages whose text changed.
Rows are sorted by their worst delta over the sets (the rules that earn most first).

`verdict` applies issue 15's policy: a rule whose removal costs nothing (delta >= -POLICY on every set,
and not negative on both halves of any set) `goes`; one that earns more than POLICY on a set and costs
more than POLICY on another is `mixed`; the rest `keeps`. A rule the policy would drop that reads
structural evidence (`switches.STRUCTURAL`) is `structural`: it stays. Quality only: nothing is timed.
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
_BASE: dict[str, tuple[list[str], list[frozenset], dict]] = {}   # set -> all-on texts, rules asked, scores


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
            page["url"] = page["url"] if page.get("url") and "://" in page["url"] else None   # as bench_table
        _PAGES[name] = pages


def _scores(pages: list[dict], texts: list[str]) -> dict[str, float]:
    out = {"all": score(pages, texts)[1][0]}
    for half in (0, 1):
        idx = [i for i, p in enumerate(pages) if p["half"] == half]
        out[f"h{half}"] = score([pages[i] for i in idx], [texts[i] for i in idx])[1][0]
    return out


def all_on(part: tuple[str, int, int]) -> tuple[list[str], list[frozenset]]:
    """Every rule on, pages lo:hi of a set: (texts, the rules each page asked about). A rule's switch is asked
    where the rule would decide (`switches`): a page that never asks about a rule comes out the same
    with it off, and only the pages that ask are run again for it. Each page starts with empty
    class-name caches (`bench_html`'s tool), so that the rules deciding inside them are asked anew."""
    extract = tool_functions(["tamis"])["tamis"]
    asked: set[str] = set()

    def on(rule: str) -> bool:
        asked.add(rule)
        return rule not in switches.OFF
    modules = [m for m in list(sys.modules.values())
               if m.__name__.startswith("tamis.extract.") and getattr(m, "ON", None) is switches.ON]
    for module in modules:
        module.ON = on
    texts, asks = [], []
    try:
        name, lo, hi = part
        for page in _PAGES[name][lo:hi]:
            asked.clear()
            texts.append(extract(page["raw"], page["url"]))
            asks.append(frozenset(asked))
    finally:
        for module in modules:
            module.ON = switches.ON
    return texts, asks


def run(rule: str) -> tuple[str, dict, dict]:
    """(rule, {set: {all, h0, h1}}, {set: pages changed}) with `rule` off."""
    from tamis.extract import extract_html   # as bench_html's tool, less its cache clearing (for timing)
    scores, changed = {}, {}
    with switches.off({rule}):
        for name, pages in _PAGES.items():
            base, asks, base_scores = _BASE[name]
            texts = list(base)
            for i, page in enumerate(pages):
                if rule in asks[i]:
                    texts[i] = extract_html(page["raw"], url=page["url"]).text
            changed[name] = sum(a != b for a, b in zip(texts, base))
            scores[name] = _scores(pages, texts) if changed[name] else base_scores
    return rule, scores, changed


def verdict(rule: str, delta: dict) -> str:
    worst = min(d["all"] for d in delta.values())
    if worst >= -POLICY and not any(d["h0"] < 0 and d["h1"] < 0 for d in delta.values()):
        return "structural" if rule in switches.STRUCTURAL else "goes"
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
    fork = multiprocessing.get_context("fork")     # the workers share the loaded pages
    parts = [(name, lo, lo + 400) for name in SETS for lo in range(0, len(_PAGES[name]), 400)]
    with ProcessPoolExecutor(jobs, mp_context=fork) as pool:
        done = list(pool.map(all_on, parts))
    for name in SETS:
        texts = [t for (n, _, _), (ts, _) in zip(parts, done) if n == name for t in ts]
        asks = [a for (n, _, _), (_, asked) in zip(parts, done) if n == name for a in asked]
        _BASE[name] = texts, asks, _scores(_PAGES[name], texts)
    base = {name: _BASE[name][2] for name in SETS}
    asking = {rule: sum(rule in a for name in SETS for a in _BASE[name][1]) for rule in rules}
    # The rules asked on most pages first, so that the two workers end together.
    order = sorted(rules, key=lambda r: -asking[r])
    with ProcessPoolExecutor(jobs, mp_context=fork) as pool:    # forked again: they now hold the all-on run
        results = {rule: (s, c) for rule, s, c in pool.map(run, order)}
    rows = []
    for rule in rules:
        scores, changed = results[rule]
        delta = {name: {k: scores[name][k] - base[name][k] for k in ("all", "h0", "h1")} for name in SETS}
        rows.append({"rule": rule, "delta": delta, "pages": changed, "asked": asking[rule],
                     "verdict": verdict(rule, delta), "worst": min(d["all"] for d in delta.values())})
    rows.sort(key=lambda r: (r["worst"], r["rule"]))
    print("all on: " + "  ".join(f"{n} {base[n]['all']:.4f} (halves {base[n]['h0']:.4f} {base[n]['h1']:.4f})"
                                 for n in SETS))
    print("deltas: the score with the rule off less the score with all rules on (negative: the rule earns)")
    head = f"{'rule':<19}" + "".join(f" {n[:4] + ' all':>9} {'h0':>8} {'h1':>8}" for n in SETS)
    print(head + f" {'pages':>12} {'asked':>5} {'worst':>8}  verdict")
    for r in rows:
        d = r["delta"]
        pages = "/".join(str(r["pages"][n]) for n in SETS)
        print(f"{r['rule']:<19}" + "".join(f" {d[n]['all']:+9.4f} {d[n]['h0']:+8.4f} {d[n]['h1']:+8.4f}" for n in SETS)
              + f" {pages:>12} {r['asked']:5d} {r['worst']:+8.4f}  {r['verdict']}")
    print(f"pages: changed pages in {'/'.join(SETS)}; asked: pages where the rule would decide (of "
          f"{sum(len(_PAGES[n]) for n in SETS)}); verdict: issue 15's policy at {POLICY}")
    if args.json:
        args.json.write_text(json.dumps({"base": base, "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
