"""HTML to PDF with WeasyPrint: documents are self-contained, so any URL in them is refused, never fetched.

Import this module only where a PDF is made: WeasyPrint is slow to load.
"""

from __future__ import annotations

from weasyprint import HTML, urls


class NoFetching(urls.URLFetcher):
    """Refuses every URL (there should be none): nothing is fetched while a PDF is made."""

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> urls.URLFetcherResponse:
        raise urls.URLFetchingError(f"not fetched: {url}")


def html_to_pdf(html: str) -> bytes:
    """A self-contained HTML document as PDF bytes."""
    pdf = HTML(string=html, url_fetcher=NoFetching()).write_pdf()
    assert pdf is not None
    return bytes(pdf)
