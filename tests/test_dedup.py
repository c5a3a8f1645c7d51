"""tamis.dedup: exact, near and contained duplicates, clusters, canonical choice, determinism, and the
short generic text that must not chain unrelated documents."""
from __future__ import annotations

import random

import numpy as np
import pytest

from tamis.dedup import (
    Duplicate, ShingleCache, Signatures, deduplicate, resolve, sign, similarity, text_shingles,
)
from tamis.dedup import minhash as mh
from tamis.hashing import hash64

WORDS = ("council budget river school market winter station doctor village harvest bridge museum "
         "festival election teacher factory island garden library hospital airport minister court "
         "storm season police street family company league coach player match record price energy "
         "water power report plan vote city county state nation world local public private new old "
         "first last early late great small large long short high low open closed free full").split()


def article(seed: int, words: int = 220) -> str:
    """A deterministic article-like text: sentences of 8-16 words from a small vocabulary."""
    rng = random.Random(seed)
    sentences, left = [], words
    while left > 0:
        k = min(left, rng.randint(8, 16))
        sentences.append(" ".join(rng.choice(WORDS) for _ in range(k)).capitalize() + ".")
        left -= k
    return "\n".join(" ".join(sentences[i:i + 3]) for i in range(0, len(sentences), 3))


MENU = "Home\nNews\nSport\nWeather\nSubscribe\nSign in\n"
FOOTER = ("\nAbout us | Contact | Careers | Advertise with us | Terms of use | Privacy policy | Cookie "
          "settings | Accessibility help | Newsletters | Apps | Archive | Corrections | Site map")


def by_id(found: list[Duplicate]) -> dict[str, Duplicate]:
    return {d.id: d for d in found}


def test_exact_duplicate_ignores_case_spacing_and_punctuation():
    text = article(1)
    variant = "  " + text.upper().replace(".", " !").replace("\n", "\n\n") + "  "
    found = deduplicate(["b", "a", "c"], [variant, text, article(2)])
    assert found == [Duplicate("b", "a", "exact", 1.0)]


def test_near_duplicate_with_a_few_words_changed():
    text = article(3)
    words = text.split(" ")
    for at in (20, 90, 160):
        words[at] = "zebra"
    found = deduplicate(["orig", "edit"], [text, " ".join(words)])
    assert len(found) == 1
    assert found[0].kind == "near" and 0.8 <= found[0].score < 1.0


