"""`tamis run` end to end: the bundled example, bad inputs, the ledger, worker-count determinism."""
import gzip
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import tamis
from tamis.cli import main

EXAMPLES = Path(__file__).parent.parent / "examples"
PARA = ("The council met on Tuesday to discuss the new budget, which includes funds for road repairs, two "
        "new schools and a long-delayed upgrade of the water system in the northern districts of the city.")


def rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def seeds_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("seeds")
    assert main(["run", str(EXAMPLES), "-o", str(out), "--quiet"]) == 0
    return out


def test_seeds_give_one_main_article_three_secondaries_and_the_feed_as_duplicate(seeds_out):
    docs = {d["id"]: d for d in rows(seeds_out / "documents.jsonl")}
    assert sorted(docs) == [f"page_full_scrape#{k}" for k in range(1, 5)]
    main_doc = docs["page_full_scrape#1"]
    assert main_doc["role"] == "main" and main_doc["source"] == "page_full_scrape"
    assert [docs[f"page_full_scrape#{k}"]["role"] for k in (2, 3, 4)] == ["secondary"] * 3
    assert main_doc["provenance"]["publisher"] == "The Duran"  # learned from the feed duplicate's footer
    dups = rows(seeds_out / "duplicates.jsonl")
    assert [(d["id"], d["duplicate_of"]) for d in dups] == [("page_feed_item", "page_full_scrape#1")]
    # Cleaned, both captures hold the same article text: an exact duplicate of the cleaned text (on raw
    # text it would only be contained: Jaccard 0.39, containment 0.96).
    assert dups[0]["kind"] in ("exact", "near", "contained") and dups[0]["score"] > 0.8
    ledger = {r["source"]: r for r in rows(seeds_out / "ledger.jsonl")}
    assert ledger["page_full_scrape"]["status"] == "split"
    assert ledger["page_full_scrape"]["outputs"] == [f"page_full_scrape#{k}" for k in range(1, 5)]
    assert ledger["page_feed_item"]["status"] == "duplicate"
    report = (seeds_out / "report.html").read_text(encoding="utf-8")
    assert "feed-footer" in report and "page_feed_item" in report


def test_documents_are_sorted_by_id(seeds_out):
    ids = [d["id"] for d in rows(seeds_out / "documents.jsonl")]
    assert ids == sorted(ids)


