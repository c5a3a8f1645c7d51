"""Benchmark a whole `tamis run` at scale: a generated corpus with known duplicates, run on the local
engine and on a 3-node local Ray cluster, at N and N/10 documents, so that what grows with the corpus
shows as a ratio rather than as an absolute time on a shared machine.

    python bench/bench_scale.py [--docs 100000] [--local-workers 1,2] [--ray-nodes 0,1,1] [--dir DIR]
    python bench/bench_scale.py --docs 1000000          # the 1M figure (about 3 GB of JSONL)

The corpus is `bench/news_corpus.py` (40 sites' templates around generated articles; one record in ten
a duplicate of an earlier one: an exact repost, a near copy with three words changed, or a feed item
holding the first two thirds of the article), written once to DIR/news-N.jsonl. Its truth: records
that show one article are duplicates of each other (`news_corpus.truth`).

Each configuration runs `python -m tamis.cli run ... --fresh` as its own process; a sampler thread reads
the RSS of every process under this one (psutil, every 0.2 s). It prints, per size and configuration:
- documents/s and MB/s per core, end to end (wall time of the command, Ray's start excluded: the
  cluster is started before the Ray run of each size, after the local runs, and stopped after it, so
  that its idle daemons do not take a share of the cores from the local runs);
- the driver's peak RSS (the command's own high-water mark, `driver_peak_mb` in its summary.json; not
  `peak_mb`, which also counts its largest finished pool worker), the reduce task's (passes 3 and 4,
  `reduce_peak_mb`) and each worker's peak RSS (every tamis process under the driver: pool workers,
  the reduce task's process and its own pool; Ray's worker processes, named `ray::...`), with Ray's own
  daemons apart;
- pairwise F1 of the dedup clusters against the truth (a record and the record of the kept document
  it is a duplicate of are one predicted cluster);
- each pass's closing line (records, time, the driver's peak so far);
- whether every configuration wrote the same bytes;
then the driver's peak at N over its peak at N/10, and the 1-worker over 2-worker wall time.

The Ray cluster is `ray.cluster_utils.Cluster`, one machine: the head, then a node per `--ray-nodes`
entry after the first, each with its own `num_cpus` (default `0,1,1`: a head that runs no task, and
two 1-CPU nodes, the same two CPUs as `--workers 2`).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import psutil
import xxhash

sys.path.insert(0, str(Path(__file__).parent))
from news_corpus import truth, write_corpus  # noqa: E402

OUTPUTS = ("documents.jsonl", "duplicates.jsonl", "ledger.jsonl")
SAMPLE_SECONDS = 0.2


class PeakRss:
    """Peak RSS of every process under this one, sampled until `stop()`; by pid, with its kind:
    `driver` (the command), `worker` (a pool worker: a fork of the driver or of the reduce task's
    process, itself a worker; a Ray worker seen running one of the run's tasks), `idle` (a Ray worker that ran none), `ray` (Ray's daemons: gcs_server,
    raylet, agents) or `other`."""

    def __init__(self, driver_pid: int) -> None:
        self.driver = driver_pid
        self.peaks: dict[int, tuple[str, int]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _kind(self, p: psutil.Process) -> str:
        if p.pid == self.driver:
            return "driver"
        cmd = " ".join(p.cmdline())
        if cmd.startswith("ray::") and "Agent" not in cmd:  # a Ray worker running our task is named for it
            return "worker" if "_call" in cmd else "idle"
        if "tamis.cli" in cmd:  # under the driver: a fork of it, or of a fork of it
            return "worker"
        if "ray" in cmd:
            return "ray"
        return "other"

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            for p in me.children(recursive=True):
                try:
                    rss = p.memory_info().rss
                    kind = self.peaks[p.pid][0] if p.pid in self.peaks else "idle"
                    if kind not in ("driver", "worker"):  # a Ray worker is named for its task while it runs one
                        kind = self._kind(p)
                except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                    continue
                self.peaks[p.pid] = (kind, max(rss, self.peaks.get(p.pid, (kind, 0))[1]))
            self._stop.wait(SAMPLE_SECONDS)

    def stop(self) -> dict[str, list[int]]:
        """Peak RSS in bytes of each process seen, per kind, largest first."""
        self._stop.set()
        self._thread.join()
        out: dict[str, list[int]] = {}
        for kind, rss in self.peaks.values():
            out.setdefault(kind, []).append(rss)
        return {kind: sorted(v, reverse=True) for kind, v in out.items()}


def run_tamis(corpus: Path, out: Path, engine: str, workers: int, chunk_size: int,
              address: str | None) -> dict:
    cmd = [sys.executable, "-m", "tamis.cli", "run", str(corpus), "-o", str(out), "--engine", engine,
           "--chunk-size", str(chunk_size), "--fresh"]
    cmd += ["--ray-address", address] if address else ["--workers", str(workers)]
    print(f"$ {' '.join(cmd)}", flush=True)
    log = out.with_name(out.name + ".log")
    started = time.perf_counter()
    with open(log, "w") as f:  # the passes' log lines (not a terminal: one line per pass at its end)
        proc = subprocess.Popen(cmd, stdout=f, stderr=subprocess.STDOUT)
        sampler = PeakRss(proc.pid)
        code = proc.wait()
    seconds = time.perf_counter() - started
    peaks = sampler.stop()
    passes = [line for line in log.read_text().splitlines()
              if line.split(":")[0] in ("count", "clean", "dedup", "write") and "peak" in line]
    if code:
        raise SystemExit(f"tamis run failed ({code}); see {log}")
    summary = json.loads((out / "summary.json").read_text())
    return {"seconds": seconds, "summary": summary, "peaks": peaks, "passes": passes}


def dedup_f1(out: Path, n: int) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 of the run's dedup clusters against the corpus's truth."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def record(doc_id: str) -> int:
        return int(doc_id.split("#")[0].removeprefix("doc"))

    def union(a: str, b: str) -> None:
        ra, rb = find(record(a)), find(record(b))
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    with open(out / "duplicates.jsonl", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            union(d["id"], d["duplicate_of"])
    with open(out / "ledger.jsonl", encoding="utf-8") as f:  # records the cleaner emptied, in a cluster
        for line in f:
            if '"duplicate"' in line:
                row = json.loads(line)
                for kept in row.get("duplicate_of", []):
                    union(row["source"], kept)
    pred, true, both = Counter(), Counter(), Counter()
    for k in range(n):
        p, t = find(k), truth(k)[0]
        pred[p] += 1
        true[t] += 1
        both[p, t] += 1

    def pairs(c: Counter) -> int:
        return sum(m * (m - 1) // 2 for m in c.values())

    tp, pp, tt = pairs(both), pairs(pred), pairs(true)
    precision, recall = (tp / pp if pp else 1.0), (tp / tt if tt else 1.0)
    return precision, recall, 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def digest(out: Path) -> str:
    h = xxhash.xxh3_128()
    for name in OUTPUTS:
        with open(out / name, "rb") as f:
            while chunk := f.read(1 << 24):
                h.update(chunk)
    return h.hexdigest()


def start_cluster(cpus: list[int]):
    from ray.cluster_utils import Cluster
    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": cpus[0]})
    for n in cpus[1:]:
        cluster.add_node(num_cpus=n)
    cluster.wait_for_nodes()
    return cluster


def mb(n: float) -> str:
    return f"{n / 2**20:.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--local-workers", default="2", help="comma-separated worker counts for the local engine")
    parser.add_argument("--ray-nodes", default="0,1,1", help="num_cpus of the head, then of each other node; "
                                                             "empty: no Ray run")
    parser.add_argument("--chunk-size", type=int, default=500)
    parser.add_argument("--no-tenth", action="store_true", help="run at N only, not at N/10 too")
    parser.add_argument("--dir", type=Path, default=None, help="where corpora and outputs go (default: a temp dir)")
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    base = args.dir or Path(tempfile.mkdtemp(prefix="tamis-scale-"))
    base.mkdir(parents=True, exist_ok=True)
    sizes = [args.docs] if args.no_tenth else [args.docs // 10, args.docs]
    configs = [("local", int(w)) for w in args.local_workers.split(",") if w]
    nodes = [int(c) for c in args.ray_nodes.split(",") if c]
    if nodes:
        configs.append(("ray", sum(nodes)))
    cluster = None
    results: dict[tuple[int, str, int], dict] = {}
    try:
        for n in sizes:
            corpus = base / f"news-{n}.jsonl"
            if not corpus.exists():
                started = time.perf_counter()
                write_corpus(corpus.with_suffix(".tmp"), n).replace(corpus)
                print(f"corpus: {n} documents, {mb(corpus.stat().st_size)} "
                      f"({time.perf_counter() - started:.0f}s to generate) -> {corpus}", flush=True)
            for engine, workers in configs:
                if engine == "ray" and cluster is None:
                    cluster = start_cluster(nodes)
                    print(f"ray cluster: {len(nodes)} nodes, num_cpus {nodes}, at {cluster.address}", flush=True)
                out = base / f"out-{n}-{engine}-{workers}"
                result = run_tamis(corpus, out, engine, workers, args.chunk_size,
                                   cluster.address if engine == "ray" else None)
                result["f1"] = dedup_f1(out, n)
                result["digest"] = digest(out)
                result["bytes"] = corpus.stat().st_size
                results[n, engine, workers] = result
                report(n, engine, workers, result)
            if cluster is not None:  # up for the Ray run only: on 2 cores its daemons slow the local runs
                cluster.shutdown()
                cluster = None
    finally:
        if cluster is not None:
            cluster.shutdown()
    summarise(sizes, configs, results)


def report(n: int, engine: str, workers: int, r: dict) -> None:
    cores = min(workers, os.cpu_count() or 1)
    s, peaks = r["seconds"], r["peaks"]
    workers_rss = peaks.get("worker", [])
    p, rec, f1 = r["f1"]
    print(f"  {n} docs, {engine} with {workers} CPUs: {s:.1f} s, {n / s:.0f} docs/s, "
          f"{r['bytes'] / 2**20 / s / cores:.2f} MB/s per core ({cores} cores)\n"
          f"    driver peak RSS {r['summary']['driver_peak_mb']} MB (sampled {mb(max(peaks.get('driver', [0])))}; "
          f"with its largest finished pool worker {r['summary']['peak_mb']} MB); "
          f"reduce task {r['summary']['reduce_peak_mb']} MB; "
          f"{len(workers_rss)} workers, peak RSS each: {', '.join(mb(x) for x in workers_rss[:8])}"
          f"{' ...' if len(workers_rss) > 8 else ''}; Ray's daemons: {mb(sum(peaks.get('ray', [])))} in all\n"
          f"    dedup: precision {p:.4f}, recall {rec:.4f}, F1 {f1:.4f}; {r['summary']['line']}", flush=True)
    for line in r["passes"]:
        print(f"    {line}", flush=True)


def summarise(sizes: list[int], configs: list[tuple[str, int]], results: dict) -> None:
    print("\nsummary")
    print(f"  {'docs':>8} {'config':10} {'wall s':>8} {'docs/s':>8} {'MB/s/core':>9} {'driver MB':>9} "
          f"{'worker MB':>9} {'F1':>7}")
    for (n, engine, workers), r in results.items():
        cores = min(workers, os.cpu_count() or 1)
        print(f"  {n:8d} {engine + '/' + str(workers):10} {r['seconds']:8.1f} {n / r['seconds']:8.0f} "
              f"{r['bytes'] / 2**20 / r['seconds'] / cores:9.2f} {r['summary']['driver_peak_mb']:9d} "
              f"{max(r['peaks'].get('worker', [0])) / 2**20:9.0f} {r['f1'][2]:7.4f}")
    for n in sizes:
        digests = {results[n, e, w]["digest"] for e, w in configs}
        print(f"  {n} docs: outputs {'identical' if len(digests) == 1 else 'DIFFER'} across "
              f"{', '.join(f'{e}/{w}' for e, w in configs)}")
    if len(sizes) == 2:
        small, big = sizes
        for engine, workers in configs:
            a, b = results[small, engine, workers], results[big, engine, workers]
            print(f"  {engine}/{workers}: driver peak at {big} / at {small}: "
                  f"{b['summary']['driver_peak_mb'] / a['summary']['driver_peak_mb']:.2f}x; wall {b['seconds'] / a['seconds']:.1f}x "
                  f"for {big / small:.0f}x the documents")
    local = {w: results[sizes[-1], "local", w]["seconds"] for e, w in configs if e == "local"}
    if 1 in local and 2 in local:
        print(f"  local, {sizes[-1]} docs: 1 worker {local[1]:.1f} s, 2 workers {local[2]:.1f} s: "
              f"{local[1] / local[2]:.2f}x")


if __name__ == "__main__":
    main()
