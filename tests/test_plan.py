"""Inputs are split, not shipped: the driver plans pieces (groups of files, byte ranges of a large
JSONL file) and tasks read them. A range holds exactly the lines that start in it; the pieces, read by
tasks, give `read_inputs`'s records in its order with its ids made unique as one sequential reader
would (the n-th record with one id is `ID~n`); and the output is the same bytes whatever the pieces."""
from __future__ import annotations

import io
import json
import random
import shutil
from collections import Counter
from pathlib import Path

import pytest

import tamis
import tamis.io.plan as plan
from tamis.document import Document
from tamis.io.readers import read_inputs
from test_engines import EXAMPLES, OUTPUTS, news_corpus, rows
from test_pipeline import write_bad_inputs


def test_ranges_hold_each_line_once(monkeypatch):
    """Cut anywhere, in any chunk size: every line comes out once, from the range it starts in."""
    for trial in range(400):
        rng = random.Random(trial)
        lines = [b"x" * rng.randint(0, 30) for _ in range(rng.randint(0, 20))]
        data = b"\n".join(lines) + (b"\n" if rng.random() < 0.5 else b"")
        expected = data.split(b"\n")[:-1] if data.endswith(b"\n") else (data.split(b"\n") if data else [])
        monkeypatch.setattr(plan, "CHUNK_BYTES", rng.randint(1, 7))
        cuts = sorted(rng.sample(range(1, len(data)), min(4, max(0, len(data) - 1)))) if data else []
        bounds = [0, *cuts, len(data)]
        got = [line for a, b in zip(bounds, bounds[1:]) for _, _, line in plan._lines(io.BytesIO(data), a, b, False)]
        assert got == expected, (data, bounds)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    """Bad inputs, two folders with the same file names, and a JSONL file of news records where some
    have no `id` (their id is their line number), some share one, with blank and broken lines."""
    folder = tmp_path_factory.mktemp("plan") / "in"
    write_bad_inputs(folder)
    shutil.copytree(EXAMPLES, folder / "a")
    shutil.copytree(EXAMPLES, folder / "b")
    records = [news_corpus().record(k) for k in range(160)]
    lines = []
    for k, record in enumerate(records):
        if k % 5 == 0:
            record.pop("id")
        if k % 17 == 0:
            record["id"] = "shared"
        lines.append(json.dumps(record))
        if k % 23 == 0:
            lines.append("")
        if k % 41 == 0:
            lines.append("{broken")
    (folder / "news.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "more.jsonl").write_text(json.dumps({"id": "shared", "text": "One more shared id. " * 20}) + "\n",
                                       encoding="utf-8")
    return folder


def sequential_sources(inputs: Path) -> list[str]:
    """The ledger's sources as one reader going through the inputs in order would name them."""
    seen: Counter = Counter()
    out = []
    for item in read_inputs([inputs]):
        if isinstance(item, Document):
            seen[item.id] += 1
            out.append(item.id if seen[item.id] == 1 else f"{item.id}~{seen[item.id]}")
        else:
            out.append(item.source)
    return out


