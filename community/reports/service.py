"""The facts of one meeting report: what an area reported in a period, who owns it, what was done.

Everything here is read-only and already safe to print: resident text goes through
redaction.public_text, location labels are generalised to the block, staff-only notes and
reporters' identities are never read.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from babel.dates import format_date
from flask import current_app, has_request_context
from rapidfuzz import fuzz

from community.extensions import db
from community.filters import city_midnight, city_zone
from community.models import (
    Action,
    Assignment,
    Category,
    Concern,
    ConcernStatus,
    Hotspot,
    HotspotStatus,
    MeetingReport,
    utcnow,
)
from community.redaction import public_text
from community.reports.areas import AreaSelection
from community.reports.evaluations import evaluation_rows
from community.reports.i18n import gettext as _
from community.reports.labels import action_kind_label, outcome_label, status_label
from community.urls import absolute_url

DEFAULT_DAYS = 30
MAX_DAYS = 731  # two years: a weekly chart of 105 bars still reads; 6,000 would not
NOT_COUNTED = (ConcernStatus.DUPLICATE, ConcernStatus.NOT_ACTIONABLE)
NOT_LISTED = (HotspotStatus.DUPLICATE, HotspotStatus.NOT_ACTIONABLE)
ACTIVE = (
    HotspotStatus.NEW,
    HotspotStatus.TRIAGED,
    HotspotStatus.ASSIGNED,
    HotspotStatus.IN_PROGRESS,
)
QUOTE_CATEGORIES = 3
QUOTES_PER_CATEGORY = 2
QUOTE_MAX_CHARS = 280
MIN_QUOTE_CHARS = 15  # "[phone]" alone, or "same as before", says nothing to a meeting
SAME_TEXT_SCORE = 80  # rapidfuzz token_set_ratio at or above this: the same complaint again

_AREA_COLUMN = {
    "neighborhood": Concern.neighborhood_id,
    "aldermanic_district": Concern.aldermanic_district_id,
    "police_district": Concern.police_district_id,
}


class PeriodError(ValueError):
    """The period asked for makes no sense; the message says why."""


@dataclass(frozen=True)
class Period:
    start: datetime  # UTC, inclusive
    end: datetime  # UTC, exclusive

    def local_dates(self) -> tuple[date, date]:
        """First and last day of the period in the city's time zone."""
        zone = city_zone()
        last = self.end - timedelta(microseconds=1)
        return self.start.astimezone(zone).date(), last.astimezone(zone).date()


@dataclass
class HotspotRow:
    number: int
    id: int
    location: str
    category: str
    concerns_period: int
    concerns_total: int
    lead: str
    partners: list[str]
    status: str
    active: bool
    days_open: int
    last_action: str
    lat: float
    lon: float
    priority: float = 0.0
    trend: str = "steady"  # rising, falling or steady (the last 30 days against the 30 before)


@dataclass
class ActionRow:
    day: date
    number: int
    location: str
    agency: str
    kind: str
    note: str
    outcome: str


@dataclass
class ResolutionRow:
    day: date
    number: int
    location: str
    lead: str
    outcome: str


@dataclass
class Quote:
    text: str
    category: str
    week_of: date


@dataclass
class ReportFacts:
    selection: AreaSelection
    period: Period
    language: str
    made_at: datetime
    concern_count: int = 0
    hotspots: list[HotspotRow] = field(default_factory=list)
    actions: list[ActionRow] = field(default_factory=list)
    resolutions: list[ResolutionRow] = field(default_factory=list)
    by_category: list[tuple[str, int]] = field(default_factory=list)
    by_week: list[tuple[date, int]] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    evaluations: list = field(default_factory=list)  # reports.evaluations.EvaluationRow
    sms_number: str | None = None
    web_address: str | None = None

    @property
    def open_count(self) -> int:
        return sum(1 for row in self.hotspots if row.active)

    @property
    def resolved_count(self) -> int:
        return len(self.resolutions)

    @property
    def empty(self) -> bool:
        return not self.concern_count and not self.hotspots

    @property
    def area_geometries(self) -> list[dict]:
        return [json.loads(area.geometry) for area in self.selection.areas]


def last_report_end(selection: AreaSelection) -> datetime | None:
    """Where the last report for the same area stopped (None: never reported)."""
    return db.session.scalar(
        db.select(sa.func.max(MeetingReport.period_end)).where(
            MeetingReport.area_key == selection.key
        )
    )


