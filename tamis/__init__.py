"""tamis: raw scraped web and news text in, a clean, deduplicated, attributed corpus out."""
from .clean import clean_text
from .document import Article, Document, Result, Span

__version__ = "0.1.0"


def extract_html(html, url=None):
    """Extract the articles of an HTML page (str or bytes); same result type as `clean_text`."""
    from .extract import extract_html as _extract
    return _extract(html, url=url)


def run(inputs, out, **options):
    """What `tamis run INPUT... -o OUT` does; returns the run's summary."""
    from .pipeline import run as _run
    return _run(inputs, out, **options)


__all__ = ["clean_text", "extract_html", "run", "Article", "Document", "Result", "Span", "__version__"]
