"""Pass 1's reduce done by tasks over files, so that the driver never holds every page's line hashes
(8 bytes a line: about 300 MB at a million news pages) nor every record's id hash (16 bytes), only
the template lines, each site's number of pages and the records to rename.

The same table as `TemplateCounts.table()` and the same renames as `unique_ids.renames`, in three
steps after the count tasks, each a task per partition (a shuffle, in map-reduce terms):
1. each count task writes its piece's counts to OUT/.tamis/count/NNNNN.npz (`write_counts`): its sites,
   each page's site and key, its line hashes cut in `parts` partitions by value, and its records' id
   hashes;
2. pages (`page_task`): a task per partition of page keys finds the pages a site counts once (an
   earlier page of the site had their key: `TemplateCounts`), writes them to count/repeat-NNN.npz,
   and returns each site's number of pages;
3. lines (`line_task`): a task per partition of line hashes counts, per site, the pages that hold each
   line, the repeated pages left out, and returns the template lines (`templates.min_pages`);
   ids (`id_task`): a task per partition of id hashes finds the records whose id an earlier record had.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np

from .clean import TemplateCounts, TemplateTable
from .clean.templates import MIN_DOCS, min_pages
from .io.plan import Piece
from .io.readers import split_name
from .storage import Folder
from .unique_ids import hashes, renames

PIECES_PER_PART = 8  # a reduce task holds about the lines or ids of this many pieces
MAX_PARTS = 256


def partitions(pieces: int) -> int:
    """Partitions of each step for a run of `pieces` input pieces."""
    return max(1, min(MAX_PARTS, -(-pieces // PIECES_PER_PART)))


def _name(piece: int) -> str:
    return f"{piece:05d}.npz"


def write_counts(folder: Folder, piece: int, parts: int, counts: TemplateCounts, ids: np.ndarray,
                 id_rows: np.ndarray, fallback_rows: np.ndarray, fallback_lines: np.ndarray) -> None:
    """A count task's output: pages site by site, each site's in input order."""
    sites = list(counts.hashes)
    page_site = [np.full(sum(a.size for a in counts.keys[s]), k, dtype=np.int32) for k, s in enumerate(sites)]
    keys = [np.concatenate(counts.keys[s]) for s in sites]
    sizes = [np.concatenate(counts.sizes[s]) for s in sites]
    lines = [np.concatenate(counts.hashes[s]) for s in sites]
    cat = (lambda a, dtype: np.concatenate(a) if a else np.zeros(0, dtype))
    sizes_all, lines_all = cat(sizes, np.int64), cat(lines, np.uint64)
    page_of_line = np.repeat(np.arange(sizes_all.size, dtype=np.int32), sizes_all)
    part = lines_all % np.uint64(parts)
    arrays = {"sites": np.array(sites, dtype=str), "page_site": cat(page_site, np.int32),
              "page_key": cat(keys, np.uint64), "ids": ids, "id_rows": id_rows,
              "fallback_rows": fallback_rows, "fallback_lines": fallback_lines}
    for r in range(parts):
        take = part == r
        arrays[f"lines{r}"], arrays[f"pages{r}"] = lines_all[take], page_of_line[take]
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    folder.write_bytes(_name(piece), buf.getvalue())


@dataclass
class CountReduce:
    folder: str                 # OUT/.tamis/count
    pieces: list[dict]          # each piece as JSON (for the ids of records without one)
    first_lines: list[int]      # each piece's first line number
    parts: int
    pages: dict[str, int] | None = None  # step 3: each site's number of pages


def _load(folder: Folder, piece: int, names: tuple[str, ...]) -> dict[str, np.ndarray]:
    return dict(zip(names, folder.arrays(_name(piece), names)))


class _Sites:
    """Site names to numbers, the same for every piece a task reads."""

    def __init__(self) -> None:
        self.number: dict[str, int] = {}

    def of(self, names: np.ndarray) -> np.ndarray:
        return np.array([self.number.setdefault(str(s), len(self.number)) for s in names.tolist()], dtype=np.int64)

    def names(self) -> list[str]:
        return list(self.number)


def page_task(context: CountReduce, part: int) -> dict[str, int]:
    """Each site's number of pages among the keys of `part`; the pages counted once already (a key an
    earlier page of the site had) written to count/repeat-PART.npz."""
    folder = Folder(context.folder)
    sites, site_l, key_l, piece_l, page_l = _Sites(), [], [], [], []
    for k in range(len(context.pieces)):
        z = _load(folder, k, ("sites", "page_site", "page_key"))
        mine = np.flatnonzero(z["page_key"] % np.uint64(context.parts) == part)
        site_l.append(sites.of(z["sites"])[z["page_site"][mine]] if mine.size else np.zeros(0, np.int64))
        key_l.append(z["page_key"][mine])
        piece_l.append(np.full(mine.size, k, dtype=np.int32))
        page_l.append(mine.astype(np.int32))
    site, key = np.concatenate(site_l), np.concatenate(key_l)
    piece, page = np.concatenate(piece_l), np.concatenate(page_l)
    order = np.lexsort((np.arange(site.size), key, site))  # by site and key, then input order
    s, k = site[order], key[order]
    first = np.ones(order.size, dtype=bool)
    first[1:] = (s[1:] != s[:-1]) | (k[1:] != k[:-1])
    repeat = order[~first]
    buf = io.BytesIO()
    np.savez(buf, piece=piece[repeat], page=page[repeat])
    folder.write_bytes(f"repeat-{part:03d}.npz", buf.getvalue())
    counts = np.bincount(site[order[first]], minlength=len(sites.number))
    return {name: int(n) for name, n in zip(sites.names(), counts.tolist()) if n}


def line_task(context: CountReduce, part: int) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The template lines among the hashes of `part`: per site, (sorted hashes, pages holding each)."""
    folder = Folder(context.folder)
    repeated: dict[int, list[np.ndarray]] = {}
    for q in range(context.parts):
        with folder.open_read(f"repeat-{q:03d}.npz") as f, np.load(f, allow_pickle=False) as z:
            piece, page = z["piece"], z["page"]
        for k in np.unique(piece).tolist():
            repeated.setdefault(k, []).append(page[piece == k])
    sites, site_l, line_l = _Sites(), [], []
    for k in range(len(context.pieces)):
        z = _load(folder, k, ("sites", "page_site", f"lines{part}", f"pages{part}"))
        lines, pages = z[f"lines{part}"], z[f"pages{part}"]
        if k in repeated:
            keep = ~np.isin(pages, np.concatenate(repeated[k]))
            lines, pages = lines[keep], pages[keep]
        site_l.append(sites.of(z["sites"])[z["page_site"][pages]] if pages.size else np.zeros(0, np.int64))
        line_l.append(lines)
    site, line = np.concatenate(site_l), np.concatenate(line_l)
    order = np.lexsort((line, site))
    site, line = site[order], line[order]
    new = np.ones(site.size, dtype=bool)
    new[1:] = (site[1:] != site[:-1]) | (line[1:] != line[:-1])
    starts = np.flatnonzero(new)
    held = np.diff(np.append(starts, site.size))
    names, out = sites.names(), {}
    of_start = site[starts]
    bounds = np.flatnonzero(np.r_[True, of_start[1:] != of_start[:-1], True]) if starts.size else [0]
    for lo, hi in zip(bounds[:-1], bounds[1:]):  # one site's distinct lines
        name = names[int(of_start[lo])]
        n = context.pages.get(name, 0)
        keep = held[lo:hi] >= min_pages(n)
        if n >= MIN_DOCS and keep.any():
            out[name] = (line[starts[lo:hi][keep]], held[lo:hi][keep])
    return out


