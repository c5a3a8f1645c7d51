"""Benchmark dedup: tamis.dedup against datasketch MinHashLSH, same captures, one core.

    python bench/bench_dedup.py DATA_DIR [--repeat 4] [--full-run] [--no-speed] [--verbose]
    python bench/bench_dedup.py --generated N [--in-memory]

DATA_DIR holds `captures.jsonl` (or `aeb-dev/captures.jsonl`), and/or `dedup-dev/captures.jsonl.gz`
(with `wcxb-dev/pages.jsonl.gz` for each page's `page_type`): several renderings of each page, every
capture of a page a duplicate of every other. Each set found is run. Quality is pairwise F1 /
precision / recall of clustering captures by page (a pair is positive when both captures are in one
cluster), overall and, for dedup-dev, per page type (pairs of captures of that type) and on each half
of the set split by registered domain (`folds.domain_of` of the capture's site). Printed:

- tamis.dedup.deduplicate on the raw capture text, and (with --full-run) the full pipeline on
  `{id, text}`: each capture is labelled by its ledger row (a capture whose main document is a
  duplicate, or whose emptied raw capture fell in a cluster, takes the cluster's canonical's input);
- the peers, measured in the same run: exact hash of the normalised text; datasketch MinHashLSH
  (normalised word 5-grams, 128 permutations, threshold 0.7, clusters by transitive closure of query
  results); containment on the raw text (datasketch LSH candidates at Jaccard 0.3, then exact word
  5-gram containment of the smaller in the larger >= 0.8, transitive);
- speed: the corpus repeated `--repeat` times (ids suffixed), ours end to end vs datasketch alone
  (shingle, sign, insert, query), pinned to one core, and the ratio; then the whole `tamis run
  --workers 1` on that corpus against the same datasketch time, and against the pipeline a datatrove
  user runs instead (C4's line rules, then datatrove's 4-stage MinHash dedup; `datatrove_pipeline.py`),
  with MB/s for both. Both run as their users run them, each in a fresh process (imports included);
  tamis before and after datatrove, and the mean of its two runs is compared.

--generated N: N synthetic ~2 KB documents, 20% of them near duplicates or excerpts of another; prints
wall time, peak RSS and the pair recall/precision against the known sources. Texts are generated on
access (as a shard reader would stream them) unless --in-memory holds them all in a list first.
"""
from __future__ import annotations

import argparse
import gzip
import importlib.util
import itertools
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from tamis.dedup import deduplicate
from tamis.hashing import normalize
from tamis.progress import own_peak_kb


def one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})


def peak_rss_mb() -> float:
    return own_peak_kb() / 1024


def load_captures(data_dir: Path) -> list[tuple[str, list[dict]]]:
    """(name, captures) of each capture set under `data_dir`; dedup-dev's captures get their page's
    `page_type` from wcxb-dev."""
    sets = []
    for name, rel in (("aeb-dev", "captures.jsonl"), ("aeb-dev", "aeb-dev/captures.jsonl"),
                      ("dedup-dev", "captures.jsonl.gz"), ("dedup-dev", "dedup-dev/captures.jsonl.gz")):
        path = data_dir / rel
        if not path.exists() or any(n == name for n, _ in sets):
            continue
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as f:
            captures = [json.loads(line) for line in f]
        pages = path.parent.parent / "wcxb-dev" / "pages.jsonl.gz"
        if name == "dedup-dev" and pages.exists():
            with gzip.open(pages, "rt", encoding="utf-8") as f:
                types = {p["id"]: p["page_type"] for p in map(json.loads, f)}
            for c in captures:
                c["page_type"] = types.get(c["id"].split(":")[0], "?")
        sets.append((name, captures))
    return sets


# --- the metric -----------------------------------------------------------------------------------

