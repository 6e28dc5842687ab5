"""Reading what staff asked for (area, period, language) from a form or the command line."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from community.params import day
from community.reports.areas import AreaError, AreaSelection, select_areas
from community.reports.i18n import LANGUAGES
from community.reports.service import Period, PeriodError, resolve_period

SPLIT = re.compile(r"[;\n]+")


class ReportInputError(ValueError):
    """Something staff typed cannot make a report; the message says what to fix."""


@dataclass(frozen=True)
class ReportRequest:
    selection: AreaSelection
    period: Period
    language: str


def parse_day(value: str | None, what: str) -> date | None:
    """A YYYY-MM-DD date from 1900 to 2999, or None when blank."""

    def problem(_detail: str) -> ReportInputError:
        shown = (value or "").strip()[:40]
        return ReportInputError(
            f"The {what} date must look like 2026-10-01 (from 1900 to 2999), not {shown!r}."
        )

    return day(value, what, error=problem)


def area_names(values: Iterable[str]) -> list[str]:
    """Names from select options and typed text ("A; B" or one per line)."""
    names: list[str] = []
    for value in values:
        names += [part.strip() for part in SPLIT.split(value or "") if part.strip()]
    return names


def read_request(
    names: Iterable[str], since: str | date | None, until: str | date | None, language: str
) -> ReportRequest:
    """The report asked for, or ReportInputError with a message for the person asking."""
    if language not in LANGUAGES:
        raise ReportInputError("Choose English (en) or Spanish (es).")
    since_day = since if isinstance(since, date) else parse_day(since, "start")
    until_day = until if isinstance(until, date) else parse_day(until, "end")
    try:
        selection = select_areas(area_names(names))
        period = resolve_period(selection, since_day, until_day)
    except (AreaError, PeriodError) as exc:
        raise ReportInputError(str(exc)) from exc
    return ReportRequest(selection=selection, period=period, language=language)