def resolve_period(
    selection: AreaSelection,
    since: date | None = None,
    until: date | None = None,
    now: datetime | None = None,
) -> Period:
    """The period asked for; without `since`, from the last report for the area (or 30 days)."""
    now = now or utcnow()
    end = min(city_midnight(until + timedelta(days=1)), now) if until else now
    if since is not None:
        start = city_midnight(since)
    else:
        # Since the last report for the area, unless it ended after this period's end (a
        # report for an earlier month made later) or so long ago it would be too long.
        last = last_report_end(selection)
        start = last if last is not None and last < end else end - timedelta(days=DEFAULT_DAYS)
        start = max(start, end - timedelta(days=MAX_DAYS))
    if start >= end:
        raise PeriodError("The period must start before it ends (and not in the future).")
    if end - start > timedelta(days=MAX_DAYS):
        raise PeriodError(f"A report covers at most {MAX_DAYS} days; choose a later start date.")
    return Period(start=start, end=end)


def gather(
    selection: AreaSelection, period: Period, language: str, now: datetime | None = None
) -> ReportFacts:
    """Every fact the report prints (call inside report_locale(language))."""
    facts = ReportFacts(selection, period, language, made_at=now or utcnow())
    facts.sms_number = current_app.config.get("REPORT_SMS_NUMBER")
    facts.web_address = web_address()
    concerns = _concerns_in_period(selection, period)
    facts.concern_count = len(concerns)
    categories = {c.id: c for c in db.session.scalars(db.select(Category))}
    facts.hotspots = _hotspot_rows(selection, period, concerns, categories, language)
    numbers = {row.id: row for row in facts.hotspots}
    facts.actions = _action_rows(period, numbers, language)
    facts.resolutions = _resolution_rows(period, numbers, language)
    facts.evaluations = evaluation_rows(period, numbers, city_zone())
    facts.by_category = _by_category(concerns, categories, language)
    facts.by_week = _by_week(concerns, period)
    facts.quotes = _quotes(concerns, categories, language)
    return facts


def web_address() -> str | None:
    """Where residents can report on the web: the setting, else the form on the public site."""
    configured = current_app.config.get("REPORT_WEB_ADDRESS")
    if configured:
        return configured
    if current_app.config.get("PUBLIC_BASE_URL") or has_request_context():
        return absolute_url("intake.report")
    return None


def _concerns_in_period(selection: AreaSelection, period: Period) -> list[sa.Row]:
    column = _AREA_COLUMN[str(selection.kind)]
    query = (
        db.select(
            Concern.id,
            Concern.text,
            Concern.language,
            Concern.reported_at,
            Concern.category_id,
            Concern.hotspot_id,
        )
        .where(
            column.in_(selection.ids),
            Concern.reported_at >= period.start,
            Concern.reported_at < period.end,
            Concern.status.not_in(NOT_COUNTED),
        )
        .order_by(Concern.reported_at.desc(), Concern.id.desc())
    )
    return list(db.session.execute(query))


def _area_hotspot_ids(selection: AreaSelection) -> set[int]:
    """Hotspots with a concern in the area (and, for neighbourhoods, those placed in them)."""
    column = _AREA_COLUMN[str(selection.kind)]
    ids = set(
        db.session.scalars(
            db.select(Concern.hotspot_id)
            .where(column.in_(selection.ids), Concern.hotspot_id.is_not(None))
            .distinct()
        )
    )
    if selection.kind == "neighborhood":
        ids |= set(
            db.session.scalars(
                db.select(Hotspot.id).where(Hotspot.neighborhood_id.in_(selection.ids))
            )
        )
    return ids


def _hotspot_rows(
    selection: AreaSelection,
    period: Period,
    concerns: list[sa.Row],
    categories: dict[int, Category],
    language: str,
) -> list[HotspotRow]:
    """Open hotspots, and those resolved or reported this period, highest priority first."""
    candidates = _area_hotspot_ids(selection)
    if not candidates:
        return []
    in_period = Counter(row.hotspot_id for row in concerns if row.hotspot_id)
    hotspots = [
        h
        for h in db.session.scalars(
            db.select(Hotspot)
            .where(Hotspot.id.in_(candidates), Hotspot.status.not_in(NOT_LISTED))
            .order_by(Hotspot.priority.desc(), Hotspot.id)
        )
        if h.status in ACTIVE
        or in_period[h.id]
        or (h.resolved_at is not None and period.start <= h.resolved_at < period.end)
    ]
    return hotspot_rows(hotspots, period, in_period, categories, language)


