"""Pass 1's reduce done by tasks over files (`tamis.sharded_counts`) gives exactly what one process
holding every count gives: `TemplateCounts.table()` over the records in input order, and
`unique_ids.renames` over every record's id, on real inputs cut in many pieces and partitions:
generated news pages of 40 sites (a page's url twice, with other text the second time), the
bundled example, records without an id (their line number) and ids given twice."""
from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from tamis import sharded_counts
from tamis.clean import TemplateCounts, split_blocks
from tamis.document import Document
from tamis.engines import make_engine
from tamis.io.plan import FALLBACK, walk_piece
from tamis.pipeline import Options, count_pass
from tamis.progress import Progress
from tamis.sharded_counts import fallback_ids
from tamis.storage import Folder
from tamis.unique_ids import hashes, renames
from tamis.workdir import WorkDir
from test_engines import EXAMPLES, news_corpus


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("counts")
    news = news_corpus()
    records = [json.loads(line) for line in news.write_corpus(folder / "news.jsonl", 240).read_text().splitlines()]
    with open(folder / "again.jsonl", "w") as f:  # ids and urls seen before; others without an id
        for k, rec in enumerate(records[:60]):
            other = records[-1 - k]
            row = {"url": rec["url"], "text": other["text"]}
            if k % 3 == 0:
                row["id"] = rec["id"]
            f.write(json.dumps(row) + "\n")
    shutil.copytree(EXAMPLES, folder / "examples")
    return [str(folder / "news.jsonl"), str(folder / "again.jsonl"), str(folder / "examples")]


def one_process(plan: list[dict]):
    """The table and renames from every record held at once, in plan order."""
    from tamis.io.plan import Piece
    counts, per_piece = TemplateCounts(), []
    for entry in plan:
        piece = Piece.from_json(entry["piece"])
        ids, rows, records = [], [], 0
        for mark, item in walk_piece(piece, None):
            if item is None:
                continue
            if isinstance(item, Document):
                ids.append(item.id if item.id != FALLBACK
                           else fallback_ids(piece, entry["first_line"], np.array([mark[2]]))[0])
                rows.append(records)
                if item.text:
                    counts.add(item.site, [b.text for b in split_blocks(item.text)], item.url)
            records += 1
        per_piece.append((hashes(ids), np.array(rows, dtype=np.int64)))
    return counts.table(), renames(per_piece)


@pytest.mark.parametrize("per_part", [1, 3, 1000])
@pytest.mark.parametrize("workers", [1, 2])
def test_sharded_counts_are_one_process_counts(inputs, tmp_path, monkeypatch, per_part, workers):
    monkeypatch.setattr(sharded_counts, "PIECES_PER_PART", per_part)
    opts = Options(split_bytes=40_000, chunk_size=7)
    work = WorkDir(Folder(tmp_path / "out"), inputs, {})
    table, records, plan = count_pass(inputs, work, make_engine("local", workers), opts, Progress(False))
    assert len(plan) > 10 and records == sum(p["records"] for p in plan)
    expected, expected_renames = one_process(plan)
    assert sharded_counts.partitions(len(plan)) == (len(plan) if per_part == 1 else -(-len(plan) // per_part))
    assert sorted(table.sites) == sorted(expected.sites) and len(table.sites) >= 30
    for site, (values, shares) in expected.sites.items():
        assert np.array_equal(table.sites[site][0], values) and np.array_equal(table.sites[site][1], shares)
    assert [dict(p["renames"]) for p in plan] == expected_renames
    assert sum(len(r) for r in expected_renames) == 20  # again.jsonl's ids given twice
    assert not (tmp_path / "out" / ".tamis" / "count").exists() or not any((tmp_path / "out" / ".tamis" / "count").iterdir())


def test_repeated_pages_count_once(inputs, tmp_path):
    """The url seen twice counts its first capture only: the second one's lines are not counted."""
    work = WorkDir(Folder(tmp_path / "out"), inputs[:1], {})
    alone, _, _ = count_pass(inputs[:1], work, make_engine("local", 1), Options(split_bytes=40_000), Progress(False))
    work = WorkDir(Folder(tmp_path / "out2"), inputs[:2], {})
    both, _, _ = count_pass(inputs[:2], work, make_engine("local", 1), Options(split_bytes=40_000), Progress(False))
    for site, (values, shares) in alone.sites.items():
        assert np.array_equal(both.sites[site][0], values) and np.array_equal(both.sites[site][1], shares)
