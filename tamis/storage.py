"""Where a run's files lie: a local folder, or any fsspec URL (`s3://bucket/prefix`, `gs://...`,
`file:///...`) for the outputs and for OUT/.tamis.

Every file is written whole or not at all. On a local disk: under a temporary name, then renamed over its
place (`os.replace`), so a kill at any moment leaves the old file or the new one, never a part. On an
object store, where a rename is a copy, an object appears only when its upload completes: a file is
written whole in one PUT (`pipe_file`), or staged on the local disk and then uploaded (`put_file`).
"""
from __future__ import annotations

import os
import shutil
import tempfile
from fnmatch import fnmatch
from pathlib import Path


def is_url(name: str | os.PathLike) -> bool:
    """`s3://bucket/x`, `file:///x`: a name for fsspec; anything else is a local path."""
    return "://" in str(name)


def atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


class Folder:
    """A folder, local or remote; file names are relative to it."""

    def __init__(self, url: str | os.PathLike) -> None:
        self.url = str(url)
        self.fs, self.root = None, str(url)
        if is_url(url):  # fsspec is imported for URLs only: with asyncio, it is a third of tamis's import
            import fsspec
            from fsspec.implementations.local import LocalFileSystem
            self.fs, self.root = fsspec.core.url_to_fs(self.url)
            if isinstance(self.fs, LocalFileSystem):  # file:///x is the local folder /x
                self.fs = None
        self.local = Path(self.root) if self.fs is None else None
        self._cache: str | None = None  # local copies of remote files read at random

    def child(self, name: str) -> Folder:
        return Folder(self.local / name if self.local else f"{self.url.rstrip('/')}/{name}")

    def path(self, name: str) -> str:
        return str(self.local / name) if self.local else f"{self.root.rstrip('/')}/{name}"

    def makedirs(self) -> None:
        if self.local:
            self.local.mkdir(parents=True, exist_ok=True)

    def write_bytes(self, name: str, data: bytes) -> None:
        if self.local:
            atomic_write(self.local / name, data)
        else:
            self.fs.pipe_file(self.path(name), data)

    def read_bytes(self, name: str) -> bytes:
        """FileNotFoundError when there is no such file."""
        if self.local:
            return (self.local / name).read_bytes()
        return self.fs.cat_file(self.path(name))

    def names(self, pattern: str = "*") -> list[str]:
        if self.local:
            return sorted(p.name for p in self.local.glob(pattern)) if self.local.is_dir() else []
        self.fs.invalidate_cache(self.root)
        try:
            found = self.fs.ls(self.root, detail=False)
        except FileNotFoundError:
            return []
        return sorted(n for n in (p.rstrip("/").rsplit("/", 1)[-1] for p in found) if fnmatch(n, pattern))

    def remove(self, name: str) -> None:
        if self.local:
            (self.local / name).unlink()
        else:
            self.fs.rm_file(self.path(name))

    def remove_all(self) -> None:
        """The folder and everything in it."""
        if self.local:
            shutil.rmtree(self.local, ignore_errors=True)
        elif self.fs.exists(self.root):
            self.fs.rm(self.root, recursive=True)

    def stage(self, name: str) -> str:
        """A local path to write `name` at; `commit(staged, name)` then puts it in place whole."""
        if self.local:
            return str(self.local / f".{name}.{os.getpid()}.tmp")
        return os.path.join(self._local_dir(), f"staged-{name}")

    def commit(self, staged: str, name: str) -> None:
        if self.local:
            os.replace(staged, self.local / name)
        else:
            self.fs.put_file(staged, self.path(name))
            os.unlink(staged)

    def open_read(self, name: str):
        """`name` opened for reading, seekable: a remote file is read in ranges as they are asked for
        (`np.load` of an `.npz` then fetches only the arrays it loads)."""
        if self.local:
            return open(self.local / name, "rb")
        return self.fs.open(self.path(name), "rb")

    def arrays(self, name: str, keys: tuple[str, ...]) -> tuple:
        """The arrays `keys` of the `.npz` file `name`, read in one opening of it (each opening parses
        the archive's directory: the tasks that read a few arrays of every shard paid it per array)."""
        import numpy as np
        with self.open_read(name) as f, np.load(f, allow_pickle=False) as z:
            return tuple(z[key] for key in keys)

    def open_random(self, name: str):
        """`name` opened for reading at random offsets: a remote file is copied to the local disk once."""
        if self.local:
            return open(self.local / name, "rb")
        copy = os.path.join(self._local_dir(), f"copy-{name}")
        if not os.path.exists(copy):
            self.fs.get_file(self.path(name), copy)
        return open(copy, "rb")

    def _local_dir(self) -> str:
        if self._cache is None:
            self._cache = tempfile.mkdtemp(prefix="tamis-")
        return self._cache

    def close(self) -> None:
        """Drop the local copies and staged files of a remote folder."""
        if self._cache is not None:
            shutil.rmtree(self._cache, ignore_errors=True)
            self._cache = None

    def __str__(self) -> str:
        return self.url
