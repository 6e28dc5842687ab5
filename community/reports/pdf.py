"""HTML to PDF with WeasyPrint: letter pages, a running header, page numbers; nothing fetched.

Images arrive embedded as data: URIs, so WeasyPrint never asks the app (or anyone) for a URL.
The font configuration and the stylesheet are built once per thread and reused by every report.
"""

from __future__ import annotations

import threading

_LOCAL = threading.local()


def _embedded_only():
    """A fetcher that loads data: URIs and refuses every other scheme (file, http, ...)."""
    if getattr(_LOCAL, "fetcher", None) is None:
        from weasyprint.urls import URLFetcher

        _LOCAL.fetcher = URLFetcher(allowed_protocols={"data"}, timeout=1)
    return _LOCAL.fetcher


def _font_config():
    if getattr(_LOCAL, "fonts", None) is None:
        from weasyprint.text.fonts import FontConfiguration

        _LOCAL.fonts = FontConfiguration()
    return _LOCAL.fonts


def html_to_pdf(html: str, stylesheet: str = "") -> bytes:
    """The PDF of a self-contained HTML document (plus an optional print stylesheet)."""
    _quiet_progress()
    from weasyprint import CSS, HTML

    fonts = _font_config()
    sheets = (
        [CSS(string=stylesheet, font_config=fonts, url_fetcher=_embedded_only())]
        if stylesheet
        else []
    )
    document = HTML(string=html, url_fetcher=_embedded_only(), base_url="about:blank")
    return document.write_pdf(stylesheets=sheets, font_config=fonts)


def _quiet_progress() -> None:
    """WeasyPrint logs every layout step at INFO; a batch of 190 reports needs none of it."""
    import logging

    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def css_string(text: str) -> str:
    """Text as a quoted CSS string (for generated content such as page numbers)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    escaped = escaped.replace("<", "\\3c ")  # never "</style>" inside the page's stylesheet
    return f'"{escaped}"'


def page_counter_content(template: str) -> str:
    """'Page %(page)s of %(pages)s' as CSS content with the page counters in place."""
    out: list[str] = []
    rest = template
    while rest:
        page_at, pages_at = rest.find("%(page)s"), rest.find("%(pages)s")
        found = [
            (at, token) for at, token in ((page_at, "%(page)s"), (pages_at, "%(pages)s")) if at >= 0
        ]
        if not found:
            out.append(css_string(rest))
            break
        at, token = min(found)
        if at:
            out.append(css_string(rest[:at]))
        out.append("counter(pages)" if token.endswith("pages)s") else "counter(page)")
        rest = rest[at + len(token) :]
    return " ".join(out) or "counter(page)"
