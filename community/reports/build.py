"""Making a report: facts -> map and charts -> HTML (preview) -> PDF (print), in one language."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date

from babel.dates import format_date
from flask import render_template

from community.places.city import current_city
from community.reports import charts, pdf, staticmap
from community.reports.areas import AreaSelection
from community.reports.i18n import gettext, ngettext, report_locale
from community.reports.service import Period, ReportFacts, gather

EMPTY_MAP_HEIGHT_IN = 4.0


@dataclass
class Report:
    facts: ReportFacts
    html: str


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def make_report(
    selection: AreaSelection, period: Period, language: str, *, preview: bool = False
) -> Report:
    """The report's facts and its self-contained HTML (images embedded) in `language`."""
    with report_locale(language):
        facts = gather(selection, period, language)
        html = render_template("reports/report.html", **_context(facts, preview))
    return Report(facts=facts, html=html)


def report_pdf(report: Report) -> bytes:
    """The report as a letter-size PDF."""
    return pdf.html_to_pdf(report.html)


def file_name(facts: ReportFacts) -> str:
    """'report-sherman-park-2026-10-30-es.pdf': safe in any file system and header."""
    slug = "-".join("".join(ch if ch.isalnum() else " " for ch in facts.selection.label).split())
    slug = slug.lower()[:80] or "area"
    made = facts.period.local_dates()[1].isoformat()
    return f"report-{slug}-{made}-{facts.language}.pdf"


def _context(facts: ReportFacts, preview: bool) -> dict:
    language = facts.language

    def day(value: date, style: str = "medium") -> str:
        return format_date(value, format=style, locale=language)

    return {
        "_": gettext,
        "gettext": gettext,
        "ngettext": ngettext,
        "facts": facts,
        "lang": language,
        "preview": preview,
        "day": day,
        "period_text": first_last(day, facts),
        "made_text": day(_local_day(facts)),
        "page_counter": pdf.page_counter_content(gettext("Page %(page)s of %(pages)s")),
        "header_left": pdf.css_string(f"{facts.selection.label} · {first_last(day, facts)}"),
        "header_right": pdf.css_string(gettext("Made %(date)s", date=day(_local_day(facts)))),
        "footer_left": pdf.css_string(
            gettext("Community Prosecution Unit · no reporter's name, phone or address is printed")
        ),
        "map_uri": data_uri(_map_png(facts)),
        "category_chart": _category_chart(facts),
        "weekly_chart": _weekly_chart(facts, day),
    }


def first_last(day, facts: ReportFacts) -> str:
    first, last = facts.period.local_dates()
    return f"{day(first)} – {day(last)}"


def _local_day(facts: ReportFacts) -> date:
    from community.filters import city_zone

    return facts.made_at.astimezone(city_zone()).date()


def _map_png(facts: ReportFacts) -> bytes:
    points = [staticmap.MapPoint(row.number, row.lat, row.lon) for row in facts.hotspots]
    # A report with nothing to tell fits on one page: a smaller map leaves room for the rest.
    height = EMPTY_MAP_HEIGHT_IN if facts.empty else staticmap.HEIGHT_IN
    return staticmap.area_map_png(current_city(), facts.area_geometries, points, height_in=height)


def _category_chart(facts: ReportFacts) -> str | None:
    if not facts.by_category:
        return None
    return data_uri(charts.category_chart_png(facts.by_category, gettext("Concerns")))


def _weekly_chart(facts: ReportFacts, day) -> str | None:
    if not facts.concern_count:
        return None
    labels = [day(week, "d MMM") for week, _ in facts.by_week]
    values = [n for _, n in facts.by_week]
    return data_uri(charts.weekly_chart_png(labels, values, gettext("Concerns")))
