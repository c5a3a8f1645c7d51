"""clean_text on the bundled example and on small pages written for the tests."""
from pathlib import Path

import tamis
from tamis.clean import TemplateCounts, split_blocks

EXAMPLES = Path(__file__).parent.parent / "examples"
FULL = (EXAMPLES / "page_full_scrape.txt").read_text(encoding="utf-8")
FEED = (EXAMPLES / "page_feed_item.txt").read_text(encoding="utf-8")
PARA = ("The council met on Tuesday to discuss the new budget, which includes funds for road repairs, "
        "two new schools and a long-delayed upgrade of the water system in the northern districts. ")


def reasons(result):
    return {s.reason for s in result.removed}


def test_feed_item_loses_css_script_footer_and_source():
    r = tamis.clean_text(FEED)
    assert r.text.startswith("Russia’s Deputy Foreign Minister Igor Morgulov")
    for junk in ("@media", "adsbygoogle", "appeared first on", "\nSource"):
        assert junk not in r.text
    assert {"css", "script", "feed-footer", "boilerplate:source"} <= reasons(r)
    assert r.provenance["publisher"] == "The Duran"  # read from the footer, not from any rule


def test_full_page_splits_into_main_and_three_secondaries():
    r = tamis.clean_text(FULL)
    assert [a.role for a in r.articles] == ["main", "secondary", "secondary", "secondary"]
    main = r.articles[0]
    assert main.title == "The contrasting Russian/Chinese vs. US models for geo-economic diplomacy"
    assert main.text.startswith("Russia’s Deputy Foreign Minister Igor Morgulov")
    assert main.text.rstrip().endswith("Russia is taking the diplomatic and economic lead.")
    for junk in ("2,933 Views", "Patreon", "Leave a Reply", "Published", "Click to comment", "Michael Cohen"):
        assert junk not in main.text
    assert r.articles[1].title.startswith("EXPLOSIVE: Michael Cohen sentencing memo")
    assert r.articles[1].provenance.get("via") == "Axios"
    assert "Via Axios" not in r.articles[1].text
    assert r.articles[2].provenance["authors"] == ["Finian Cunningham"]


def test_inline_teaser_between_paragraphs_is_removed():
    r = tamis.clean_text(FEED)
    assert "The new Middle East: A North/South divide" not in r.text
    assert "Two Koreas–One Road" not in r.text


def test_every_removed_span_points_into_the_input():
    r = tamis.clean_text(FULL)
    assert r.removed
    for span in r.removed:
        assert FULL[span.start:span.end] == span.text
        assert span.reason


def test_site_template_learned_across_documents():
    pages = [f"Example Shop Navigation Bar With Many Links\n{PARA * (k + 1)}\nStory number {k} ends here with a long line of text that is content.\n" for k in range(4)]
    counts = TemplateCounts()
    for page in pages:
        counts.add("shop.example", [b.text for b in split_blocks(page)])
    table = counts.table()
    r = tamis.clean_text(pages[0], url="https://www.shop.example/a", templates=table)
    assert "template:site" in reasons(r)
    assert "Navigation Bar" not in r.text
    assert "council met" in r.text


def test_empty_and_whitespace_text():
    assert tamis.clean_text("").articles == []
    assert tamis.clean_text("   \n\n  ").text == ""


def test_huge_single_line_is_handled():
    line = "word " * 400_000  # 2 MB, no newline
    r = tamis.clean_text(line)
    assert isinstance(r.text, str)


def test_language_goes_into_meta():
    german = ("Die Regierung hat am Dienstag neue Regeln für den Datenschutz in Schulen beschlossen, die ab "
              "dem kommenden Schuljahr gelten und von Elternverbänden seit langem gefordert wurden.\n") * 3
    assert tamis.clean_text(german).meta["language"] == "de"
    assert tamis.clean_text(FEED).meta["language"] == "en"


def test_page_type_goes_into_meta():
    assert tamis.clean_text(FULL).meta["page_type"] == "article"
    thread = "\n".join(
        f"user{k}\nPosted on March {k + 1}, 2024 at 10:{k:02d}\nI had the same problem with the update; rolling back to the "
        f"previous version fixed it for me, but the logs still show error {k * 17}.\nReply\nQuote"
        for k in range(8))
    r = tamis.clean_text("Update broke my setup - Community Forum\n" + thread, url="https://community.example.org/t/update-broke-my-setup/12345")
    assert r.meta["page_type"] == "forum"


def test_german_page_loses_impressum_and_datenschutz_footer():
    text = (Path(__file__).parent / "fixtures" / "german_news.txt").read_text(encoding="utf-8")
    r = tamis.clean_text(text, url="https://www.stadtanzeiger.example/politik/radwege")
    assert r.title == "Neue Radwege für die Innenstadt"
    assert r.text.startswith("Der Stadtrat hat am Dienstagabend")
    assert "Kritik kam von den Einzelhändlern" in r.text
    for junk in ("Impressum", "Datenschutz", "Alle Rechte vorbehalten", "Anmelden", "Teilen", "Startseite"):
        assert junk not in r.text
    assert {"boilerplate:legal", "boilerplate:share", "boilerplate:account"} <= reasons(r)
    assert r.meta["language"] == "de"
