"""The engine seam and the sharded run: the same bytes whatever the workers, the shard size of the
clean pass or the output format; the map keeps task order; sharded dedup equals `deduplicate`."""
from __future__ import annotations

import gc
import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import zstandard

import tamis
from tamis.dedup import deduplicate
from tamis.engines import GC_THRESHOLD, make_engine

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples"
OUTPUTS = ("documents.jsonl", "duplicates.jsonl", "ledger.jsonl")


def news_corpus():
    spec = importlib.util.spec_from_file_location("news_corpus", ROOT / "bench" / "news_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def same_outputs(a: Path, b: Path) -> None:
    for name in OUTPUTS:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Generated news pages from 40 sites (templates to learn), one in ten a duplicate, plus the seeds
    and a few bad records."""
    return write_mixed_corpus(tmp_path_factory.mktemp("corpus"), 240)


def write_mixed_corpus(folder: Path, pages: int) -> Path:
    """`pages` generated news pages, the seeds and a file with a good and a broken record, in `folder`."""
    news_corpus().write_corpus(folder / "news.jsonl", pages)
    shutil.copytree(EXAMPLES, folder / "examples")
    (folder / "bad.jsonl").write_text('{"id": "ok", "text": "A short note."}\n{broken\n', encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reference")
    tamis.run([corpus], out, progress=False)
    return out


def square(context, task):
    return context * task * task


def test_local_engine_keeps_task_order_and_shares_its_context():
    for workers in (1, 2):
        engine = make_engine("local", workers)
        assert list(engine.map(square, range(40), context=3)) == [3 * k * k for k in range(40)]
        engine.close()
    with pytest.raises(ValueError):
        make_engine("spark")


def thresholds(context, task):
    if task == "fail":
        raise RuntimeError("a task failed")
    return gc.get_threshold()[0]


@pytest.mark.parametrize("workers", [1, 2])
def test_tasks_collect_young_objects_less_often_and_restore_the_threshold(workers):
    """A task runs with the young generation's threshold raised to GC_THRESHOLD, never lowered, left at
    0 (collection off) where it was 0; the threshold it found is back after it, even when it fails."""
    before = gc.get_threshold()
    try:
        engine = make_engine("local", workers)
        for start, inside in ((700, GC_THRESHOLD), (50_000, 50_000), (0, 0)):
            gc.set_threshold(start, *before[1:])  # a pool's workers fork from here: they start there too
            assert list(engine.map(thresholds, [1, 2], context=None)) == [inside, inside]
            assert gc.get_threshold()[0] == start
            with pytest.raises(RuntimeError, match="failed"):
                list(engine.map(thresholds, ["fail"]))
            assert gc.get_threshold()[0] == start
        engine.close()
    finally:
        gc.set_threshold(*before)


@pytest.mark.parametrize("workers,chunk_size", [(2, 500), (1, 7), (2, 31)])
@pytest.mark.parametrize("lsh_tasks", [None, 8])  # dedup's candidate search: one task a step here, or 8
def test_workers_and_chunk_size_do_not_change_the_output(corpus, reference, tmp_path, workers, chunk_size, lsh_tasks):
    summary = tamis.run([corpus], tmp_path / "out", workers=workers, chunk_size=chunk_size, lsh_tasks=lsh_tasks,
                        progress=False)
    same_outputs(reference, tmp_path / "out")
    assert summary["shards"] == -(-summary["inputs"] // chunk_size)


def test_the_run_learns_templates_and_finds_duplicates(reference):
    docs = rows(reference / "documents.jsonl")
    dups = rows(reference / "duplicates.jsonl")
    assert len(dups) >= 10 and {d["kind"] for d in dups} >= {"exact"}
    assert not any("All rights reserved" in d["text"] for d in docs)  # every site's footer is gone
    report = (reference / "report.html").read_text(encoding="utf-8")
    assert re.search(r"news\d+\.example\.org", report) and "template:site" in report


def test_sharded_dedup_equals_deduplicate_over_all_documents(corpus, reference):
    """Pass 3 resolves the shards' signatures; it must agree with `deduplicate` on the same texts."""
    docs = rows(reference / "documents.jsonl") + rows(reference / "duplicates.jsonl")
    ledger = rows(reference / "ledger.jsonl")
    raw = {}
    for record in rows(corpus / "news.jsonl"):
        raw[record["id"]] = len(record["text"])
    for path in (EXAMPLES / "page_feed_item.txt", EXAMPLES / "page_full_scrape.txt"):
        raw[path.stem] = len(path.read_text(encoding="utf-8"))
    raw["ok"] = len("A short note.")
    assert len(ledger) == len(raw) + 1  # and the broken line
    found = deduplicate([d["id"] for d in docs], [d["text"] for d in docs], prefer=[raw[d["source"]] for d in docs])
    expected = {d.id: (d.duplicate_of, d.kind, round(d.score, 4)) for d in found}
    assert {d["id"]: (d["duplicate_of"], d["kind"], d["score"]) for d in rows(reference / "duplicates.jsonl")} == expected


def read_jsonl_zst(path: Path) -> bytes:
    with open(path, "rb") as f:
        return zstandard.ZstdDecompressor().stream_reader(f).read()


def test_sharded_and_compressed_outputs_hold_the_same_documents(corpus, reference, tmp_path):
    whole = (reference / "documents.jsonl").read_bytes()
    n = whole.count(b"\n")
    tamis.run([corpus], tmp_path / "zst", progress=False, shard_size=100, format="jsonl.zst")
    parts = sorted((tmp_path / "zst").glob("documents-*.jsonl.zst"))
    assert [p.name for p in parts] == [f"documents-{k:05d}.jsonl.zst" for k in range(-(-n // 100))]
    assert b"".join(read_jsonl_zst(p) for p in parts) == whole
    assert not (tmp_path / "zst" / "documents.jsonl").exists()
    assert (tmp_path / "zst" / "ledger.jsonl").read_bytes() == (reference / "ledger.jsonl").read_bytes()

    tamis.run([corpus], tmp_path / "pq", progress=False, format="parquet")
    table = pq.read_table(tmp_path / "pq" / "documents.parquet").to_pylist()
    assert [{**r, "provenance": json.loads(r["provenance"]), "meta": json.loads(r["meta"])} for r in table] \
        == rows(reference / "documents.jsonl")
    dups = pq.read_table(tmp_path / "pq" / "duplicates.parquet").to_pylist()
    assert [(d["id"], d["duplicate_of"], d["score"]) for d in dups] == \
        [(d["id"], d["duplicate_of"], d["score"]) for d in rows(reference / "duplicates.jsonl")]

    # Same OUT, back to the default: the sharded files of the earlier run are gone.
    tamis.run([corpus], tmp_path / "zst", progress=False)
    assert sorted(p.name for p in (tmp_path / "zst").glob("documents*")) == ["documents.jsonl"]
    same_outputs(reference, tmp_path / "zst")


def test_parquet_output_is_the_same_bytes_run_after_run(corpus, tmp_path):
    for name in ("a", "b"):
        tamis.run([corpus], tmp_path / name, progress=False, format="parquet", shard_size=150, workers=2 if name == "b" else 1)
    names = sorted(p.name for p in (tmp_path / "a").glob("*.parquet"))
    assert "documents-00000.parquet" in names
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_command_line_options(corpus, reference, tmp_path):
    from tamis.cli import main
    out = tmp_path / "cli"
    assert main(["run", str(corpus), "-o", str(out), "--quiet", "--workers", "2", "--chunk-size", "50",
                 "--shard-size", "1000", "--format", "jsonl"]) == 0
    assert (out / "documents-00000.jsonl").read_bytes() == (reference / "documents.jsonl").read_bytes()
    summary = json.loads((out / "summary.json").read_text())
    assert summary["engine"] == "local" and summary["shards"] == -(-summary["inputs"] // 50)
    with pytest.raises(SystemExit):
        main(["run", str(corpus), "-o", str(out), "--ray-address", "auto"])


def test_an_empty_input_gives_empty_outputs(tmp_path):
    (tmp_path / "in").mkdir()
    summary = tamis.run([tmp_path / "in"], tmp_path / "out", progress=False, format="jsonl.zst")
    assert summary["inputs"] == 0 and summary["shards"] == 0
    assert read_jsonl_zst(tmp_path / "out" / "documents.jsonl.zst") == b""
    assert (tmp_path / "out" / "ledger.jsonl").read_bytes() == b""
    assert "tamis run" in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")


def test_progress_is_plain_lines_when_not_a_terminal(corpus, tmp_path, capsys):
    tamis.run([corpus], tmp_path / "out", progress=None)  # pytest's stderr is no terminal
    err = capsys.readouterr().err
    for name in ("count", "clean", "dedup", "write"):
        assert any(line.startswith(f"{name}: ") and "peak" in line for line in err.splitlines()), name
    assert "\r" not in err


def test_progress_bars_on_a_terminal(tmp_path, capsys):
    tamis.run([EXAMPLES], tmp_path / "out", progress=True)
    err = capsys.readouterr().err
    assert "\r" in err and "clean" in err  # tqdm redraws its bar in place


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads Linux's /proc")
def test_a_commands_peak_memory_is_its_own_not_its_starters():
    """A command started by a large process (a bench, a scheduler) reports its own peak, not that
    process's: Linux keeps the starter's peak in `ru_maxrss` across the exec."""
    ballast = bytearray(400 * 2**20)
    ballast[::4096] = b"\1" * len(ballast[::4096])  # touched: resident
    code = "from tamis.progress import peak_mb; print(peak_mb(children=False))"
    own = float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
    assert own < 200, own
    del ballast
