"""report.html: what a run did, for a person to read before trusting it."""
from .html import write_report

__all__ = ["write_report"]