def pairwise_prf(truth: dict[str, str], label: dict[str, str]) -> tuple[float, float, float, int]:
    """(F1, precision, recall, false pairs) of the clustering `label` (id -> cluster) against `truth`
    (id -> page), over all pairs of ids."""
    clusters = defaultdict(list)
    for doc, cluster in label.items():
        clusters[cluster].append(doc)
    tp = fp = 0
    for members in clusters.values():
        for a, b in itertools.combinations(members, 2):
            if truth[a] == truth[b]:
                tp += 1
            else:
                fp += 1
    positives = sum(c * (c - 1) // 2 for c in Counter(truth.values()).values())
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / positives if positives else 1.0
    return (2 * p * r / (p + r) if p + r else 0.0), p, r, fp


def labels_from_duplicates(ids: Sequence[str], duplicates) -> dict[str, str]:
    label = {doc: doc for doc in ids}
    for d in duplicates:
        label[d.id] = d.duplicate_of
    return label


# --- datasketch baseline --------------------------------------------------------------------------

def datasketch_clusters(ids: Sequence[str], texts: Sequence[str], threshold: float = 0.7,
                        num_perm: int = 128) -> dict[str, str]:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    signatures = {}
    for doc, text in zip(ids, texts):
        m = MinHash(num_perm=num_perm)
        m.update_batch([s.encode() for s in _shingle_set(text)])
        signatures[doc] = m
        lsh.insert(doc, m)
    return _closure(ids, ((doc, other) for doc in ids for other in lsh.query(signatures[doc])))


def _shingle_set(text: str) -> set[str]:
    words = normalize(text).split()
    return {" ".join(words[i:i + 5]) for i in range(max(1, len(words) - 4))} if words else set()


def _closure(ids: Sequence[str], pairs) -> dict[str, str]:
    parent = {doc: doc for doc in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {doc: find(doc) for doc in ids}


def exact_clusters(ids: Sequence[str], texts: Sequence[str]) -> dict[str, str]:
    """Captures with the same whitespace-normalised text, clustered."""
    first: dict[str, str] = {}
    return {doc: first.setdefault(" ".join(text.split()), doc) for doc, text in zip(ids, texts)}


def containment_clusters(ids: Sequence[str], texts: Sequence[str], candidates: float = 0.3,
                         containment: float = 0.8, num_perm: int = 128) -> dict[str, str]:
    """The containment baseline: datasketch MinHashLSH candidates at Jaccard `candidates`, then exact
    word 5-gram containment of the smaller set in the larger >= `containment`, transitive."""
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=candidates, num_perm=num_perm)
    sets, signatures = {}, {}
    for doc, text in zip(ids, texts):
        sets[doc] = _shingle_set(text)
        m = MinHash(num_perm=num_perm)
        m.update_batch([x.encode() for x in sets[doc]])
        signatures[doc] = m
        lsh.insert(doc, m)
    pairs = []
    for doc in ids:
        for other in lsh.query(signatures[doc]):
            if other <= doc:
                continue
            a, b = sets[doc], sets[other]
            smaller = min(len(a), len(b))
            if smaller and len(a & b) / smaller >= containment:
                pairs.append((doc, other))
    return _closure(ids, pairs)


# --- the full pipeline ----------------------------------------------------------------------------

def full_run_labels(captures: list[dict]) -> dict[str, str]:
    """Clusters from `tamis.run` on the captures (a JSONL with id and text only): each capture is
    labelled by the input its main output document was found a duplicate of, or, for a capture the
    cleaner emptied, by the input of the document its ledger row says it is a duplicate of; else
    itself. Also checks that every capture has a main document or a ledger reason."""
    import tamis

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "captures.jsonl"
        with open(source, "w", encoding="utf-8") as f:
            for c in captures:
                f.write(json.dumps({"id": c["id"], "text": c["text"]}) + "\n")
        out = Path(tmp) / "out"
        tamis.run([str(source)], str(out), progress=False)
        source_of, main_of = {}, {}
        for name in ("documents.jsonl", "duplicates.jsonl"):
            with open(out / name, encoding="utf-8") as f:
                for doc in map(json.loads, f):
                    source_of[doc["id"]] = doc["source"]
                    if doc["role"] == "main":
                        main_of[doc["source"]] = doc
        label = {c["id"]: c["id"] for c in captures}
        unaccounted = 0
        with open(out / "ledger.jsonl", encoding="utf-8") as f:
            for row in map(json.loads, f):
                main = main_of.get(row["source"])
                if main is not None and "duplicate_of" in main:
                    label[row["source"]] = source_of[main["duplicate_of"]]
                elif main is None and row["status"] == "duplicate":
                    label[row["source"]] = source_of[row["duplicate_of"][0]]
                elif main is None and not row.get("reason"):
                    unaccounted += 1
        missing = len(set(label) - set(main_of))
        print(f"    (full run: {missing} captures without a main document, {unaccounted} of them without "
              f"a ledger reason)")
        return label


def _write_jsonl(path: Path, ids: Sequence[str], texts: Sequence[str]) -> int:
    """The texts as `{id, text}` JSONL at `path`; its size in bytes."""
    with open(path, "w", encoding="utf-8") as f:
        for doc_id, text in zip(ids, texts):
            f.write(json.dumps({"id": doc_id, "text": text}) + "\n")
    return path.stat().st_size


def whole_run_seconds(ids: Sequence[str], texts: Sequence[str]) -> tuple[float, int]:
    """Wall time of `tamis run --workers 1` on the texts written as a JSONL file, as a user runs it: a
    fresh process, interpreter start and imports included; and the file's size in bytes."""
    import tamis

    # compiled to bytecode first, as pip does when it installs a package (an editable install, or a
    # shell with PYTHONDONTWRITEBYTECODE set, would compile tamis again in every process)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(tamis.__file__).parent)], check=True)
    with tempfile.TemporaryDirectory() as tmp:
        size = _write_jsonl(Path(tmp) / "corpus.jsonl", ids, texts)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "tamis.cli", "run", str(Path(tmp) / "corpus.jsonl"), "-o",
                        str(Path(tmp) / "out"), "--workers", "1", "--quiet"], check=True, stdout=subprocess.DEVNULL)
        return time.perf_counter() - start, size