def listed_hotspots(
    selection: AreaSelection, period: Period, language: str
) -> tuple[int, list[HotspotRow]]:
    """The report's concern count and hotspot rows alone, numbered as its map numbers them."""
    concerns = _concerns_in_period(selection, period)
    categories = {c.id: c for c in db.session.scalars(db.select(Category))}
    return len(concerns), _hotspot_rows(selection, period, concerns, categories, language)


def hotspot_rows(
    hotspots: list[Hotspot],
    period: Period,
    in_period: Counter,
    categories: dict[int, Category],
    language: str,
) -> list[HotspotRow]:
    """Public rows for hotspots in the order given (numbered from 1): a block-level place,
    owners, status, days open, last action (call inside report_locale(language))."""
    ids = [h.id for h in hotspots]
    owners = _owners(ids)
    last_actions = _last_actions(ids, period.end, language)
    places = _places(ids, language)
    rows = []
    for number, hotspot in enumerate(hotspots, start=1):
        lead, partners = owners.get(hotspot.id, ("", []))
        category = categories.get(hotspot.category_id)
        started = hotspot.first_reported_at or hotspot.created_at
        stopped = (
            hotspot.resolved_at
            if hotspot.status not in ACTIVE and hotspot.resolved_at
            else period.end
        )
        rows.append(
            HotspotRow(
                number=number,
                id=hotspot.id,
                location=places.get(hotspot.id) or public_text(hotspot.label, language=language),
                category=category.name(language) if category else "",
                concerns_period=in_period[hotspot.id],
                concerns_total=hotspot.concern_count,
                lead=lead,
                partners=partners,
                status=status_label(hotspot.status),
                active=hotspot.status in ACTIVE,
                days_open=max(0, (stopped - started).days),
                last_action=last_actions.get(hotspot.id, ""),
                lat=hotspot.centroid_lat,
                lon=hotspot.centroid_lon,
                priority=hotspot.priority or 0.0,
                trend=hotspot.trend,
            )
        )
    return rows


def _owners(hotspot_ids: list[int]) -> dict[int, tuple[str, list[str]]]:
    """hotspot id -> (lead agency name, partner agency names), active assignments only."""
    owners: dict[int, tuple[str, list[str]]] = {}
    if not hotspot_ids:
        return owners
    rows = db.session.scalars(
        db.select(Assignment)
        .options(sa.orm.joinedload(Assignment.agency))
        .where(Assignment.hotspot_id.in_(hotspot_ids), Assignment.ended_at.is_(None))
        .order_by(Assignment.created_at, Assignment.id)
    )
    leads: dict[int, str] = {}
    partners: dict[int, list[str]] = defaultdict(list)
    for assignment in rows:
        if assignment.role == "lead":
            leads[assignment.hotspot_id] = assignment.agency.name
        else:
            partners[assignment.hotspot_id].append(assignment.agency.name)
    for hotspot_id in hotspot_ids:
        owners[hotspot_id] = (leads.get(hotspot_id, ""), partners.get(hotspot_id, []))
    return owners


def _last_actions(hotspot_ids: list[int], before: datetime, language: str) -> dict[int, str]:
    """hotspot id -> "Directed patrol, Oct 3, 2026": its latest action before the period end."""
    latest: dict[int, str] = {}
    if not hotspot_ids:
        return latest
    rows = db.session.execute(
        db.select(Action.hotspot_id, Action.kind, Action.occurred_at)
        .where(Action.hotspot_id.in_(hotspot_ids), Action.occurred_at < before)
        .order_by(Action.occurred_at, Action.id)
    )
    zone = city_zone()
    for hotspot_id, kind, occurred_at in rows:
        day = format_date(occurred_at.astimezone(zone).date(), format="medium", locale=language)
        latest[hotspot_id] = f"{action_kind_label(kind)}, {day}"
    return latest


def _places(hotspot_ids: list[int], language: str) -> dict[int, str]:
    """hotspot id -> where most of its concerns were placed, generalised to the block."""
    counts: dict[int, Counter] = defaultdict(Counter)
    if not hotspot_ids:
        return {}
    rows = db.session.execute(
        db.select(Concern.hotspot_id, Concern.location_label).where(
            Concern.hotspot_id.in_(hotspot_ids), Concern.location_label.is_not(None)
        )
    )
    for hotspot_id, label in rows:
        counts[hotspot_id][label] += 1
    return {
        hotspot_id: public_text(counter.most_common(1)[0][0], language=language)
        for hotspot_id, counter in counts.items()
    }


