"""HTML to the main article: a structural pass over the DOM (blocks with markup hints), a main-content
locator, markup-evidence decisions, then the text cleaner."""
from .core import extract_html

__all__ = ["extract_html"]
