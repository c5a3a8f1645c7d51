"""report.html: what a run did, for a person to read before trusting it."""
from .data import ReportData
from .html import write_report

__all__ = ["ReportData", "write_report"]
