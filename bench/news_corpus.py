"""A generated news corpus for engine benchmarks and the resume test: JSONL records (`id`, `url`,
`title`, `text`) from a few dozen sites, each page its site's template (navigation, share widgets,
newsletter box, copyright) around an article of a few paragraphs; one record in ten is a duplicate of
an earlier one (an exact repost, a near copy with a few words changed, or a feed item holding the first
paragraphs and a feed footer). Deterministic: record k depends only on (seed, k).

    python bench/news_corpus.py N OUT.jsonl [--seed 0]
"""
from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

WORDS = """the a of to and in that is for on with as was by at from it this be are have has had not but
they said will his her their more which were been its one about after new two would who also than
year years people city council government police report could first over other into when some there
can may last week time state minister plan money water school road health market price group company
local national court law people team season game club players workers union strike energy power bill
budget vote election party leader president board members officials residents district county region
river bridge hospital doctors patients nurses teachers students parents children families homes
housing rent tax taxes cost costs funds fund project projects million billion percent data study
research scientists climate weather storm flood fire heat summer winter spring autumn morning night
during before under between against while since until through across around without within because
however although despite meanwhile already still never often later early again only just even well
agreed announced reported confirmed denied warned expected called asked told added noted found showed
built opened closed raised cut approved rejected delayed planned launched signed reached faced""".split()
SECTIONS = ["World", "Politics", "Business", "Science", "Sport", "Culture", "Opinion", "Local", "Health"]


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(9, 24))]
    return " ".join(words).capitalize() + rng.choice([".", ".", ".", "?"])


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(2, 5)))


def _site(k: int) -> dict:
    rng = random.Random(f"site-{k}")
    name = f"{rng.choice(['Daily', 'Morning', 'Evening', 'Weekly', 'Northern', 'Coastal'])} " \
           f"{rng.choice(['Courier', 'Herald', 'Gazette', 'Observer', 'Ledger', 'Tribune'])} {k}"
    sections = rng.sample(SECTIONS, 6)
    return {
        "host": f"news{k}.example.org",
        "name": name,
        "head": [f"{name}", " | ".join(["Home", *sections]), f"Sign in | Subscribe to {name}"],
        "foot": ["Share this article: Facebook Twitter WhatsApp Email",
                 f"Sign up for the {name} newsletter and get the day's news in your inbox every morning.",
                 f"Most read: {rng.choice(SECTIONS)} | {rng.choice(SECTIONS)} | {rng.choice(SECTIONS)}",
                 f"© {2010 + k % 14} {name}. All rights reserved. Privacy policy | Terms of use | Contact us"],
    }


def _article(seed: int, k: int) -> tuple[str, list[str]]:
    rng = random.Random(f"{seed}-article-{k}")
    title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 10))).capitalize()
    return title, [_paragraph(rng) for _ in range(rng.randint(4, 9))]


def _draw(k: int, seed: int, sites: int) -> tuple[random.Random, int, int, str]:
    """Record k's random stream, its site, the article it shows and how (`original`, or a duplicate:
    `exact`, `near`, `feed`)."""
    rng = random.Random(f"{seed}-record-{k}")
    site = rng.randrange(sites)
    source = k
    kind = "original"
    if k >= 10 and rng.random() < 0.1:
        source = rng.randrange(k)
        kind = rng.choice(["exact", "near", "feed"])
    return rng, site, source, kind


def truth(k: int, seed: int = 0, sites: int = 40) -> tuple[int, str]:
    """The article record k shows and how: records that show one article are duplicates of each other
    (a duplicate may copy a record that is itself a duplicate: it shows the article numbered like
    that record, which may be no original's)."""
    _, _, source, kind = _draw(k, seed, sites)
    return source, kind


def record(k: int, seed: int = 0, sites: int = 40) -> dict:
    """Record k of the corpus."""
    rng, site_index, source, kind = _draw(k, seed, sites)
    site = _site(site_index)
    title, paragraphs = _article(seed, source)
    if kind == "near":
        words = paragraphs[0].split()
        for _ in range(3):
            words[rng.randrange(len(words))] = rng.choice(WORDS)
        paragraphs = [" ".join(words), *paragraphs[1:]]
    if kind == "feed":
        body = [title, *paragraphs[: max(2, len(paragraphs) * 2 // 3)],
                f"The post {title} appeared first on {site['name']}."]
    else:
        views = f"{rng.randint(1, 9)},{rng.randint(100, 999)} Views"
        body = [*site["head"], title, views, *paragraphs, *site["foot"]]
    slug = "-".join(title.lower().split()[:6])
    return {"id": f"doc{k:07d}", "url": f"https://{site['host']}/{2020 + source % 5}/{slug}-{source}",
            "title": title, "text": "\n".join(body)}


def write_corpus(path: str | Path, n: int, seed: int = 0) -> Path:
    """N records as JSONL at `path` (written once; an existing file of the same name is replaced)."""
    path = Path(path)
    with open(path, "w", encoding="utf-8") as f:
        for k in range(n):
            f.write(json.dumps(record(k, seed), ensure_ascii=False) + "\n")
    return path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int)
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    write_corpus(args.out, args.n, args.seed)