def test_pieces_give_the_records_of_one_sequential_reader(inputs, tmp_path):
    reference = tamis.run([inputs], tmp_path / "whole", progress=False)
    split = tamis.run([inputs], tmp_path / "split", progress=False, split_bytes=20_000, chunk_size=7, workers=2)
    pieces = json.loads((tmp_path / "split" / ".tamis" / "plan.json").read_text())
    ranges = [p for p in pieces if p["piece"].get("path")]
    assert len(ranges) > 10 and len(pieces) > len(ranges)  # news.jsonl in ranges, and groups of files
    assert sum(1 for p in ranges for _ in p["marks"]) == sum(-(-p["records"] // 7) for p in ranges)
    sources = [r["source"] for r in rows(tmp_path / "split" / "ledger.jsonl")]
    expected = sequential_sources(inputs)
    assert sources == expected
    assert {"shared~2", "shared~10", "page_feed_item~2"} <= set(expected)
    numbered = [int(s.split(":")[1]) for s in expected if s.startswith("news:")]  # ids from line numbers
    assert len(numbered) > 20 and max(numbered) > 160
    assert any(r["reason"].startswith("bad-json") for r in rows(tmp_path / "split" / "ledger.jsonl"))
    for name in OUTPUTS:
        assert (tmp_path / "split" / name).read_bytes() == (tmp_path / "whole" / name).read_bytes(), name
    assert split["statuses"] == reference["statuses"]
    assert split["shards"] == sum(-(-p["records"] // 7) for p in pieces)


def test_a_missing_path_is_planned_as_its_ledger_row(tmp_path):
    pieces = plan.plan_inputs([str(tmp_path / "nowhere"), str(EXAMPLES)])
    assert [p.entries for p in pieces] == [[[str(tmp_path / "nowhere"), "not-found", "no such file or folder",
                                             "unreadable"], str(EXAMPLES / "page_feed_item.txt"),
                                            str(EXAMPLES / "page_full_scrape.txt")]]


def test_shards_written_out_of_the_drivers_sight_are_a_clear_error(tmp_path, monkeypatch):
    """On a cluster, tasks write their shards where they run: a node with its own disk writes them where
    the driver cannot read them, and the run says so instead of failing later on a missing file."""
    import tamis.tasks
    monkeypatch.setattr(tamis.tasks, "write_shard", lambda folder, shard: None)
    with pytest.raises(RuntimeError, match="must be a URL"):
        tamis.run([EXAMPLES], tmp_path / "out", progress=False)


def test_a_compressed_file_is_read_once_a_pass(tmp_path, monkeypatch):
    """A shard cannot start inside a .jsonl.gz without reading all the file before it: its shards go
    to one task, which reads the file once, not once per shard."""
    import gzip
    records = [news_corpus().record(k) for k in range(40)]
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "news.jsonl.gz").write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in records).encode()))
    (tmp_path / "in" / "plain.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records[:20]), encoding="utf-8")
    reference = tamis.run([tmp_path / "in"], tmp_path / "whole", progress=False)
    reads: Counter = Counter()
    read_file = plan._read_file

    def counting(path):
        reads[path.name] += 1
        return read_file(path)

    monkeypatch.setattr(plan, "_read_file", counting)
    split = tamis.run([tmp_path / "in"], tmp_path / "split", progress=False, chunk_size=7)
    assert split["shards"] == 6 + 3 and reads == {"news.jsonl.gz": 2}  # pass 1, then pass 2 (plain.jsonl: by lines)
    for name in OUTPUTS:
        assert (tmp_path / "split" / name).read_bytes() == (tmp_path / "whole" / name).read_bytes(), name
    assert split["statuses"] == reference["statuses"]


def test_a_large_parquet_file_is_read_in_runs_of_row_groups(tmp_path):
    """A Parquet file larger than a piece is cut between row groups: the driver reads its footer only,
    each task reads its own groups, and the records, their ids (a row number where there is no `id`)
    and the output bytes are those of one reader of the whole file. A file whose footer cannot be
    read stays one piece, and its ledger row says why."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    records = [news_corpus().record(k) for k in range(120)]
    ids = [None if k % 4 == 0 else ("shared" if k % 9 == 0 else r["id"]) for k, r in enumerate(records)]
    table = pa.table({"id": ids, "text": [r["text"] for r in records], "url": [r.get("url") for r in records]})
    (tmp_path / "in").mkdir()
    pq.write_table(table, tmp_path / "in" / "news.parquet", row_group_size=10)
    (tmp_path / "in" / "torn.parquet").write_bytes(b"PAR1" + b"\x00" * 50_000)
    reference = tamis.run([tmp_path / "in"], tmp_path / "whole", progress=False)
    split = tamis.run([tmp_path / "in"], tmp_path / "split", progress=False, split_bytes=30_000, chunk_size=7,
                      workers=2)
    pieces = [p["piece"] for p in json.loads((tmp_path / "split" / ".tamis" / "plan.json").read_text())]
    groups = [(p["start"], p["end"]) for p in pieces if p.get("groups")]
    assert len(groups) > 3 and groups[0][0] == 0 and groups[-1][1] == 12
    assert all(a[1] == b[0] for a, b in zip(groups, groups[1:]))  # consecutive, none skipped or doubled
    assert {"entries": [str(tmp_path / "in" / "torn.parquet")]} in pieces
    assert [r["source"] for r in rows(tmp_path / "split" / "ledger.jsonl")] == sequential_sources(tmp_path / "in")
    assert split["statuses"] == reference["statuses"] and reference["statuses"].get("unreadable") == 1
    assert sum(1 for r in rows(tmp_path / "split" / "ledger.jsonl") if r["source"].startswith("news:")) == 30
    for name in OUTPUTS:
        assert (tmp_path / "split" / name).read_bytes() == (tmp_path / "whole" / name).read_bytes(), name