def write_bad_inputs(folder: Path) -> None:
    folder.mkdir()
    (folder / "good.txt").write_text(f"Title of a good page\n\n{PARA}\n{PARA} Again.\n", encoding="utf-8")
    (folder / "latin1.txt").write_bytes(f"Caf\xe9 cr\xe8me\n\n{PARA}\n".encode("cp1252"))
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "huge.txt").write_text(("word " * 420_000).strip(), encoding="utf-8")
    good = [{"id": f"rec{k}", "text": f"{PARA} Record {k} is about topic number {k * 7919}."} for k in range(3)]
    good[1]["text"] += " A lone surrogate: \ud800."  # valid JSON that no UTF-8 writer takes
    lines = [json.dumps(good[0]), "{not json", json.dumps(good[1]), json.dumps({"id": "no-text"}), json.dumps(good[2])]
    (folder / "records.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = gzip.compress(("\n".join(json.dumps({"id": f"gz{k}", "text": f"{PARA} Item {k * 104729}."}) for k in range(50)) + "\n").encode())
    (folder / "cut.jsonl.gz").write_bytes(data[: len(data) // 2])


def test_bad_inputs_are_recorded_and_good_records_come_out(tmp_path):
    write_bad_inputs(tmp_path / "in")
    summary = tamis.run([tmp_path / "in"], tmp_path / "out", progress=False, dedup=False)
    ledger = rows(tmp_path / "out" / "ledger.jsonl")
    by_source = {r["source"]: r for r in ledger}
    assert by_source["binary"]["status"] == "unreadable" and "binary" in by_source["binary"]["reason"]
    assert by_source["empty"]["status"] == "unreadable" and "empty" in by_source["empty"]["reason"]
    assert by_source["records:2"]["reason"].startswith("bad-json")
    assert by_source["no-text"]["status"] == "unreadable"
    assert by_source["rec1"]["status"] == "kept"
    assert any(r["reason"].startswith("truncated-gzip") for r in ledger)
    outputs = {o for r in ledger for o in r["outputs"]}
    assert {"good", "latin1", "rec0", "rec1", "rec2", "gz0"} <= outputs
    assert by_source["huge"]["status"] in ("kept", "removed")
    docs = {d["id"]: d for d in rows(tmp_path / "out" / "documents.jsonl")}
    assert "Café crème" in docs["latin1"]["text"] or "council" in docs["latin1"]["text"]
    assert summary["inputs"] == len(ledger)


def test_worker_count_does_not_change_output(tmp_path):
    write_bad_inputs(tmp_path / "in")
    shutil.copytree(EXAMPLES, tmp_path / "in" / "examples")
    tamis.run([tmp_path / "in"], tmp_path / "one", workers=1, progress=False)
    tamis.run([tmp_path / "in"], tmp_path / "two", workers=2, progress=False)
    for name in ("documents.jsonl", "duplicates.jsonl", "ledger.jsonl"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


def test_exact_duplicates_are_dropped(tmp_path):
    (tmp_path / "in").mkdir()
    for name in ("a", "b"):
        (tmp_path / "in" / f"{name}.txt").write_text(f"{PARA}\n{PARA} The end.\n", encoding="utf-8")
    tamis.run([tmp_path / "in"], tmp_path / "out", progress=False)
    dups = rows(tmp_path / "out" / "duplicates.jsonl")
    assert [(d["id"], d["duplicate_of"], d["kind"]) for d in dups] == [("b", "a", "exact")]


def test_copies_of_one_page_are_duplicates_not_template(tmp_path):
    # Three captures of one url, each in its own shard: the site's template is learned from distinct
    # pages, so the copies cannot make the article look like the site's template and vanish.
    page = (EXAMPLES / "page_full_scrape.txt").read_text(encoding="utf-8")
    with open(tmp_path / "in.jsonl", "w", encoding="utf-8") as f:
        for k in range(3):
            f.write(json.dumps({"id": f"copy{k}", "url": "https://news.example/a#top", "text": page}) + "\n")
    tamis.run([tmp_path / "in.jsonl"], tmp_path / "out", progress=False, chunk_size=1)
    ledger = {row["source"]: row for row in rows(tmp_path / "out" / "ledger.jsonl")}
    assert all(row["status"] != "removed" for row in ledger.values()), ledger
    mains = [d for d in rows(tmp_path / "out" / "documents.jsonl") if d["role"] == "main"]
    assert [d["id"] for d in mains] == ["copy0#1"]
    dups = rows(tmp_path / "out" / "duplicates.jsonl")
    assert {d["kind"] for d in dups} == {"exact"} and len(dups) == 8  # 4 articles x 2 copies


def test_command_line_prints_a_summary(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "tamis.cli", "run", str(EXAMPLES), "-o", str(tmp_path / "o")],
                          capture_output=True, text=True, check=True)
    assert "2 inputs -> 4 documents kept, 1 duplicates" in proc.stdout


def test_short_records_that_are_sentences_are_kept_and_boilerplate_one_liners_removed(tmp_path):
    # Issue 15, item 4: in one run, two one-sentence records came out kept and removed
    # ("before-article"), whatever page type each was guessed to be.
    sentences = {
        "plain": ("The council approved the new budget on Tuesday after a long debate.",
                  "https://news.example/2024/05/14/council-approves-budget-after-long-debate"),
        "number": ("About 1,200 people attended the festival in the old town on Saturday.",
                   "https://www.example.org/events/festival"),
        "question": ("Why did the city close the only public pool in the northern districts this summer?", None),
        "german": ("Die Regierung hat am Dienstag neue Regeln für den Datenschutz in Schulen beschlossen.",
                   "https://www.example.de/politik/datenschutz-schulen"),
        "pitch": ("We offer professional cleaning services for homes and offices across the city.",
                  "https://cleaning.example/services"),
        "lede": ("BERLIN (Reuters) - Germany's economy shrank in the third quarter, official data showed on Friday.",
                 "https://www.reuters.example/world/europe/germany-economy-shrinks-2024-10-30/"),
        "brief": ("Rain is expected tomorrow.", None),
    }
    junk = {"newsletter": ("Subscribe to our newsletter", "boilerplate:account"),
            "cookies": ("Accept cookies", "boilerplate:legal"), "views": ("2,933 Views", "counter")}
    with open(tmp_path / "in.jsonl", "w", encoding="utf-8") as f:
        for key, (text, url) in sentences.items():
            f.write(json.dumps({"id": key, "text": text, **({"url": url} if url else {})}) + "\n")
        for key, (text, _) in junk.items():
            f.write(json.dumps({"id": key, "text": text}) + "\n")
    tamis.run([tmp_path / "in.jsonl"], tmp_path / "out", progress=False)
    ledger = {row["source"]: row for row in rows(tmp_path / "out" / "ledger.jsonl")}
    for key in sentences:
        assert ledger[key]["status"] == "kept" and ledger[key]["outputs"] == [key], ledger[key]
    for key, (_, reason) in junk.items():
        assert ledger[key]["status"] == "removed" and reason in ledger[key]["reason"], ledger[key]
    docs = {d["id"]: d["text"] for d in rows(tmp_path / "out" / "documents.jsonl")}
    assert docs == {key: text for key, (text, _) in sentences.items()}


def test_a_capture_the_cleaner_empties_says_in_the_ledger_which_cluster_it_fell_in(tmp_path):
    menu = "\n".join(["Home", "News", "Sport", "Weather", "Shop", "Sign in", "Subscribe", "Contact us",
                      "About us", "Careers", "Newsletters", "Podcasts", "Video", "Local", "Business",
                      "Opinion", "Culture", "Travel", "Science", "Health", "Education", "Environment",
                      "Technology", "Motoring", "Property", "Jobs", "Puzzles", "Crosswords", "Letters",
                      "Archive", "Events", "Offers", "Help", "Privacy", "Cookies", "Terms"])
    other = "\n".join(f"Section {w}" for w in ("alpha beta gamma delta epsilon zeta eta theta iota kappa "
                                               "lambda omicron sigma tau upsilon omega").split())
    records = [{"id": "page", "text": menu + "\n" + "\n\n".join([PARA] * 1) + "\n" + PARA.replace("council", "mayor")},
               {"id": "menu", "text": menu}, {"id": "alone", "text": other}]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    tamis.run([str(src)], tmp_path / "out", progress=False)
    ledger = {r["source"]: r for r in rows(tmp_path / "out" / "ledger.jsonl")}
    assert ledger["page"]["status"] == "kept"
    assert ledger["menu"]["status"] == "duplicate" and ledger["menu"]["duplicate_of"] == ["page"]
    assert "raw capture" in ledger["menu"]["reason"] and "no content left" in ledger["menu"]["reason"]
    assert ledger["alone"]["status"] == "removed" and ledger["alone"]["reason"].startswith("no content left")
    assert [d["id"] for d in rows(tmp_path / "out" / "documents.jsonl")] == ["page"]
    assert rows(tmp_path / "out" / "duplicates.jsonl") == []


def test_a_shard_signs_its_texts_as_dedup_would_sign_them_from_scratch():
    """clean_shard hands dedup the cleaner's normalised texts (`Article.normalized`): the signatures
    must be those of the texts written, cleaned and raw, an emptied record's raw capture included; and
    the raw captures it keeps for verification (`raw_texts`) are `normalize` of the records' texts."""
    import numpy as np

    from tamis.dedup import sign
    from tamis.dedup.dedup import NUM_PERM, SEED
    from tamis.document import Document
    from tamis.hashing import normalize
    from tamis.stages import Shard, clean_shard

    here = Path(__file__).parent
    texts = [p.read_text(encoding="utf-8") for p in sorted((here.parent / "examples").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((here / "fixtures").glob("*.txt"))]
    texts += ["Share this\nSubscribe to our newsletter", "Straße İstanbul ﬁnale: a line of words, ½ x² \u2028 Ab"]
    out = clean_shard(None, Shard(0, [Document(f"d{k}", text=t) for k, t in enumerate(texts)]))
    docs = [json.loads(line) for line in out.docs.decode("utf-8").splitlines()]
    assert len(docs) > len(texts) - 2 and out.ghosts  # some split, one record emptied
    by_id = {f"d{k}": t for k, t in enumerate(texts)}
    raw = [by_id[d["source"]] if d["role"] == "main" else "" for d in docs] + [by_id[g] for g in out.ghosts]
    kept = [out.raw_texts[a:b].decode("utf-8") for a, b in zip(out.raw_offsets[:-1], out.raw_offsets[1:])]
    assert kept == [normalize(r) for r in raw]
    assert sum(1 for r in kept if r) == sum(d["role"] == "main" for d in docs) + len(out.ghosts)
    cleaned = [d["text"] for d in docs] + [""] * len(out.ghosts)
    for got, texts_signed in ((out.signatures, cleaned), (out.raw_signatures, raw)):
        want = sign(texts_signed, num_perm=NUM_PERM, seed=SEED)
        for name in ("exact", "length", "shingles", "minhash", "anchors", "anchor_offsets"):
            assert np.array_equal(getattr(got, name), getattr(want, name)), name


def test_a_record_that_breaks_the_cleaner_loses_only_itself_not_its_batch(tmp_path, monkeypatch):
    # Text records are cleaned in batches (stages.cleaned): a record whose cleaning raises makes its
    # batch fail, and the batch's records are then cleaned one by one. The bad one gets its error in
    # the ledger; the others come out as they do in a run without it.
    from tamis.clean import cleaner
    (tmp_path / "in").mkdir()
    records = [{"id": f"r{k}", "text": f"Headline {k}\n{PARA} Item {k}.\n{PARA} The end of {k}."} for k in range(5)]
    poison = {"id": "poison", "text": f"Poisoned headline\n{PARA} POISON.\n{PARA}"}
    with open(tmp_path / "in" / "a.jsonl", "w", encoding="utf-8") as f:
        for r in records[:2] + [poison] + records[2:]:
            f.write(json.dumps(r) + "\n")
    real = cleaner.language

    def language(text):
        if "POISON" in text:
            raise ValueError("a cleaner bug")
        return real(text)
    monkeypatch.setattr(cleaner, "language", language)
    tamis.run([tmp_path / "in"], tmp_path / "out", workers=1, progress=False, dedup=False)
    by_source = {r["source"]: r for r in rows(tmp_path / "out" / "ledger.jsonl")}
    assert by_source["poison"]["status"] == "unreadable"
    assert by_source["poison"]["reason"] == "error:ValueError: a cleaner bug"
    assert [by_source[r["id"]]["status"] for r in records] == ["kept"] * 5
    monkeypatch.undo()
    (tmp_path / "in" / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    tamis.run([tmp_path / "in"], tmp_path / "clean", workers=1, progress=False, dedup=False)
    assert rows(tmp_path / "out" / "documents.jsonl") == rows(tmp_path / "clean" / "documents.jsonl")
