"""`tamis.integrations.datatrove.TamisClean` inside a real datatrove pipeline (LocalPipelineExecutor,
JsonlReader, JsonlWriter): one output document per article, `ID` or `ID#k`, the input's metadata kept,
tamis's title/provenance/role/removed counts added, the same articles as `tamis run`, and the step's
counts in datatrove's stats."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter

import tamis
from tamis.integrations.datatrove import TamisClean
from test_engines import EXAMPLES, rows

JUNK = "Home | News | Sport | Contact\nShare on Facebook\nCopyright 2024 Example Media. All rights reserved."


@pytest.fixture
def pages(tmp_path) -> Path:
    """A page of four glued articles, a feed item, and a record that is all boilerplate."""
    folder = tmp_path / "in"
    folder.mkdir()
    records = [{"id": "scrape", "url": "https://one.example.com/a", "text": (EXAMPLES / "page_full_scrape.txt").read_text(encoding="utf-8")},
               {"id": "feed", "url": "https://two.example.org/b", "text": (EXAMPLES / "page_feed_item.txt").read_text(encoding="utf-8")},
               {"id": "junk", "url": "https://three.example.net/c", "text": JUNK}]
    with open(folder / "pages.jsonl", "w", encoding="utf-8") as f:
        for record in records:
            f.write(json.dumps({**record, "crawl": "CC-MAIN-2024-10"}) + "\n")
    return folder


def test_tamis_clean_in_a_datatrove_pipeline(pages, tmp_path):
    out, logs = tmp_path / "out", tmp_path / "logs"
    LocalPipelineExecutor([JsonlReader(str(pages)), TamisClean(), JsonlWriter(str(out), compression=None)],
                          tasks=1, workers=1, logging_dir=str(logs)).run()
    docs = rows(out / "00000.jsonl")
    assert [d["id"] for d in docs] == ["scrape#1", "scrape#2", "scrape#3", "scrape#4", "feed"]
    meta = [d["metadata"] for d in docs]
    assert all(m["crawl"] == "CC-MAIN-2024-10" for m in meta)  # the input's metadata, kept
    assert [m["role"] for m in meta] == ["main", "secondary", "secondary", "secondary", "main"]
    assert [m["source"] for m in meta] == ["scrape"] * 4 + ["feed"]
    assert meta[4]["provenance"] == {"publisher": "The Duran", "url": "https://two.example.org/b"}
    assert meta[1]["provenance"] == {"via": "Axios", "url": "https://one.example.com/a"}
    assert sum(meta[4]["removed"].values()) == 13 and meta[4]["removed"]["css"] >= 1

    # the same articles, titles and provenance as `tamis run` (no dedup: this step does not deduplicate;
    # one page per site: no site template to learn)
    tamis.run([pages], tmp_path / "run", progress=False, dedup=False)
    ran = {d["id"]: d for d in rows(tmp_path / "run" / "documents.jsonl")}
    assert sorted(ran) == sorted(d["id"] for d in docs)
    for d in docs:
        assert (d["text"], d["metadata"]["title"], d["metadata"]["provenance"]) == \
            (ran[d["id"]]["text"], ran[d["id"]]["title"], ran[d["id"]]["provenance"])

    stats = json.loads(next((logs / "stats").glob("*.json")).read_text())
    step = next(s for s in stats if s["name"].endswith(TamisClean.name))["stats"]
    assert step["inputs"] == 3 and step["split"] == 1 and step["kept"] == 1 and step["removed"] == 1
    assert step["articles"] == 5
    total = {k: v["total"] if isinstance(v, dict) else v for k, v in step.items() if k.startswith("removed:")}
    removed = [Counter(d["metadata"]["removed"]) for d in docs]
    kept = removed[0] + removed[4]  # one count per input: the four articles of "scrape" share theirs
    assert all(total[f"removed:{reason}"] >= spans for reason, spans in kept.items()) and kept["nav"] >= 1
    assert sum(total.values()) > sum(kept.values())  # and the spans of the page that kept nothing


def test_batches_of_any_size_give_the_same_documents(pages, monkeypatch):
    """The step cleans its documents in batches (`stages.CLEAN_BATCH`): a batch of one, a batch that
    splits the input, and one that holds it all give the same documents in the same order."""
    from datatrove.data import Document as DatatroveDocument
    from tamis.integrations import datatrove as step_module
    inputs = [DatatroveDocument(text=r["text"], id=r["id"], metadata={"url": r["url"]})
              for r in rows(pages / "pages.jsonl")] * 2
    outputs = []
    for size in (1, 2, 64):
        monkeypatch.setattr(step_module, "CLEAN_BATCH", size)
        outputs.append([(d.id, d.text, d.metadata) for d in TamisClean().run(iter(inputs))])
    assert outputs[0] == outputs[1] == outputs[2]
    assert [i for i, _, _ in outputs[0]] == ["scrape#1", "scrape#2", "scrape#3", "scrape#4", "feed"] * 2