def id_task(context: CountReduce, part: int) -> list[tuple[int, int, int]]:
    """(piece, record, k) of each record whose id, among the id hashes of `part`, is the k-th (k >= 2)
    record with that id in the run."""
    folder = Folder(context.folder)
    mine = []
    for k, piece in enumerate(context.pieces):
        z = _load(folder, k, ("ids", "id_rows", "fallback_rows", "fallback_lines"))
        hashed, rows = z["ids"], z["id_rows"]
        if z["fallback_rows"].size:
            found = fallback_ids(Piece.from_json(piece), context.first_lines[k], z["fallback_lines"])
            hashed = np.concatenate([hashed, hashes(found)])
            rows = np.concatenate([rows, z["fallback_rows"]])
        take = _id_part(hashed, context.parts) == part
        mine.append((hashed[take], rows[take]))
    return [(k, row, n) for k, named in enumerate(renames(mine)) for row, n in sorted(named.items())]


def fallback_ids(piece: Piece, first_line: int, lines: np.ndarray) -> list[str]:
    """The ids of a range's records that have no `id` field, once its first line number is known."""
    stem = split_name(piece.path.rstrip("/").rsplit("/", 1)[-1])[0]
    return [f"{stem}:{first_line + int(k)}" for k in lines]


def _id_part(hashed: np.ndarray, parts: int) -> np.ndarray:
    if not hashed.size:
        return np.zeros(0, dtype=np.uint64)
    return np.ascontiguousarray(hashed).view(np.uint64)[::2] % np.uint64(parts)


def reduce(engine, context: CountReduce) -> tuple[TemplateTable, list[dict[int, int]]]:
    """The template table and, for each piece, {record: k} of the records whose id takes `~k`."""
    if not context.pieces:
        return TemplateTable({}), []
    steps = list(range(context.parts))
    context.pages = {}
    for found in engine.map(page_task, steps, context):
        for site, n in found.items():
            context.pages[site] = context.pages.get(site, 0) + n
    tables: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {}
    for found in engine.map(line_task, steps, context):
        for site, pair in found.items():
            tables.setdefault(site, []).append(pair)
    sites = {}
    for site in sorted(tables):
        values = np.concatenate([v for v, _ in tables[site]])
        counts = np.concatenate([c for _, c in tables[site]])
        order = np.argsort(values)
        sites[site] = (values[order], counts[order] / context.pages[site])
    renamed: list[dict[int, int]] = [{} for _ in context.pieces]
    for found in engine.map(id_task, steps, context):
        for k, row, n in found:
            renamed[k][row] = n
    return TemplateTable(sites), renamed


__all__ = ["CountReduce", "partitions", "reduce", "write_counts"]
