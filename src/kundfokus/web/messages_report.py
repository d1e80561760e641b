"""Texts of the leadership report's links and pages (``report_`` keys), in Swedish and English."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "report_download_pdf": {"en": "Download PDF", "sv": "Ladda ner PDF"},
    "report_download_pdf_hint": {
        "en": "The whole dashboard as a PDF report, with these filters",
        "sv": "Hela översikten som PDF-rapport, med de här filtren",
    },
}
