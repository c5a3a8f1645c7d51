"""The output files written by tasks (`tamis.write_tasks`): the plan cuts the documents sorted by id
into files of `shard_size`, and a run whose files are written by a pool's tasks gives, file after file,
the bytes of the single file one process writes, the provenance of each cluster merged."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import tamis
from tamis import pipeline, write_tasks

_WRITE_TASK = write_tasks.write_task
_WRITE_LEDGER = pipeline._write_ledger


def _counted_task(context, job):
    """`write_task`, leaving a file in $TAMIS_TEST_TASKS named for the process that ran it and its parent."""
    (Path(os.environ["TAMIS_TEST_TASKS"]) / f"{os.getppid()}-{os.getpid()}-{job.name}-{job.index}").touch()
    return _WRITE_TASK(context, job)


def _counted_ledger(*args):
    (Path(os.environ["TAMIS_TEST_TASKS"]) / f"{os.getppid()}-{os.getpid()}-ledger").touch()
    return _WRITE_LEDGER(*args)


def test_files_written_by_tasks_hold_the_single_files_bytes(sharded_run, tmp_path, monkeypatch):
    monkeypatch.setattr(write_tasks, "write_task", _counted_task)  # the pool's processes are forked
    monkeypatch.setattr(pipeline, "_write_ledger", _counted_ledger)
    (tmp_path / "tasks").mkdir()
    monkeypatch.setenv("TAMIS_TEST_TASKS", str(tmp_path / "tasks"))
    tamis.run([sharded_run / "in"], tmp_path / "out", progress=False, chunk_size=23, workers=2, shard_size=40)
    whole = (sharded_run / "out" / "documents.jsonl").read_bytes()
    n = whole.count(b"\n")
    assert b'"urls":' in whole  # a document holds the urls of its duplicates: merged provenance is checked
    d = (sharded_run / "out" / "duplicates.jsonl").read_bytes().count(b"\n")
    for name, count in (("documents", n), ("duplicates", d)):
        parts = sorted((tmp_path / "out").glob(f"{name}-*.jsonl"))
        assert [p.name for p in parts] == [f"{name}-{k:05d}.jsonl" for k in range(max(-(-count // 40), 1))]
        assert b"".join(p.read_bytes() for p in parts) == (sharded_run / "out" / f"{name}.jsonl").read_bytes()
    assert (tmp_path / "out" / "ledger.jsonl").read_bytes() == (sharded_run / "out" / "ledger.jsonl").read_bytes()
    tasks = [t.name.split("-") for t in (tmp_path / "tasks").iterdir()]
    assert len(tasks) == -(-n // 40) + max(-(-d // 40), 1) + 1  # a task per file, and the ledger's ...
    # ... run by the reduce's pool: the reduce is a process of its own, started from this one
    reduce = {parent for parent, *_ in tasks}
    assert len(reduce) == 1 and str(os.getpid()) not in reduce
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["files"] == [t for t in summary["files"] if t.startswith("documents-")] + \
        [t for t in summary["files"] if t.startswith("duplicates-")]


def test_plan_cuts_the_documents_sorted_by_id():
    import numpy as np
    from tamis.dedup import Duplicate
    ids = ["d", "b", "a", "e", "c"]
    duplicates = {"e": Duplicate("e", "b", "near", 0.91234), "a": Duplicate("a", "b", "exact", 1.0)}
    jobs = write_tasks.plan(ids, np.arange(5, dtype=np.int32), np.arange(5, dtype=np.int64) * 10, duplicates, 2,
                            ("id",), ("id", "duplicate_of"))
    docs = [j for j in jobs if j.name == "documents"]
    dups = [j for j in jobs if j.name == "duplicates"]
    assert [(j.index, j.offsets[:j.count].tolist()) for j in docs] == [(0, [10, 40]), (1, [0])]  # b, c | d
    assert docs[0].merged == {0: [2, 3]} and docs[0].offsets[2:].tolist() == [20, 30]  # b's duplicates: a, e
    assert docs[1].merged == {}
    assert [(j.index, j.offsets.tolist(), j.duplicate_of) for j in dups] == \
        [(0, [20, 30], [("b", "exact", 1.0), ("b", "near", 0.9123)])]
    empty = write_tasks.plan([], np.zeros(0, np.int32), np.zeros(0, np.int64), {}, None, ("id",), ("id",))
    assert [(j.name, j.index, j.count) for j in empty] == [("documents", 0, 0), ("duplicates", 0, 0)]


def test_a_duplicates_line_is_the_line_of_its_document_updated(sharded_run):
    """JSONL output splices a duplicate's three fields onto its stored line instead of decoding and
    encoding it again: the line must be the one `dump_line` gives for the updated document, for the
    run's real documents and for texts full of what JSON escapes."""
    from tamis.io.writers import dump_line
    stored = (sharded_run / "out" / "documents.jsonl").read_bytes().splitlines(keepends=True)
    odd = {"id": "x", "text": 'quote " backslash \\ tab \t newline \n nul \x00 é 東京 \u2028 😀', "meta": {"a": [1.5, None]}}
    lines = stored + [dump_line(odd)]
    for k, line in enumerate(lines):
        of, kind, score = f"doc-{k}-\"ü\"", ("exact", "near", "contained")[k % 3], (1.0, 0.8125, 0.1 + 0.2)[k % 3]
        doc = json.loads(line)
        doc.update(duplicate_of=of, kind=kind, score=score)
        assert write_tasks.duplicate_line(line, of, kind, score) == dump_line(doc)
    assert len(stored) > 10
    for broken in (b'{"id": "x"}', b'{"id": "x"}\n\n'):
        with pytest.raises(ValueError):
            write_tasks.duplicate_line(broken, "y", "exact", 1.0)


def test_parquet_and_jsonl_outputs_hold_the_same_documents(sharded_run, tmp_path):
    """The JSONL files are written from the stored lines, Parquet from the decoded documents: the
    same documents and duplicates either way."""
    pq = pytest.importorskip("pyarrow.parquet")
    tamis.run([sharded_run / "in"], tmp_path / "pq", progress=False, format="parquet")
    for name in ("documents", "duplicates"):
        rows = [json.loads(line) for line in (sharded_run / "out" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()]
        table = pq.read_table(tmp_path / "pq" / f"{name}.parquet").to_pylist()
        assert len(rows) == len(table) > 0
        for row, cell in zip(rows, table):
            for column, value in cell.items():
                got = json.loads(value) if column in ("provenance", "meta") else value
                assert got == row.get(column), (name, column)