def datatrove_seconds(ids: Sequence[str], texts: Sequence[str]) -> float | None:
    """Wall time of what a datatrove user runs for the same job (`datatrove_pipeline.py`: C4's line
    rules, then datatrove's 4-stage MinHash dedup), in a fresh process, as `whole_run_seconds` times
    tamis. None when datatrove is not installed."""
    if importlib.util.find_spec("datatrove") is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "in").mkdir()
        _write_jsonl(root / "in" / "corpus.jsonl", ids, texts)
        start = time.perf_counter()
        done = subprocess.run([sys.executable, str(Path(__file__).parent / "datatrove_pipeline.py"), str(root)],
                              capture_output=True, text=True)
        seconds = time.perf_counter() - start
        if done.returncode:
            raise RuntimeError(f"datatrove's pipeline failed:\n{done.stderr[-3000:]}")
        return seconds


# --- generated corpus -----------------------------------------------------------------------------

class GeneratedCorpus(Sequence):
    """N documents of about 2 KB from a Zipf vocabulary; 20% are derived from an earlier original:
    a near copy (1% of words changed, 10 words dropped), an excerpt (40-80% of it, contiguous), or
    the original with 30% more text appended. Document i is generated from seed i on access."""

    WORDS = 260

    def __init__(self, n: int, seed: int = 7):
        self.n = n
        rng = np.random.default_rng(seed)
        letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
        lengths = rng.integers(2, 11, 50_000)
        self.vocab = ["".join(rng.choice(letters, k)) for k in lengths]
        weights = 1.0 / np.arange(1, len(self.vocab) + 1) ** 1.05
        self.cdf = np.cumsum(weights / weights.sum())
        derived = rng.random(n) < 0.2
        derived[0] = False
        self.derived = derived
        originals = np.flatnonzero(~derived)
        # each derived document points at an original before it
        position = np.searchsorted(originals, np.arange(n)) - 1
        pick = (rng.random(n) * np.maximum(position + 1, 1)).astype(np.int64)
        self.source = np.where(derived, originals[np.clip(pick, 0, None)], np.arange(n))
        self.kind = rng.integers(0, 3, n)

    def __len__(self) -> int:
        return self.n

    def _words(self, i: int) -> list[str]:
        rng = np.random.default_rng((i, 1))
        idx = np.searchsorted(self.cdf, rng.random(self.WORDS))
        return [self.vocab[k] for k in idx]

    def __getitem__(self, i):  # type: ignore[override]
        if not self.derived[i]:
            return self._text(self._words(i))
        words = self._words(int(self.source[i]))
        rng = np.random.default_rng((i, 2))
        kind = self.kind[i]
        if kind == 0:
            for at in rng.choice(len(words), len(words) // 100, replace=False):
                words[at] = self.vocab[rng.integers(len(self.vocab))]
            cut = int(rng.integers(0, len(words) - 20))
            del words[cut:cut + 10]
        elif kind == 1:
            keep = int(len(words) * rng.uniform(0.4, 0.8))
            start = int(rng.integers(0, len(words) - keep + 1))
            words = words[start:start + keep]
        else:
            extra = np.searchsorted(self.cdf, rng.random(len(words) * 3 // 10))
            words = words + [self.vocab[k] for k in extra]
        return self._text(words)

    @staticmethod
    def _text(words: list[str]) -> str:
        lines = [" ".join(words[s:s + 15]).capitalize() + "." for s in range(0, len(words), 15)]
        return "\n".join(lines)


def bench_generated(n: int, in_memory: bool) -> None:
    corpus = GeneratedCorpus(n)
    ids = [f"g{i:08d}" for i in range(n)]
    texts: Sequence[str] = [corpus[i] for i in range(n)] if in_memory else corpus
    sample = min(n, 2000)
    start = time.perf_counter()
    for i in range(sample):
        corpus[i]
    generate_s = (time.perf_counter() - start) / sample
    rss_before = peak_rss_mb()
    start = time.perf_counter()
    found = deduplicate(ids, texts)
    wall = time.perf_counter() - start
    truth = {ids[i]: ids[int(corpus.source[i])] for i in range(n)}
    f1, p, r, fp = pairwise_prf(truth, labels_from_duplicates(ids, found))
    kinds = Counter(d.kind for d in found)
    size_mb = sum(len(texts[i]) for i in range(min(n, 2000))) / min(n, 2000) * n / 1e6
    print(f"generated: {n} docs ({size_mb:.0f} MB of text, {'in memory' if in_memory else 'streamed'}), "
          f"{len(found)} duplicates {dict(kinds)}")
    print(f"  pairs against the known sources: F1 {f1:.4f}  P {p:.4f}  R {r:.4f}  ({fp} false pairs)")
    print(f"  wall {wall:.1f} s ({n / wall:,.0f} docs/s), peak RSS {peak_rss_mb():.0f} MB "
          f"(before dedup {rss_before:.0f} MB)")
    if not in_memory:
        print(f"  of which generating texts on access: {generate_s * 1e6:.0f} us per access "
              f"(sign reads each text once, verify re-reads those it cannot keep in its cache)")


def quality(name: str, captures: list[dict], full_run: bool) -> None:
    """Every method's clusters of one capture set, overall and per page type."""
    ids = [c["id"] for c in captures]
    texts = [c["text"] for c in captures]
    truth = {c["id"]: c["page"] for c in captures}
    print(f"{name}: {len(captures)} captures of {len(set(truth.values()))} pages; "
          f"pairwise F1 / precision / recall (false pairs, seconds)")
    types = sorted({c.get("page_type") for c in captures} - {None})
    methods = []

    def timed(label: str, make) -> None:
        start = time.perf_counter()
        methods.append((label, make(), time.perf_counter() - start))

    timed("tamis.dedup (raw text)", lambda: labels_from_duplicates(ids, deduplicate(ids, texts)))
    if full_run:
        timed("tamis run on {id, text}", lambda: full_run_labels(captures))
    timed("exact hash", lambda: exact_clusters(ids, texts))
    timed("datasketch MinHashLSH J>=0.7", lambda: datasketch_clusters(ids, texts))
    timed("containment>=0.8 raw (LSH 0.3)", lambda: containment_clusters(ids, texts))
    if types:
        print(f"  {'':32s} {'all':>22s} " + " ".join(f"{t[:13]:>13s}" for t in types))
    for label, found, seconds in methods:
        f1, p, r, fp = pairwise_prf(truth, found)
        line = f"  {label:32s} F1 {f1:.4f} P {p:.4f} R {r:.4f}"
        if types:
            cells = []
            for t in types:
                sub = [c["id"] for c in captures if c.get("page_type") == t]
                tf, tp, _, _ = pairwise_prf({i: truth[i] for i in sub}, {i: found[i] for i in sub})
                cells.append(f"{tf:.3f}/{tp:.3f}")
            line += " " + " ".join(f"{c:>13s}" for c in cells)
        print(f"{line}  ({fp} false pairs, {seconds:.1f} s)")
    if types:
        print("  (per page type: F1/precision over the pairs of captures of that type)")
    halves = _site_halves(captures)
    if halves:
        print("  by site half (registered domain, crc32 % 2), F1/precision/recall over each half's pairs:")
        for label, found, _ in methods:
            cells = []
            for half in halves:
                hf, hp, hr, _ = pairwise_prf({i: truth[i] for i in half}, {i: found[i] for i in half})
                cells.append(f"{hf:.4f}/{hp:.4f}/{hr:.4f}")
            print(f"  {label:32s} " + "   ".join(cells))


def _site_halves(captures: list[dict]) -> list[list[str]]:
    """The capture ids of each half of a set split by registered domain (a site's pages all in one
    half), for checking that a threshold chosen on the whole set holds on both; [] without sites."""
    if not all(c.get("site") for c in captures):
        return []
    import zlib
    from folds import domain_of

    halves: list[list[str]] = [[], []]
    for c in captures:
        halves[zlib.crc32((domain_of(c["site"]) or c["site"]).encode("utf-8")) % 2].append(c["id"])
    return halves


# --- main -----------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data_dir", nargs="?", type=Path)
    parser.add_argument("--repeat", type=int, default=4)
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--full-run", action="store_true", help="also score tamis.run, if it exists")
    parser.add_argument("--generated", type=int, metavar="N")
    parser.add_argument("--in-memory", action="store_true")
    parser.add_argument("--verbose", action="store_true",
                        help="per-pass summary lines (always on with --generated)")
    args = parser.parse_args()
    if args.verbose or args.generated:
        logging.basicConfig(level=logging.INFO, format="    %(message)s", stream=sys.stdout)
    one_core()
    if args.generated:
        bench_generated(args.generated, args.in_memory)
        return
    if args.data_dir is None:
        parser.error("DATA_DIR or --generated N")
    sets = load_captures(args.data_dir)
    if not sets:
        parser.error(f"no captures under {args.data_dir}")
    for name, captures in sets:
        quality(name, captures, args.full_run)
    captures = sets[0][1]
    ids = [c["id"] for c in captures]
    texts = [c["text"] for c in captures]
    if args.no_speed:
        return
    big_ids = [f"{doc}#{k}" for k in range(args.repeat) for doc in ids]
    big_texts = [text for _ in range(args.repeat) for text in texts]
    words = sum(len(normalize(t).split()) for t in texts) * args.repeat
    start = time.perf_counter()
    deduplicate(big_ids, big_texts)
    ours_s = time.perf_counter() - start
    start = time.perf_counter()
    deduplicate(big_ids, big_texts, method="numpy")
    numpy_s = time.perf_counter() - start
    start = time.perf_counter()
    datasketch_clusters(big_ids, big_texts)
    theirs_s = time.perf_counter() - start
    print(f"speed, {len(big_ids)} docs ({words / 1e6:.1f} M words), one core: tamis.dedup {ours_s:.2f} s "
          f"(with numpy MinHash instead of rensa: {numpy_s:.2f} s), datasketch {theirs_s:.2f} s: "
          f"{theirs_s / ours_s:.1f}x")
    run_s, size = whole_run_seconds(big_ids, big_texts)
    mb = size / 2**20
    print(f"whole `tamis run --workers 1` (read, clean, split, dedup, write, report) on the same corpus "
          f"({mb:.1f} MB of JSONL): {run_s:.2f} s, {mb / run_s:.2f} MB/s, {theirs_s / run_s:.2f}x datasketch's "
          f"MinHashLSH alone")
    trove_s = datatrove_seconds(big_ids, big_texts)
    if trove_s is not None:
        # tamis timed again after datatrove, and the two runs averaged: this machine's speed drifts
        # over datatrove's minute, and the ratio compares the same stretch of time
        again_s, _ = whole_run_seconds(big_ids, big_texts)
        around_s = (run_s + again_s) / 2
        print(f"datatrove's C4 line rules then its 4-stage MinHash dedup on the same corpus: {trove_s:.2f} s, "
              f"{mb / trove_s:.2f} MB/s; tamis's whole run, before and after it: {run_s:.2f} s and "
              f"{again_s:.2f} s, mean {around_s:.2f} s, {mb / around_s:.2f} MB/s: {trove_s / around_s:.2f}x faster")
    # What a 3x target leaves for reading, cleaning and writing, once dedup and the language
    # identification that the document metadata needs (issue 7) are paid for.
    from tamis.clean.language import language
    start = time.perf_counter()
    for text in big_texts:
        language(text)
    lang_s = time.perf_counter() - start
    print(f"3x datasketch would be {theirs_s / 3:.2f} s; of that, tamis.dedup takes {ours_s:.2f} s and "
          f"language identification {lang_s:.2f} s, leaving {theirs_s / 3 - ours_s - lang_s:.2f} s "
          f"({(theirs_s / 3 - ours_s - lang_s) / len(big_texts) * 1e3:.2f} ms a document) to read, clean, "
          f"split and write")
    print(f"peak RSS {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
