"""OUT/.tamis: what a run has finished so far, so that a killed run, started again with the same
command, redoes only what is missing.

- `manifest.json`: the run's fingerprint (inputs' paths, sizes and mtimes; the options that shape the
  clean pass; a hash of tamis's own code and data). Another fingerprint: the folder is emptied and the
  run starts fresh.
- `plan.json`: the input pieces (`tamis.io.plan`) and what pass 1 learnt of each (records, where
  every shard of it starts, the records whose id takes a `~k`); `templates.npz`: pass 1's site
  template table and the number of input records.
- `shards/NNNNN.docs.jsonl`, `NNNNN.npz` (dedup signatures, line offsets), `NNNNN.json` (ids, ledger
  rows, report samples and counts): pass 2's outputs for shard N, up to `chunk_size` consecutive
  records of one input piece (shards numbered in input order), written by the task that cleaned it.
  The `.json` is written last: a shard is finished when it exists.

The folder stays after the run: the same command again (or with other dedup thresholds, `--format`
or `--shard-size`, which act in passes 3 and 4) reuses every shard.

OUT may be any fsspec URL (`s3://bucket/prefix`): every file is written whole or not at all
(`tamis.storage`), and a shard's `.json` only after its other files.
"""
from __future__ import annotations

import io
import json
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import xxhash

from .clean import TemplateTable
from .dedup import Signatures
from .io.json_lines import loads
from .io.writers import dump_line
from .storage import Folder, atomic_write, is_url

__all__ = ["DocumentStore", "WorkDir", "atomic_write", "fingerprint"]

MANIFEST_VERSION = 4
_CODE_SUFFIXES = {".py", ".c", ".json", ".tsv"}
# tamis's code that only acts after pass 2 or only decides where it runs: changing it keeps the shards
_NOT_IN_SHARDS = ("report/", "engines/", "outputs.py", "progress.py", "cli.py", "sharded_lsh.py",
                  "sharded_verify.py", "sharded_components.py", "sharded_clusters.py", "write_tasks.py")


