"""Remote storage through fsspec: `tamis run` reads inputs from and writes OUT to `s3://` (a real S3
protocol endpoint: moto's server on 127.0.0.1, reached through s3fs) and `file://` URLs, and writes the
same bytes as a local run; a run on S3 resumes from its finished shards, each shard's completion record
written after its other files."""
from __future__ import annotations

import socket
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import s3fs
from moto.server import ThreadedMotoServer

import tamis
import tamis.storage
from tamis.cli import main
from test_engines import EXAMPLES, OUTPUTS, write_mixed_corpus

BUCKET = "tamis-test"


@contextmanager
def moto_s3() -> Iterator[s3fs.S3FileSystem]:
    """A moto S3 server on a free port with the bucket BUCKET, and nothing else; s3fs (and any process
    started inside the block, such as a Ray node) finds it through AWS_ENDPOINT_URL, with dummy
    credentials. moto keeps its buckets in process-wide state that outlives a stopped server, so the
    state is reset first: a second server in the same pytest process starts empty."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    env = {"AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}", "AWS_ACCESS_KEY_ID": "testing",
           "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}
    try:
        with urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/moto-api/reset", method="POST")):
            pass
        with pytest.MonkeyPatch.context() as mp:
            for key, value in env.items():
                mp.setenv(key, value)
            s3fs.S3FileSystem.clear_instance_cache()
            fs = s3fs.S3FileSystem()
            fs.mkdir(BUCKET)
            yield fs
            s3fs.S3FileSystem.clear_instance_cache()
    finally:
        server.stop()


@pytest.fixture(scope="module")
def s3():
    with moto_s3() as fs:
        yield fs


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return write_mixed_corpus(tmp_path_factory.mktemp("remote-in"), 300)


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("remote-ref")
    tamis.run([corpus], out, progress=False, chunk_size=50)
    return out


def same_as_local(fs: s3fs.S3FileSystem, prefix: str, reference: Path) -> None:
    for name in OUTPUTS:
        assert fs.cat_file(f"{prefix}/{name}") == (reference / name).read_bytes(), name


def test_output_to_s3_is_the_local_bytes(s3, corpus, reference):
    assert main(["run", str(corpus), "-o", f"s3://{BUCKET}/local-in", "--quiet", "--workers", "2",
                 "--chunk-size", "50"]) == 0
    same_as_local(s3, f"{BUCKET}/local-in", reference)
    names = [p.rsplit("/", 1)[-1] for p in s3.find(f"{BUCKET}/local-in")]
    assert "report.html" in names and "summary.json" in names
    assert not [n for n in names if n.endswith(".tmp") or n.startswith("staged-")]  # nothing half-written


def test_inputs_from_s3_and_output_to_s3(s3, corpus, reference):
    s3.put(str(corpus) + "/", f"{BUCKET}/crawl/", recursive=True)
    assert sorted(p.rsplit("/", 1)[-1] for p in s3.find(f"{BUCKET}/crawl")) == \
        ["bad.jsonl", "news.jsonl", "page_feed_item.txt", "page_full_scrape.txt"]
    summary = tamis.run([f"s3://{BUCKET}/crawl/"], f"s3://{BUCKET}/remote-in", progress=False, chunk_size=50)
    same_as_local(s3, f"{BUCKET}/remote-in", reference)
    assert summary["shards"] == -(-summary["inputs"] // 50) > 3

    # Parquet shards too
    tamis.run([f"s3://{BUCKET}/crawl/"], f"s3://{BUCKET}/pq", progress=False, chunk_size=50, format="parquet",
              shard_size=100)
    tamis.run([corpus], reference.parent / "pq-local", progress=False, chunk_size=50, format="parquet", shard_size=100)
    local = sorted(p.name for p in (reference.parent / "pq-local").glob("*.parquet"))
    assert len(local) > 2
    for name in local:
        assert s3.cat_file(f"{BUCKET}/pq/{name}") == (reference.parent / "pq-local" / name).read_bytes(), name


def test_file_urls(corpus, reference, tmp_path):
    tamis.run([corpus.as_uri()], (tmp_path / "out").as_uri(), progress=False, chunk_size=50)
    for name in OUTPUTS:
        assert (tmp_path / "out" / name).read_bytes() == (reference / name).read_bytes(), name


def test_a_run_on_s3_resumes_from_its_finished_shards(s3, corpus, reference, monkeypatch):
    out = f"s3://{BUCKET}/resume"
    written: list[str] = []
    write_bytes = tamis.storage.Folder.write_bytes

    def recording(self, name, data):
        written.append(name)
        return write_bytes(self, name, data)

    monkeypatch.setattr(tamis.storage.Folder, "write_bytes", recording)
    first = tamis.run([corpus], out, progress=False, chunk_size=50)
    for k in range(first["shards"]):  # each shard's record after its documents and signatures
        at = {suffix: written.index(f"{k:05d}.{suffix}") for suffix in ("docs.jsonl", "raw.txt", "npz", "json")}
        assert at["docs.jsonl"] < at["json"] and at["raw.txt"] < at["json"] and at["npz"] < at["json"]

    # killed before shard 2's record was written: that shard alone is redone
    s3.rm_file(f"{BUCKET}/resume/.tamis/shards/00002.json")
    written.clear()
    again = tamis.run([corpus], out, progress=False, chunk_size=50)
    assert again["shards_reused"] == first["shards"] - 1
    assert [n for n in written if n.startswith("0")] == ["00002.docs.jsonl", "00002.raw.txt", "00002.npz",
                                                           "00002.json"]
    same_as_local(s3, f"{BUCKET}/resume", reference)


def test_a_changed_input_on_s3_starts_afresh(s3, tmp_path):
    """Remote inputs are fingerprinted by their ETags: a file changed in place is read again."""
    s3.pipe_file(f"{BUCKET}/changing/a.txt", (EXAMPLES / "page_feed_item.txt").read_bytes())
    out = f"s3://{BUCKET}/changing-out"
    assert tamis.run([f"s3://{BUCKET}/changing/"], out, progress=False)["shards_reused"] == 0
    assert tamis.run([f"s3://{BUCKET}/changing/"], out, progress=False)["shards_reused"] == 1
    text = (EXAMPLES / "page_feed_item.txt").read_text(encoding="utf-8").replace("Korean", "Korean-language")
    s3.pipe_file(f"{BUCKET}/changing/a.txt", text.encode("utf-8"))
    assert tamis.run([f"s3://{BUCKET}/changing/"], out, progress=False)["shards_reused"] == 0
    assert b"Korean-language" in s3.cat_file(f"{BUCKET}/changing-out/documents.jsonl")


def test_a_missing_s3_input_is_a_ledger_row(s3, tmp_path):
    summary = tamis.run([f"s3://{BUCKET}/no-such-folder/"], tmp_path / "out", progress=False)
    assert summary["statuses"] == {"unreadable": 1}
    assert '"reason":"not-found' in (tmp_path / "out" / "ledger.jsonl").read_text(encoding="utf-8")