def _action_rows(period: Period, numbers: dict[int, HotspotRow], language: str) -> list[ActionRow]:
    """What agencies did this period on the listed hotspots (public notes only, never notes)."""
    if not numbers:
        return []
    rows = db.session.scalars(
        db.select(Action)
        .options(sa.orm.joinedload(Action.agency))
        .where(
            Action.hotspot_id.in_(list(numbers)),
            Action.occurred_at >= period.start,
            Action.occurred_at < period.end,
        )
        .order_by(Action.occurred_at, Action.id)
    )
    zone = city_zone()
    return [
        ActionRow(
            day=action.occurred_at.astimezone(zone).date(),
            number=numbers[action.hotspot_id].number,
            location=numbers[action.hotspot_id].location,
            agency=action.agency.name,
            kind=action_kind_label(action.kind),
            note=public_text(action.public_note, language=language),
            outcome=outcome_label(action.outcome),
        )
        for action in rows
    ]


def _resolution_rows(
    period: Period, numbers: dict[int, HotspotRow], language: str
) -> list[ResolutionRow]:
    """Hotspots resolved this period, with the outcome of their last action."""
    if not numbers:
        return []
    hotspots = db.session.scalars(
        db.select(Hotspot)
        .where(
            Hotspot.id.in_(list(numbers)),
            Hotspot.resolved_at >= period.start,
            Hotspot.resolved_at < period.end,
        )
        .order_by(Hotspot.resolved_at)
    )
    zone = city_zone()
    rows = []
    for hotspot in hotspots:
        row = numbers[hotspot.id]
        outcomes = [a.outcome for a in hotspot.actions if a.outcome]
        rows.append(
            ResolutionRow(
                day=hotspot.resolved_at.astimezone(zone).date(),
                number=row.number,
                location=row.location,
                lead=row.lead,
                outcome=outcome_label(outcomes[-1]) if outcomes else _("Resolved"),
            )
        )
    return rows


def _by_category(
    concerns: list[sa.Row], categories: dict[int, Category], language: str
) -> list[tuple[str, int]]:
    counts = Counter(row.category_id for row in concerns)
    return [
        (categories[category_id].name(language) if category_id in categories else "?", n)
        for category_id, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def _by_week(concerns: list[sa.Row], period: Period) -> list[tuple[date, int]]:
    """Concerns per week (weeks start on Monday, local time), empty weeks included."""
    first, last = period.local_dates()
    zone = city_zone()
    weeks = Counter(_monday(row.reported_at.astimezone(zone).date()) for row in concerns)
    out = []
    week = _monday(first)
    while week <= last:
        out.append((week, weeks.get(week, 0)))
        week += timedelta(days=7)
    return out


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _quotes(
    concerns: list[sa.Row],
    categories: dict[int, Category],
    language: str,
) -> list[Quote]:
    """A few recent, different texts from the top categories, redacted, with no reporter."""
    top_ids = [
        category_id
        for category_id, _n in Counter(row.category_id for row in concerns).most_common(
            QUOTE_CATEGORIES
        )
    ]
    zone = city_zone()
    quotes: list[Quote] = []
    for category_id in top_ids:
        chosen: list[str] = []
        for row in concerns:  # newest first
            if row.category_id != category_id:
                continue
            text = _clip(public_text(row.text, language=row.language or "en"))
            if len(text) < MIN_QUOTE_CHARS or any(
                fuzz.token_set_ratio(text, seen) >= SAME_TEXT_SCORE for seen in chosen
            ):
                continue
            chosen.append(text)
            category = categories.get(category_id)
            quotes.append(
                Quote(
                    text=text,
                    category=category.name(language) if category else "",
                    week_of=_monday(row.reported_at.astimezone(zone).date()),
                )
            )
            if len(chosen) == QUOTES_PER_CATEGORY:
                break
    return quotes


def _clip(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= QUOTE_MAX_CHARS:
        return text
    return text[: QUOTE_MAX_CHARS - 1].rsplit(" ", 1)[0] + "…"


def record_report(
    facts: ReportFacts,
    user_id: int | None = None,
    batch_id: int | None = None,
    file_name: str | None = None,
) -> MeetingReport:
    """Remember that a report was made, so the next one starts where this one stopped."""
    report = MeetingReport(
        area_key=facts.selection.key,
        area_label=facts.selection.label[:400],
        language=facts.language,
        period_start=facts.period.start,
        period_end=facts.period.end,
        concern_count=facts.concern_count,
        hotspot_count=len(facts.hotspots),
        made_by_id=user_id,
        batch_id=batch_id,
        file_name=file_name,
    )
    db.session.add(report)
    db.session.commit()
    return report