def test_feed_item_contained_in_full_page_scrape():
    body = article(4, words=400)
    page = MENU + body + FOOTER + "\n" + article(40, words=600)  # a long page: related links etc.
    feed = body[: len(body) * 6 // 10]
    page_shingles, feed_shingles = text_shingles(page), text_shingles(feed)
    jac, cont = similarity(feed_shingles, page_shingles)
    assert jac < 0.3 and cont > 0.95  # Jaccard-only dedup would miss it
    found = deduplicate(["page", "feed"], [page, feed])
    assert found == [Duplicate("feed", "page", "contained", pytest.approx(cont, abs=1e-4))]


def test_unrelated_documents_are_not_duplicates():
    texts = [article(seed) for seed in range(10, 20)]
    assert deduplicate([f"d{i}" for i in range(10)], texts) == []


def test_cluster_of_three_points_at_the_most_complete_capture():
    body = article(5, words=300)
    page = MENU + body + FOOTER
    variant = body.replace("\n", " ") + " Share this article."
    excerpt = body[: len(body) // 2]
    found = by_id(deduplicate(["p", "v", "x", "other"], [page, variant, excerpt, article(6)]))
    assert set(found) == {"v", "x"}
    assert found["v"].duplicate_of == "p" and found["x"].duplicate_of == "p"
    assert found["x"].kind == "contained"


def test_canonical_is_longest_then_smallest_id():
    body = article(7)
    found = deduplicate(["z-long", "a-short"], [body + " Read more about it in our archive.", body])
    assert found == [Duplicate("a-short", "z-long", found[0].kind, found[0].score)]
    tie = deduplicate(["y", "x"], [body, body])
    assert tie == [Duplicate("y", "x", "exact", 1.0)]


def test_same_output_whatever_the_input_order():
    body = article(8, words=300)
    docs = {
        "page": MENU + body + FOOTER,
        "body": body,
        "copy": body.lower(),
        "part": body[: len(body) // 2],
        "edit": body.replace("council", "committee", 2),
        "other": article(9),
        "other2": article(9) + " Updated.",
        "empty": "",
    }
    expected = deduplicate(list(docs), list(docs.values()))
    assert {d.id for d in expected} == {"body", "copy", "part", "edit", "other"}
    rng = random.Random(0)
    for _ in range(5):
        ids = list(docs)
        rng.shuffle(ids)
        assert deduplicate(ids, [docs[i] for i in ids]) == expected


def test_short_generic_text_does_not_chain_unrelated_documents():
    """A site footer in every page of the site is contained in each; it must not join them."""
    generic = ("This website uses cookies to improve your experience and to show you personalised "
               "advertising; by continuing to browse you accept our use of cookies as described in "
               "our cookie policy, which you can change at any time in your browser settings.")
    pages = {f"page{i}": article(100 + i) + "\n" + generic for i in range(4)}
    ids = [*pages, "banner", "banner-copy"]
    texts = [*pages.values(), generic, generic + " "]
    assert text_shingles(generic).size >= 30
    found = by_id(deduplicate(ids, texts))
    clusters = {d.duplicate_of for d in found.values()} | {i for i in ids if i not in found}
    # the pages stay apart: none is a duplicate of another
    assert not any(found.get(p) and found[p].duplicate_of.startswith("page") for p in pages)
    assert found["banner-copy"] == Duplicate("banner-copy", "banner", "exact", 1.0)
    assert len(clusters) >= 5


def test_tiny_text_is_not_called_contained():
    body = article(11)
    title = " ".join(body.split()[:12])
    assert deduplicate(["page", "title"], [body, title]) == []
    assert deduplicate(["page", "title"], [body, title], min_contained=5)[0].kind == "contained"


def test_thresholds_are_options():
    text = article(12)
    words = text.split(" ")
    for at in range(10, len(words), 12):
        words[at] = "zebra"
    edited = " ".join(words)
    jac, _ = similarity(text_shingles(text), text_shingles(edited))
    assert 0.3 < jac < 0.8
    assert deduplicate(["a", "b"], [text, edited]) == []
    assert len(deduplicate(["a", "b"], [text, edited], jaccard=jac - 0.01)) == 1


def test_empty_texts_and_bad_input():
    assert deduplicate([], []) == []
    assert deduplicate(["a", "b"], ["", "  ..  "]) == []
    with pytest.raises(ValueError):
        deduplicate(["a", "a"], ["x", "y"])
    with pytest.raises(ValueError):
        deduplicate(["a"], ["x", "y"])


def test_shingles_are_order_sensitive_and_short_texts_get_one():
    assert text_shingles("one two three").size == 1
    assert text_shingles("a b c d e f").size == 2
    forward = text_shingles("a b c d e f g")
    assert not np.array_equal(forward, text_shingles("g f e d c b a"))
    assert np.all(np.diff(forward.astype(np.float64)) > 0)  # sorted, unique


def test_signatures_exact_hash_is_the_projects_hash64():
    texts = ["Hello,  World!", article(13), ""]
    sig = sign(texts)
    assert [int(h) for h in sig.exact] == [hash64(t) for t in texts]
    assert sig.length[2] == 0 and sig.shingles[2] == 0
    assert sig.minhash.shape == (3, 128) and sig.minhash.dtype == np.uint32


def test_anchors_of_a_contained_text_are_among_the_containers():
    body = article(14, words=400)
    sig = sign([MENU + body + FOOTER, body[: len(body) // 2]])
    inner, outer = sig.anchors_of(1), sig.anchors_of(0)
    assert inner.size > 5
    assert np.isin(inner, outer).all()


@pytest.mark.parametrize("method", ["numpy", pytest.param("rensa", marks=pytest.mark.skipif(
    mh.rensa is None, reason="rensa not installed"))])
def test_minhash_estimates_jaccard(method):
    rng = np.random.default_rng(0)
    universe = rng.integers(0, 2**63, 3000, dtype=np.uint64)
    a, b = np.sort(universe[:2000]), np.sort(universe[1000:])  # Jaccard 1000/3000
    flat = np.concatenate([a, b, universe[:0]])
    matrix = mh.minhash_matrix(flat, np.array([0, 2000, 4000, 4000]), 256, seed=3, method=method)
    assert matrix.shape == (3, 256)
    assert abs(np.mean(matrix[0] == matrix[1]) - 1 / 3) < 0.1
    assert (matrix[2] == mh.EMPTY_VALUE).all()  # an empty row


def _minhash_bytes(texts: list[str]) -> bytes:
    return sign(texts).minhash.tobytes()


@pytest.mark.skipif(mh.rensa is None, reason="rensa not installed")
def test_a_process_forked_after_signing_signs_too():
    """rensa runs a call of many rows on a thread pool, which a forked child lacks: the child's first
    such call waited forever (a second run with workers, in one process). Signing never starts it."""
    import multiprocessing
    texts = [article(k, words=60) for k in range(600)]
    here = _minhash_bytes(texts)  # the parent signs first
    with multiprocessing.get_context("fork").Pool(1) as pool:
        assert pool.apply_async(_minhash_bytes, (texts,)).get(timeout=60) == here


def test_numpy_and_native_minhash_give_the_same_duplicates():
    body = article(15, words=300)
    ids = ["a", "b", "c", "d"]
    texts = [MENU + body + FOOTER, body, body.replace("river", "lake", 3), article(16)]
    assert deduplicate(ids, texts, method="numpy") == deduplicate(ids, texts)


def test_sharded_sign_then_resolve_equals_deduplicate():
    body = article(17, words=300)
    docs = {"a": MENU + body + FOOTER, "b": body, "c": article(18), "d": article(18) + " Updated.",
            "e": body[: len(body) // 2]}
    ids = sorted(docs)
    shards = [ids[:2], ids[2:4], ids[4:]]
    merged = Signatures.concat([sign([docs[i] for i in shard]) for shard in shards])
    assert len(merged) == len(ids)
    assert merged.anchors_of(4).tolist() == sign([docs["e"]]).anchors_of(0).tolist()
    found = resolve(ids, merged, ShingleCache(lambda row: text_shingles(docs[ids[row]])))
    assert found == deduplicate(list(docs), list(docs.values()))
    with pytest.raises(ValueError):
        Signatures.concat([sign(["x"], num_perm=64), sign(["y"])])
    streamed = sign(docs[i] for i in ids)  # any iterable: sign is a streaming map
    assert np.array_equal(streamed.minhash, merged.minhash)
    assert np.array_equal(streamed.anchors, merged.anchors)


def test_signing_each_distinct_text_once_gives_every_row_as_sign_does():
    from tamis.dedup.signatures import sign_distinct
    body = article(20, words=300)
    texts = [body, "", MENU + body, body, "", article(21), MENU + body]
    normalized = [None, "", None, None, None, None, None]
    distinct, rows = sign_distinct(texts, normalized)
    once, each = distinct.take(rows), sign(texts)
    assert len(distinct) == 4
    for name in ("exact", "length", "shingles", "minhash", "anchors", "anchor_offsets"):
        assert np.array_equal(getattr(once, name), getattr(each, name)), name
    assert once.anchors_of(3).size > 10
    picked = each.take(np.array([5, 0, 0], dtype=np.int64))
    assert np.array_equal(picked.anchors_of(0), each.anchors_of(5))
    assert np.array_equal(picked.minhash[2], each.minhash[0]) and len(picked) == 3


def test_scores_are_measured_against_the_canonical():
    body = article(19, words=300)
    page = MENU + body + FOOTER
    found = by_id(deduplicate(["page", "body"], [page, body]))
    jac, cont = similarity(text_shingles(body), text_shingles(page))
    assert found["body"].score == pytest.approx(jac if found["body"].kind == "near" else cont, abs=1e-4)


def test_a_crowded_bucket_pairs_each_member_with_the_longest_only():
    from tamis.dedup.lsh import _group_pairs

    keys = np.array([5] * 6 + [9] * 2 + [11], dtype=np.uint64)
    members = np.array([0, 2, 3, 7, 8, 9, 1, 4, 6])  # ranks, ascending within a key
    lo, hi = _group_pairs(keys, members, top=2)
    pairs = set(zip(lo.tolist(), hi.tolist()))
    assert pairs == {(0, 2), (0, 3), (2, 3), (0, 7), (2, 7), (0, 8), (2, 8), (0, 9), (2, 9), (1, 4)}


def test_candidates_find_a_short_text_inside_a_long_one():
    from tamis.dedup import candidate_pairs

    body = article(20, words=150)
    long_page = MENU + article(21, words=1500) + "\n" + body + "\n" + article(22, words=1500)
    texts = [long_page, body, article(23)]
    sig = sign(texts)
    jac, cont = similarity(text_shingles(body), text_shingles(long_page))
    assert jac < 0.06 and cont == 1.0  # far below what MinHash bands can see
    rank = np.array([0, 1, 2])
    pairs = candidate_pairs(sig, rank, np.arange(3), jaccard=0.8, min_contained=30)
    assert [0, 1] in pairs.tolist()


def test_prefer_breaks_ties_in_length_before_the_id():
    body = article(24)
    assert deduplicate(["a", "b"], [body, body])[0].duplicate_of == "a"
    found = deduplicate(["a", "b"], [body, body], prefer=[1.0, 5.0])
    assert found == [Duplicate("a", "b", "exact", 1.0)]
    longer = deduplicate(["a", "b"], [body + " More.", body], prefer=[1.0, 5.0])
    assert longer[0].duplicate_of == "a"  # length comes first


SHOP = " ".join(f"{w}" for w in (
    "Free shipping on orders over 75 easy returns skip to content men women sale about rerun shoes socks "
    "apparel new arrivals bestsellers sneakers slip ons slippers all weather sandals customer favourites "
    "tree runner varsity dasher cruiser socks no show ankle crew all socks tees sweats bags insoles gift "
    "cards laces final few sale shoes sale apparel sign up for our newsletter and hear about new colours "
    "first help returns shipping contact us our story our materials sustainability careers press "
    "affiliates privacy policy terms of use accessibility cookie settings").split())


def test_raw_captures_join_a_page_the_cleaner_cut_two_ways():
    # One product page, two captures: the cleaner kept the reviews of one and cut the other to the
    # first lines of the description. The cleaned texts share nothing; the raw captures hold both.
    description, reviews = article(30, words=120), article(31, words=200)
    raw = [SHOP + "\n" + description + "\n" + reviews + "\n" + SHOP,
           SHOP + "\n" + description + "\n" + reviews]
    cleaned = [reviews, " ".join(description.split()[:45])]
    assert deduplicate(["a", "b"], cleaned) == []
    found = deduplicate(["a", "b"], cleaned, raw=raw)
    assert [(d.id, d.duplicate_of) for d in found] == [("b", "a")]


def test_two_products_of_one_shop_stay_apart_though_their_raw_pages_are_alike():
    template = SHOP + "\n" + article(35, words=600)  # menus, product cards, footer: all shared
    raw = [template + "\n" + article(32, words=60), template + "\n" + article(33, words=60)]
    cleaned = [article(32, words=60), article(33, words=60)]
    assert deduplicate(["a", "b"], raw) != []  # on raw text alone they are near duplicates
    assert deduplicate(["a", "b"], cleaned, raw=raw) == []


def test_two_pages_of_one_shop_alike_in_size_must_each_hold_the_others_text():
    # Two pages of one shop: the smaller's raw page is 85% inside the larger's (template and a
    # returns policy that the cleaner kept in both), at a raw Jaccard under 0.5 since the larger one
    # also lists its reviews. Alike in size, so each page must hold the other's cleaned text: the
    # larger one's description and reviews are not in the smaller page.
    template, policy = article(40, words=400), article(41, words=150)
    small_desc, large_desc, reviews = article(42, words=100), article(43, words=100), article(44, words=400)
    raw = [template + "\n" + policy + "\n" + large_desc + "\n" + reviews,
           template + "\n" + policy + "\n" + small_desc]
    cleaned = [policy + "\n" + large_desc + "\n" + reviews, policy + "\n" + small_desc]
    jaccard, contained = similarity(text_shingles(raw[0]), text_shingles(raw[1]))
    assert jaccard < 0.5 and contained > 0.8
    assert deduplicate(["a", "b"], cleaned) == []
    assert deduplicate(["a", "b"], cleaned, raw=raw) == []
    # the same smaller page as a mere excerpt of a much larger capture of it still joins it
    whole = raw[1] + "\n" + article(45, words=900)
    found = deduplicate(["a", "b"], [policy + "\n" + small_desc + "\n" + article(45, words=900),
                                     cleaned[1]], raw=[whole, raw[1]])
    assert [(d.id, d.duplicate_of) for d in found] == [("b", "a")]


def test_a_body_rewritten_in_places_is_contained_from_075_beside_raw_captures():
    # A human-written body beside a tool's rendering of the page: one word in 22 differs, so that
    # 77% of the body's 5-grams are in the rendering. One text per document keeps 0.9 (two articles
    # of one news site reach 0.84 on raw text); beside the raw captures, 0.75 is enough.
    rendering = article(50, words=450)
    words = rendering.split()
    body = " ".join("rewritten" if i % 22 == 11 else w for i, w in enumerate(words[:400]))
    contained = similarity(text_shingles(body), text_shingles(rendering))[1]
    assert 0.75 <= contained < 0.8
    assert deduplicate(["page", "body"], [rendering, body]) == []
    found = deduplicate(["page", "body"], [rendering, body], raw=[MENU + rendering + FOOTER, body])
    assert [(d.id, d.duplicate_of, d.kind) for d in found] == [("body", "page", "contained")]


def test_an_emptied_capture_falls_in_its_pages_cluster_and_is_never_canonical():
    body = article(34, words=250)
    page = SHOP + "\n" + body
    found = deduplicate(["full", "stub", "menu"], [body, body[:600], ""], raw=[page, body[:600], SHOP])
    assert {d.id: d.duplicate_of for d in found} == {"stub": "full", "menu": "full"}
    # a cluster of emptied captures only has no canonical document: nobody is its duplicate
    assert deduplicate(["x", "y"], ["", ""], raw=[SHOP, SHOP]) == []
    with pytest.raises(ValueError):
        deduplicate(["a"], ["text"], raw=[])


def test_a_notice_that_is_a_large_part_of_two_pages_does_not_bridge_them():
    # A consent notice kept by the cleaner in two pages of two sites, and split out of a third page
    # as a text of its own: it is most of each page (Jaccard above the bridge), yet generic.
    notice = article(36, words=300)
    pages = [notice + "\n" + article(37, words=200), notice + "\n" + article(38, words=200), notice]
    assert deduplicate(["a", "b", "n"], pages) == []  # the notice joins neither page


def test_a_body_held_by_two_renderings_of_its_page_joins_them_a_notice_held_by_two_pages_does_not():
    # One page rendered two ways: each rendering keeps the body and something the other lacks (a
    # country list, the images' alt texts), so the cleaned renderings share little, and their raw
    # captures (Jaccard 0.54, 70% contained) are too far apart to be duplicates themselves. The body
    # and a capture a few words longer are contained in both: the raw captures are alike, so the
    # body is that page's, not a generic text, and the two renderings meet through it.
    template, body = article(60, words=600), article(61, words=100)
    countries, alt_texts = article(62, words=300), article(63, words=300)
    cleaned = [body + "\n" + countries, body + "\n" + alt_texts, body, body + " Read more below."]
    raw = [template + "\n" + cleaned[0], template + "\n" + cleaned[1], body, cleaned[3]]
    assert similarity(text_shingles(raw[0]), text_shingles(raw[1]))[0] >= 0.5
    ids = ["full-a", "full-b", "body", "main"]
    found = deduplicate(ids, cleaned, raw=raw)
    assert sorted(d.id for d in found) == ["body", "full-b", "main"]
    assert {d.duplicate_of for d in found} == {"full-a"}
    # a notice that two pages of two sites kept, whose raw captures are not alike, joins neither
    notice = article(64, words=60)
    pages = [notice + "\n" + article(65, words=300), notice + "\n" + article(66, words=300)]
    raw = [MENU + pages[0] + FOOTER, "Other site\n" + pages[1], notice]
    assert deduplicate(["a", "b", "n"], pages + [notice], raw=raw) == []


def test_a_scrap_the_cleaner_left_of_a_capture_does_not_part_it_from_its_page():
    # Two renderings of one product page, alike in raw text; the cleaner cut one to a scrap of a
    # few words that the other rendering does not show. Too short to be called contained, the scrap
    # is too short to disagree: the two captures meet through their raw pages.
    body = article(70, words=200)
    raw = [SHOP + "\n" + body, SHOP + "\n" + body + "\nSold out. Notify me when available"]
    cleaned = [body, "Sold out. Notify me when available"]
    assert len(text_shingles(cleaned[1])) < 30
    found = deduplicate(["a", "b"], cleaned, raw=raw)
    assert [(d.id, d.duplicate_of) for d in found] == [("b", "a")]

