"""The outputs load with Hugging Face `datasets` as they are: `load_dataset("json", ...)` on the JSONL
files, `load_dataset("parquet", ...)` on `--format parquet` shards, every row equal to what tamis wrote
(local files only: no network, HF_DATASETS_OFFLINE=1)."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

os.environ["HF_DATASETS_OFFLINE"] = "1"  # read when datasets is imported

import datasets  # noqa: E402

import tamis  # noqa: E402
from test_engines import EXAMPLES, news_corpus, rows  # noqa: E402


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """News pages, the two examples, and a record whose `meta` has a key no other has, sorted last."""
    folder = tmp_path_factory.mktemp("hf-in")
    news_corpus().write_corpus(folder / "news.jsonl", 300)
    shutil.copytree(EXAMPLES, folder / "examples")
    last = {"id": "zzz", "url": "https://late.example.net/a", "published": "2024-05-01", "text":
            "A late story. " + " ".join(["The council agreed on the new budget for the river bridge."] * 6)}
    (folder / "late.jsonl").write_text(json.dumps(last) + "\n", encoding="utf-8")
    return folder


def load(kind: str, files, cache: Path, **kwargs) -> list[dict]:
    return datasets.load_dataset(kind, data_files=[str(f) for f in files], split="train", cache_dir=str(cache),
                                 **kwargs).to_list()


def without_nulls(meta: dict) -> dict:
    """A struct column has every key any row has; the rows that lack one hold None there."""
    return {k: v for k, v in meta.items() if v is not None}


def test_jsonl_outputs_load_with_datasets(corpus, tmp_path):
    out = tmp_path / "out"
    tamis.run([corpus], out, progress=False)
    docs = rows(out / "documents.jsonl")
    assert docs[-1]["id"] == "zzz" and "published" in docs[-1]["meta"]
    assert not any("published" in d["meta"] for d in docs[:-1])
    loaded = load("json", [out / "documents.jsonl"], tmp_path / "cache")
    assert [(r["id"], r["source"], r["role"], r["title"], r["text"]) for r in loaded] == \
        [(d["id"], d["source"], d["role"], d["title"], d["text"]) for d in docs]
    assert [r["provenance"] for r in loaded] == [d["provenance"] for d in docs]
    # pyarrow's JSON reader makes a date string a timestamp
    assert [without_nulls(r["meta"]) for r in loaded][:-1] == [d["meta"] for d in docs][:-1]
    assert str(loaded[-1]["meta"]["published"]).startswith("2024-05-01")
    dups = load("json", [out / "duplicates.jsonl"], tmp_path / "cache")
    assert len(dups) >= 10
    assert [(r["id"], r["duplicate_of"], r["kind"], r["score"]) for r in dups] == \
        [(d["id"], d["duplicate_of"], d["kind"], d["score"]) for d in rows(out / "duplicates.jsonl")]
    ledger = load("json", [out / "ledger.jsonl"], tmp_path / "cache")
    assert [(r["source"], r["status"], r["outputs"], r["reason"]) for r in ledger] == \
        [(d["source"], d["status"], d["outputs"], d["reason"]) for d in rows(out / "ledger.jsonl")]


def test_parquet_shards_load_with_datasets(corpus, tmp_path):
    tamis.run([corpus], tmp_path / "jsonl", progress=False)
    tamis.run([corpus], tmp_path / "pq", progress=False, format="parquet", shard_size=100)
    shards = sorted((tmp_path / "pq").glob("documents-*.parquet"))
    assert len(shards) >= 3
    loaded = load("parquet", shards, tmp_path / "cache")
    # provenance and meta are JSON strings in Parquet (their keys vary from row to row)
    assert [{**r, "provenance": json.loads(r["provenance"]), "meta": json.loads(r["meta"])} for r in loaded] == \
        rows(tmp_path / "jsonl" / "documents.jsonl")
    dups = load("parquet", sorted((tmp_path / "pq").glob("duplicates-*.parquet")), tmp_path / "cache")
    assert [(r["id"], r["duplicate_of"], r["score"]) for r in dups] == \
        [(d["id"], d["duplicate_of"], d["score"]) for d in rows(tmp_path / "jsonl" / "duplicates.jsonl")]
