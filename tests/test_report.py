"""report.html: what it shows of the seeds run (both captures' removed boilerplate with reasons, the
duplicate pair), that it is self-contained, and that headless Chromium renders it on a phone-sized
window with no console error (skipped where Chromium is not installed; CI installs it)."""
from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest

import tamis
from test_engines import EXAMPLES, news_corpus


@pytest.fixture(scope="module")
def seeds_report(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("seeds-report")
    tamis.run([EXAMPLES], out, progress=False)
    return (out / "report.html").read_text(encoding="utf-8")


class Struck(HTMLParser):
    """Each struck-through span of the report with the reason label that follows it."""

    def __init__(self) -> None:
        super().__init__()
        self.pairs: list[tuple[str, str]] = []
        self.where: str | None = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        if tag == "del":
            self.where, self.text = "del", ""
        elif tag == "span" and ("class", "why") in attrs and self.where == "after-del":
            self.where = "why"
            self.reason = ""

    def handle_endtag(self, tag):
        if tag == "del":
            self.where = "after-del"
        elif tag == "span" and self.where == "why":
            self.pairs.append((self.text, self.reason))
            self.where = None

    def handle_data(self, data):
        if self.where == "del":
            self.text += data
        elif self.where == "why":
            self.reason += data


def section(html: str, title: str) -> str:
    start = html.index(f"<h2>{title}")
    end = html.find("<h2>", start + 4)
    return html[start:end if end > 0 else None]


def test_report_shows_both_captures_removals_with_reasons(seeds_report):
    samples = section(seeds_report, "What was removed")
    parser = Struck()
    parser.feed(samples)
    by_reason: dict[str, list[str]] = {}
    for text, reason in parser.pairs:
        by_reason.setdefault(reason, []).append(text)
    # the feed item's CSS, ad script and feed footer; the page's navigation and widgets
    assert any("@media" in t for t in by_reason["css"])
    assert any("adsbygoogle" in t for t in by_reason["script"])
    assert any("appeared first on" in t for t in by_reason["feed-footer"])
    assert "nav" in by_reason and "counter" in by_reason and any(r.startswith("boilerplate") for r in by_reason)
    assert "page_feed_item" in samples and "page_full_scrape" in samples
    assert samples.count("<h3>kept</h3>") == 2  # the kept text beside each input


def test_report_shows_counts_reasons_and_the_duplicate_pair(seeds_report):
    assert re.search(r"<b>2</b><span>inputs</span>", seeds_report)
    assert re.search(r"<b>4</b><span>documents kept</span>", seeds_report)
    bars = section(seeds_report, "Removed spans by reason")
    assert "feed-footer" in bars and "class=bar" in bars
    clusters = section(seeds_report, "Largest duplicate clusters")
    assert "page_full_scrape#1" in clusters and "page_feed_item" in clusters


def test_report_shows_the_templates_learned(tmp_path):
    news_corpus().write_corpus(tmp_path / "news.jsonl", 120)
    tamis.run([tmp_path / "news.jsonl"], tmp_path / "out", progress=False)
    templates = section((tmp_path / "out" / "report.html").read_text(encoding="utf-8"), "Site templates learned")
    assert re.search(r"news\d+\.example\.org", templates)
    # The header's menu, learned as the site's template ("Sign in | Subscribe to X", both parts entries
    # of the lexicon, goes earlier, as a row of the site's links).
    assert re.search(r"<li>Home \| \w+ \| ", templates)


def test_report_is_self_contained(seeds_report):
    assert not re.search(r"""(src|href)\s*=|url\(|@import|<script|<link""", seeds_report, re.I)


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium not installed (apt-get install chromium)")
def test_report_renders_in_headless_chromium_on_a_phone(tmp_path):
    out = tmp_path / "out"
    tamis.run([EXAMPLES], out, progress=False)
    shot = tmp_path / "report-phone.png"
    proc = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
         f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}", "--window-size=412,915",
         "--enable-logging=stderr", "--v=0", (out / "report.html").as_uri()],
        capture_output=True, text=True, timeout=120)
    console = [line for line in proc.stderr.splitlines() if "CONSOLE" in line]
    assert console == [], console  # the page has no script: any console message is an error
    assert shot.exists() and shot.stat().st_size > 10_000, proc.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