def fingerprint(inputs: Iterable[str], settings: dict) -> str:
    """What pass 1 and 2 depend on: every input file (path, size, mtime) and `settings`, and tamis's
    own code (a changed cleaner must not reuse shards cleaned by the old one)."""
    h = xxhash.xxh3_128()
    h.update(json.dumps({"version": MANIFEST_VERSION, **settings}, sort_keys=True).encode())
    for name in inputs:
        if is_url(name):
            _fingerprint_url(h, name)
            continue
        path = Path(name)
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for p in files:
            try:
                st = p.stat()
                h.update(f"{p}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
            except OSError:
                h.update(f"{p}\0missing\n".encode())
    package = Path(__file__).parent
    for p in sorted(package.rglob("*")):
        name = p.relative_to(package).as_posix()
        if p.suffix in _CODE_SUFFIXES and not name.startswith(_NOT_IN_SHARDS) and p.is_file():
            h.update(name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def _fingerprint_url(h, url: str) -> None:
    """A remote input: each file's path and its store's version key (`ukey`: an ETag on S3)."""
    import fsspec
    fs, root = fsspec.core.url_to_fs(url)
    try:
        files = sorted(fs.find(root)) if fs.isdir(root) else [root]
        for path in files:
            h.update(f"{path}\0{fs.ukey(path)}\n".encode())
    except OSError:
        h.update(f"{url}\0missing\n".encode())


class WorkDir:
    """OUT/.tamis for a run of `inputs` with `settings` (those that shape passes 1 and 2)."""

    def __init__(self, out: Folder, inputs: list[str], settings: dict, fresh: bool = False) -> None:
        self.out = out.url
        self.root = out.child(".tamis")
        self.shards = self.root.child("shards")
        print_ = fingerprint(inputs, settings)
        try:
            resumed = json.loads(self.root.read_bytes("manifest.json")).get("fingerprint") == print_
        except (OSError, ValueError):
            resumed = False
        self.resumed = resumed and not fresh
        if self.resumed:
            if self.root.local:
                for partial in self.root.local.rglob(".*.tmp"):  # a file a killed run was writing
                    partial.unlink()
        else:
            self.root.remove_all()
            self.shards.makedirs()
            self.root.write_bytes("manifest.json", json.dumps({"fingerprint": print_, "version": MANIFEST_VERSION,
                                                               "inputs": inputs, "settings": settings}, indent=1).encode())

    @classmethod
    def reopen(cls, out: Folder) -> "WorkDir":
        """The work folder a run of this OUT has made, as passes 3 and 4 see it (`pipeline.reduce_task`,
        wherever it runs): nothing checked, nothing removed."""
        work = cls.__new__(cls)
        work.out = out.url
        work.root = out.child(".tamis")
        work.shards = work.root.child("shards")
        work.resumed = True
        return work

    # pass 1 ---------------------------------------------------------------------------------------

    def save_templates(self, table: TemplateTable, records: int) -> None:
        arrays: dict[str, np.ndarray] = {"records": np.array(records, dtype=np.int64),
                                         "sites": np.array(sorted(table.sites), dtype=str)}
        for k, site in enumerate(sorted(table.sites)):
            arrays[f"values{k}"], arrays[f"shares{k}"] = table.sites[site]
        buf = io.BytesIO()
        np.savez(buf, **arrays)
        self.root.write_bytes("templates.npz", buf.getvalue())

    def save_plan(self, plan: list[dict]) -> None:
        """Pass 1's plan of pass 2 (`pipeline.plan_pass`), written before the templates."""
        self.root.write_bytes("plan.json", json.dumps(plan).encode())

    def load_plan(self) -> list[dict] | None:
        try:
            return json.loads(self.root.read_bytes("plan.json"))
        except (OSError, ValueError):
            return None

    def load_templates(self) -> tuple[TemplateTable, int] | None:
        try:
            with np.load(io.BytesIO(self.root.read_bytes("templates.npz")), allow_pickle=False) as z:
                sites = {str(site): (z[f"values{k}"], z[f"shares{k}"]) for k, site in enumerate(z["sites"])}
                return TemplateTable(sites), int(z["records"])
        except (OSError, ValueError, KeyError):
            return None

    # pass 2 ---------------------------------------------------------------------------------------

    @staticmethod
    def name(index: int, suffix: str) -> str:
        return f"{index:05d}.{suffix}"

    def finished(self) -> set[int]:
        return {int(name.split(".")[0]) for name in self.shards.names("[0-9]*.json")}

    def write_shard(self, shard) -> None:
        write_shard(self.shards, shard)

    def shard_record(self, index: int) -> dict:
        return loads(self.shards.read_bytes(self.name(index, "json")))

    def signatures(self, index: int, light: bool = False) -> tuple[Signatures, np.ndarray, np.ndarray, Signatures,
                                                                   np.ndarray]:
        """A shard's dedup signatures (rows: its documents, then its ghosts), its documents' line
        offsets, the raw record lengths, the raw captures' signatures and their offsets in `raw.txt`.
        `light`: without the MinHash values and anchors (left in the file for `tamis.sharded_lsh`)."""
        with self.shards.open_read(self.name(index, "npz")) as f, np.load(f, allow_pickle=False) as z:
            num_perm, seed, anchor_bits, width = (int(v) for v in z["params"])

            def load(prefix: str) -> Signatures:
                rows = len(z[prefix + "exact"])
                return Signatures(exact=z[prefix + "exact"], length=z[prefix + "length"],
                                  shingles=z[prefix + "shingles"],
                                  minhash=np.zeros((rows, 0), np.uint32) if light else z[prefix + "minhash"],
                                  anchors=np.zeros(0, np.uint32) if light else z[prefix + "anchors"],
                                  anchor_offsets=z[prefix + "anchor_offsets"],
                                  num_perm=num_perm, seed=seed, anchor_bits=anchor_bits, width=width,
                                  method=str(z["method"]))
            return load(""), z["offsets"], z["raw_chars"], load("raw_"), z["raw_offsets"]


def write_shard(shards: Folder, shard) -> None:
    """A pass-2 `ShardOutput` into `shards` (OUT/.tamis/shards; written by the task that cleaned it):
    documents, then signatures, then the record that says it is done."""
    name = WorkDir.name
    shards.write_bytes(name(shard.index, "docs.jsonl"), shard.docs)
    shards.write_bytes(name(shard.index, "raw.txt"), shard.raw_texts)
    sig, raw = shard.signatures, shard.raw_signatures
    buf = io.BytesIO()
    np.savez(buf, offsets=shard.offsets, raw_chars=shard.raw_chars, raw_offsets=shard.raw_offsets,
             **_sig_arrays(sig, ""), **_sig_arrays(raw, "raw_"),
             params=np.array([sig.num_perm, sig.seed, sig.anchor_bits, sig.width]), method=np.array(sig.method))
    shards.write_bytes(name(shard.index, "npz"), buf.getvalue())
    shards.write_bytes(name(shard.index, "json"), dump_line(shard.record()))


class _ShardFiles:
    """One pass-2 file of each shard (`suffix`), opened for random reads on first use; at most
    `max_open` open at once (the oldest closed first)."""

    def __init__(self, work: WorkDir, suffix: str, max_open: int = 64) -> None:
        self.work, self.suffix, self.max_open = work, suffix, max_open
        self.files: dict[int, object] = {}

    def at(self, shard: int, offset: int):
        f = self.files.get(shard)
        if f is None:
            if len(self.files) >= self.max_open:
                self.files.pop(next(iter(self.files))).close()
            f = self.files[shard] = self.work.shards.open_random(self.work.name(shard, self.suffix))
        f.seek(offset)
        return f

    def close(self) -> None:
        for f in self.files.values():
            f.close()
        self.files.clear()


class RawStore:
    """Random access to the raw captures pass 2 kept for dedup, normalised (`stages.ShardOutput`): row
    i is bytes `starts[i]:ends[i]` of shard `shard_of[i]`'s `raw.txt`."""

    def __init__(self, work: WorkDir, shard_of: np.ndarray, starts: np.ndarray, ends: np.ndarray,
                 max_open: int = 64) -> None:
        self.shard_of, self.starts, self.ends = shard_of, starts, ends
        self.files = _ShardFiles(work, "raw.txt", max_open)

    def text(self, row: int) -> str:
        start, end = int(self.starts[row]), int(self.ends[row])
        if start == end:
            return ""
        return self.files.at(int(self.shard_of[row]), start).read(end - start).decode("utf-8")

    def close(self) -> None:
        self.files.close()


def _sig_arrays(sig: Signatures, prefix: str) -> dict[str, np.ndarray]:
    return {prefix + name: getattr(sig, name)
            for name in ("exact", "length", "shingles", "minhash", "anchors", "anchor_offsets")}


class DocumentStore:
    """Random access to pass 2's documents: row i is line `offsets[i]` of shard `shard_of[i]`'s file."""

    def __init__(self, work: WorkDir, shard_of: np.ndarray, offsets: np.ndarray, max_open: int = 64) -> None:
        self.work, self.shard_of, self.offsets = work, shard_of, offsets
        self.files = _ShardFiles(work, "docs.jsonl", max_open)

    def line(self, row: int) -> bytes:
        return self.files.at(int(self.shard_of[row]), int(self.offsets[row])).readline()

    def doc(self, row: int) -> dict:
        return loads(self.line(row))

    def close(self) -> None:
        self.files.close()
        self.work.shards.close()
