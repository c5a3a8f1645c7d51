"""Resumable runs: a run killed with SIGKILL in the middle of the clean pass, started again with the
same command, redoes only the unfinished shards and writes the same bytes as a run never killed; a
changed input or option starts afresh."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import tamis
from test_engines import EXAMPLES, news_corpus, same_outputs

DOCS = 2400
CHUNK = 100


def command(corpus: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "tamis.cli", "run", str(corpus), "-o", str(out), "--chunk-size", str(CHUNK), *extra]


def finished(out: Path) -> dict[str, int]:
    """Finished shards (their completion record) and when each was written."""
    shards = out / ".tamis" / "shards"
    return {p.name: p.stat().st_mtime_ns for p in shards.glob("[0-9]*.json")} if shards.exists() else {}


def test_a_killed_run_resumes_where_it_stopped_and_gives_the_same_bytes(tmp_path):
    corpus = news_corpus().write_corpus(tmp_path / "news.jsonl", DOCS)
    total = DOCS // CHUNK
    out = tmp_path / "killed"
    proc = subprocess.Popen(command(corpus, out, "--workers", "2"), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 240
    try:
        while len(finished(out)) < 2 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        os.killpg(proc.pid, signal.SIGKILL)  # the run and its pool's workers, mid-pass
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read().decode()[-2000:]
    done = finished(out)
    assert 2 <= len(done) < total, "the run must be killed after some shards and before the last"
    assert not (out / "documents.jsonl").exists()

    resumed = subprocess.run(command(corpus, out, "--workers", "2"), capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert "resuming" in resumed.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["shards"] == total and summary["shards_reused"] == len(done)
    after = finished(out)
    assert all(after[name] == mtime for name, mtime in done.items()), "a finished shard was redone"
    assert len(after) == total

    whole = tmp_path / "whole"
    subprocess.run(command(corpus, whole), check=True, capture_output=True, timeout=600)
    same_outputs(whole, out)
    assert json.loads((whole / "summary.json").read_text())["shards_reused"] == 0


def test_same_command_again_reuses_every_shard(tmp_path):
    (tmp_path / "in").mkdir()
    for path in EXAMPLES.iterdir():
        (tmp_path / "in" / path.name).write_bytes(path.read_bytes())
    first = tamis.run([tmp_path / "in"], tmp_path / "out", progress=False, chunk_size=1)
    assert first["shards"] == 2 and first["shards_reused"] == 0
    before = (tmp_path / "out" / "documents.jsonl").read_bytes()
    again = tamis.run([tmp_path / "in"], tmp_path / "out", progress=False, chunk_size=1)
    assert again["shards_reused"] == 2
    assert (tmp_path / "out" / "documents.jsonl").read_bytes() == before


@pytest.mark.parametrize("change", ["input", "option", "fresh"])
def test_another_fingerprint_starts_afresh(tmp_path, change):
    (tmp_path / "in").mkdir()
    for path in EXAMPLES.iterdir():
        (tmp_path / "in" / path.name).write_bytes(path.read_bytes())
    tamis.run([tmp_path / "in"], tmp_path / "out", progress=False, chunk_size=1)
    options = {"chunk_size": 1}
    if change == "input":
        feed = tmp_path / "in" / "page_feed_item.txt"
        feed.write_text(feed.read_text(encoding="utf-8").replace("Korean", "Korean-language"), encoding="utf-8")
    elif change == "option":
        options["chunk_size"] = 5
    else:
        options["fresh"] = True
    summary = tamis.run([tmp_path / "in"], tmp_path / "out", progress=False, **options)
    assert summary["shards_reused"] == 0
    assert sorted(finished(tmp_path / "out")) == [f"{k:05d}.json" for k in range(summary["shards"])]
    if change == "input":
        text = (tmp_path / "out" / "documents.jsonl").read_text(encoding="utf-8") + \
            (tmp_path / "out" / "duplicates.jsonl").read_text(encoding="utf-8")
        assert "Korean-language" in text


def test_a_leftover_partial_file_does_not_count_as_a_finished_shard(tmp_path):
    (tmp_path / "in").mkdir()
    for path in EXAMPLES.iterdir():
        (tmp_path / "in" / path.name).write_bytes(path.read_bytes())
    tamis.run([tmp_path / "in"], tmp_path / "out", progress=False, chunk_size=1)
    shards = tmp_path / "out" / ".tamis" / "shards"
    (shards / "00001.json").unlink()                      # killed before its completion record...
    (shards / ".00001.json.123.tmp").write_bytes(b"{")    # ...while writing it
    summary = tamis.run([tmp_path / "in"], tmp_path / "out", progress=False, chunk_size=1)
    assert summary["shards_reused"] == 1 and (shards / "00001.json").exists()
    assert not list(shards.glob(".*.tmp"))
    assert summary["documents"] == 4
