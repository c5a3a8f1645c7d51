"""Inputs given as fsspec URLs (`s3://bucket/crawl/`, `gs://...`, `file:///...`): `RemotePath` is the
little of `pathlib.Path` the readers use (`name`, `open`, `stat`), over an fsspec filesystem."""
from __future__ import annotations

import posixpath
from dataclasses import dataclass
from types import SimpleNamespace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import fsspec


@dataclass(frozen=True)
class RemotePath:
    fs: fsspec.AbstractFileSystem
    path: str

    @property
    def name(self) -> str:
        return posixpath.basename(self.path.rstrip("/"))

    def open(self, mode: str = "rb"):
        return self.fs.open(self.path, mode)

    def stat(self) -> SimpleNamespace:
        return SimpleNamespace(st_size=self.fs.size(self.path))

    def __str__(self) -> str:
        return self.fs.unstrip_protocol(self.path)


def remote_files(url: str) -> tuple[list[RemotePath], bool]:
    """The files at `url` (a file, or a folder's files in path order, none under a hidden folder or
    named with a leading dot), and whether anything is there."""
    import fsspec
    fs, root = fsspec.core.url_to_fs(url)
    if not fs.exists(root):
        return [], False
    if not fs.isdir(root):
        return [RemotePath(fs, root)], True
    base = root.rstrip("/") + "/"
    files = [p for p in sorted(fs.find(root)) if not any(part.startswith(".") for part in p[len(base):].split("/"))]
    return [RemotePath(fs, p) for p in files], True
