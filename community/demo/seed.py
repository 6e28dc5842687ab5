"""Seeding the demo: staff, concerns placed where Milwaukee's real incidents happen, hotspots.

What residents report is drawn in demo/scenario.py (no database); here it goes in the way the
app's own concerns do, only in bulk: saved (pending, with their "created" events), then
located from their words by the app's geocoder, then re-clustered once, then some hotspots
worked through the workflow. City-sized demos take seconds, not minutes: rows go in with
executemany, and each distinct text is geocoded once.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import sqlalchemy as sa
from flask import current_app

from community.casenumber import ALPHABET
from community.demo import history, scenario
from community.extensions import db
from community.geo.citypkg import CityPackage
from community.geo.place import Place
from community.hotspots.recluster import recluster
from community.models import (
    ActionKind,
    ActionOutcome,
    Agency,
    AgencyKind,
    AssignmentRole,
    Category,
    Concern,
    ConcernSource,
    ConcernStatus,
    Event,
    EventKind,
    GeocodeStatus,
    Hotspot,
    HotspotStatus,
    LocationKind,
    Resident,
    ResolutionOutcome,
    Role,
    User,
    utcnow,
)
from community.places.areas import area_ids
from community.places.city import area_locator, current_city, geocoder
from community.places.locate import AREA_COLUMNS
from community.privacy import PhoneVault
from community.routing.suggest import suggest
from community.workflow.service import (
    assign,
    confirm_suggestion,
    log_action,
    resolve,
)

DEMO_USERS = [
    ("admin@demo.example.org", "Ada Admin", Role.ADMIN, None, "demo-admin"),
    ("prosecutor@demo.example.org", "Pat Prosecutor", Role.PROSECUTOR, "DA-CPU", "demo-prosecutor"),
    ("district3@demo.example.org", "Sam Sergeant", Role.AGENCY_STAFF, "MPD-D3", "demo-district3"),
    ("dns@demo.example.org", "Nia Inspector", Role.AGENCY_STAFF, "DNS", "demo-dns"),
    ("viewer@demo.example.org", "Val Viewer", Role.VIEWER, None, "demo-viewer"),
]
WORKED_SHARE, WORKED_MAX = 0.7, 150  # hotspots the agencies have taken on (the top by priority)
CHUNK = 5000  # ids per IN (...) list
Progress = Callable[[str], None]


def create_demo_users(domain_agencies: dict[str, Agency]) -> None:
    """Staff accounts for each role (idempotent)."""
    existing = set(db.session.scalars(db.select(User.email)))
    for email, name, role, agency_code, password in DEMO_USERS:
        if email in existing:
            continue
        user = User(
            email=email,
            name=name,
            role=role,
            agency_id=domain_agencies[agency_code].id if agency_code else None,
        )
        user.set_password(password)
        db.session.add(user)
    db.session.commit()


def seed_concerns(
    city: CityPackage, vault: PhoneVault, count: int, seed: int, now: datetime | None = None
) -> list[int]:
    """Insert `count` concerns over the last 90 days; returns their ids (not yet located)."""
    return _seed_plan(city, vault, count, seed, now)[0]


def _seed_plan(
    city: CityPackage, vault: PhoneVault, count: int, seed: int, now: datetime | None = None
) -> tuple[list[int], scenario.Scenario]:
    """seed_concerns, with the scenario it drew (its planned responses are worked later)."""
    now = now or utcnow()
    spec = city.manifest["incidents"]
    frame = scenario.incidents(city.path / spec["file"], spec["lon"], spec["lat"])
    plan = scenario.build(frame, count, seed, now, city.timezone)
    residents = _residents(vault, plan.reporters)
    categories = dict(db.session.execute(db.select(Category.code, Category.id)).all())
    numbers = _case_numbers(city.case_prefix, len(plan.reports), np.random.default_rng([seed, 1]))
    rows = [
        {
            "case_number": number,
            "text": report.text,
            "location_text": report.location_text,
            "category_id": categories[report.category],
            "source": ConcernSource(report.source),
            "status": ConcernStatus.NEW,
            "language": report.language,
            "resident_id": None if report.reporter is None else residents[report.reporter],
            "reported_at": report.reported_at,
            "geocode_status": GeocodeStatus.PENDING,
            "location_kind": LocationKind.NONE,
            "created_at": report.reported_at,
            "updated_at": report.reported_at,
        }
        for report, number in zip(plan.reports, numbers, strict=True)
    ]
    ids = _insert_returning_ids(Concern.__table__, rows)
    _insert_events(
        {
            "created_at": row["created_at"],
            "kind": EventKind.CREATED,
            "actor": "resident",
            "concern_id": concern_id,
            "data": {"source": str(row["source"])},
        }
        for concern_id, row in zip(ids, rows, strict=True)
    )
    db.session.commit()
    return ids, plan


def _residents(vault: PhoneVault, reporters: list[scenario.Reporter]) -> list[int]:
    """The demo residents' ids, added when missing (their numbers encrypted like any other)."""
    hashes = [vault.lookup_hash(r.phone) for r in reporters]
    known = dict(
        db.session.execute(
            db.select(Resident.phone_hash, Resident.id).where(Resident.phone_hash.in_(hashes))
        ).all()
    )
    missing = [i for i, h in enumerate(hashes) if h not in known]
    if missing:
        now = utcnow()
        added = _insert_returning_ids(
            Resident.__table__,
            [
                {
                    "phone_encrypted": vault.encrypt(reporters[i].phone),
                    "phone_hash": hashes[i],
                    "phone_last4": reporters[i].phone[-4:],
                    "language": reporters[i].language,
                    "created_at": now,
                }
                for i in missing
            ],
        )
        known.update(zip((hashes[i] for i in missing), added, strict=True))
    return [known[h] for h in hashes]


def _case_numbers(prefix: str, count: int, rng: np.random.Generator) -> list[str]:
    """`count` free case numbers like new_case_number's, drawn from the seed (repeatable)."""
    taken = set(db.session.scalars(db.select(Concern.case_number)))
    numbers: list[str] = []
    while len(numbers) < count:
        for letters in rng.integers(len(ALPHABET), size=(count - len(numbers), 4)).tolist():
            number = f"{prefix}-" + "".join(ALPHABET[i] for i in letters)
            if number not in taken:
                taken.add(number)
                numbers.append(number)
    return numbers


def _insert_returning_ids(table: sa.Table, rows: list[dict]) -> list[int]:
    """Insert rows (all with the same keys) in batches; their new ids, in order."""
    statement = sa.insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(db.session.scalars(statement, rows))


def _insert_events(rows: Iterable[dict]) -> None:
    """Events in bulk: one executemany per set of columns named (a column left out is NULL)."""
    groups: dict[tuple[str, ...], list[dict]] = {}
    for row in rows:
        groups.setdefault(tuple(row), []).append(row)
    for group in groups.values():
        db.session.execute(sa.insert(Event.__table__), group)


def _update_concerns(rows: list[dict]) -> None:
    """Set columns of concerns by id in bulk (executemany); every row names the same columns."""
    table = Concern.__table__
    columns = [key for key in rows[0] if key != "id"]
    statement = (
        sa.update(table)
        .where(table.c.id == sa.bindparam("concern_id"))
        .values({name: sa.bindparam(f"new_{name}") for name in columns})
    )
    db.session.execute(
        statement,
        [
            {"concern_id": row["id"], **{f"new_{name}": row[name] for name in columns}}
            for row in rows
        ],
    )


@dataclass
class LocateSummary:
    placed: int = 0
    unplaced: int = 0
    geocoded: int = 0  # distinct texts the geocoder read


def locate_concerns(ids: list[int]) -> LocateSummary:
    """Place pending concerns as the locate job does (places/locate.py), all at once.

    The same words are geocoded once; concerns, their "located" (or "location failed")
    events and their status changes are written in bulk.
    """
    backend, memo = geocoder(), {}
    minimum = current_app.config["LOCATE_MIN_CONFIDENCE"]

    def geocode(words: str) -> Place:
        if words not in memo:
            memo[words] = backend.geocode(words)
        return memo[words]

    placed, unplaced = [], []
    for start in range(0, len(ids), CHUNK):
        rows = db.session.execute(
            db.select(Concern.id, Concern.location_text, Concern.text, Concern.reported_at)
            .where(Concern.id.in_(ids[start : start + CHUNK]))
            .where(Concern.geocode_status == GeocodeStatus.PENDING)
        )
        for concern_id, location_text, text, reported_at in rows:
            place = _best_place(geocode, location_text, text)
            # The locate job runs seconds after a report arrives.
            at = reported_at + timedelta(seconds=4 + concern_id % 37)
            if place.found and place.confidence >= minimum:
                placed.append((concern_id, place, at))
            else:
                unplaced.append((concern_id, place, at))
    _write_placed(placed)
    _write_unplaced(unplaced)
    db.session.commit()
    return LocateSummary(len(placed), len(unplaced), len(memo))


def _best_place(
    geocode: Callable[[str], Place], location_text: str | None, text: str | None
) -> Place:
    """places.locate.best_place (the "where" field, else the description: the surer of the
    two), through a memo of the geocoder."""
    candidates = [geocode(words) for words in (location_text, text) if words]
    found = [p for p in candidates if p.found]
    if not found:
        return candidates[0] if candidates else Place.none()
    return max(found, key=lambda p: p.confidence)


def _write_placed(placed: list[tuple[int, Place, datetime]]) -> None:
    """What place_concern sets, and the events it writes, for every placed concern."""
    if not placed:
        return
    ids = area_ids(current_city().slug)
    lacking = [i for i, (_, place, _) in enumerate(placed) if not place.areas]
    found = area_locator().locate_many(
        [placed[i][1].lon for i in lacking], [placed[i][1].lat for i in lacking]
    )
    codes = [place.areas for _, place, _ in placed]
    for i, areas in zip(lacking, found, strict=True):
        codes[i] = areas
    updates, events = [], []
    for (concern_id, place, at), areas in zip(placed, codes, strict=True):
        row = {
            "id": concern_id,
            "lat": place.lat,
            "lon": place.lon,
            "location_kind": LocationKind(place.kind),
            "location_label": place.label,
            "location_confidence": place.confidence,
            "geocode_status": GeocodeStatus.LOCATED,
            "located_at": at,
            "clustered_at": None,
            "status": ConcernStatus.OPEN,
            "updated_at": at,
        }
        for kind_name, column in AREA_COLUMNS.items():
            code = areas.get(kind_name)
            row[column] = ids.get((kind_name, code)) if code else None
        updates.append(row)
        events.append(
            {
                "created_at": at,
                "kind": EventKind.LOCATED,
                "actor": "system",
                "concern_id": concern_id,
                "data": {
                    "kind": place.kind,
                    "label": place.label,
                    "confidence": round(place.confidence, 3),
                },
            }
        )
        events.append(_status_event(concern_id, at, ConcernStatus.OPEN, f"located: {place.label}"))
    _update_concerns(updates)
    _insert_events(events)


def _write_unplaced(unplaced: list[tuple[int, Place, datetime]]) -> None:
    """What the locate job does when the words name no place (or only a guess): staff place it."""
    if not unplaced:
        return
    updates, events = [], []
    for concern_id, place, at in unplaced:
        updates.append(
            {
                "id": concern_id,
                "geocode_status": GeocodeStatus.FAILED,
                "status": ConcernStatus.NEEDS_LOCATION,
                "updated_at": at,
            }
        )
        guesses = [place, *place.alternatives] if place.found else []
        events.append(
            {
                "created_at": at,
                "kind": EventKind.LOCATION_FAILED,
                "actor": "system",
                "concern_id": concern_id,
                "data": {"suggestions": [g.to_dict(with_alternatives=False) for g in guesses[:5]]},
            }
        )
        events.append(
            _status_event(
                concern_id, at, ConcernStatus.NEEDS_LOCATION, "no place found in the text"
            )
        )
    _update_concerns(updates)
    _insert_events(events)


def _status_event(concern_id: int, at: datetime, target: ConcernStatus, reason: str) -> dict:
    return {
        "created_at": at,
        "kind": EventKind.STATUS_CHANGED,
        "actor": "system",
        "concern_id": concern_id,
        "from_status": str(ConcernStatus.NEW),
        "to_status": str(target),
        "reason": reason,
    }


# What each kind of lead agency does first: (action, staff note, public note, outcome).
FIRST_ACTIONS = {
    "police": [
        (
            ActionKind.DIRECTED_PATROL,
            "demo: extra evening patrols for two weeks",
            "Officers patrolled the block in the evenings and spoke with neighbours.",
            ActionOutcome.DONE,
        ),
        (
            ActionKind.SITE_VISIT,
            "demo: knock and talk at the address",
            "An officer visited and spoke with neighbours.",
            ActionOutcome.FOLLOW_UP_NEEDED,
        ),
    ],
    "DNS": [
        (
            ActionKind.CODE_INSPECTION,
            "demo: exterior inspection, orders written",
            "An inspector checked the property and wrote orders to the owner.",
            ActionOutcome.VIOLATION_FOUND,
        ),
        (
            ActionKind.NUISANCE_LETTER,
            "demo: chronic nuisance letter to the owner of record",
            "The owner was sent a chronic nuisance letter.",
            ActionOutcome.DONE,
        ),
    ],
    "DPW": [
        (
            ActionKind.CLEANUP,
            "demo: crew removed the debris",
            "A city crew cleaned up the site.",
            ActionOutcome.DONE,
        )
    ],
    "other": [
        (
            ActionKind.OWNER_MEETING,
            "demo: met the owner and the block club",
            "We met the property owner and neighbours.",
            ActionOutcome.DONE,
        )
    ],
}
RESOLUTIONS = {
    "police": ("demo: activity stopped after enforcement", ResolutionOutcome.ENFORCEMENT),
    "DNS": ("demo: owner evicted the tenants; activity stopped", ResolutionOutcome.OWNER_COMPLIANT),
    "DPW": ("demo: cleaned and the lot fenced", ResolutionOutcome.PROPERTY_SECURED),
    "other": ("demo: neighbours report it is quiet now", ResolutionOutcome.IMPROVED),
}


@dataclass
class Worked:
    assigned: int = 0
    actions: int = 0
    resolved: int = 0


def work_some_hotspots(
    seed: int, planned: dict[int, scenario.PlannedResponse] | None = None
) -> Worked:
    """Give the demo a history over its 90 days: the top hotspots owned by the agencies the
    routing rules suggest, days after their first reports; actions logged days later; the
    falling ones often resolved weeks after. The scenario's planned responses come first, on
    their planned days: most followed by fewer reports, some by no change, one by reports
    next door. All through the workflow, each step stamped with its day (demo/history.py)."""
    planned = planned or {}
    prosecutor = db.session.scalar(db.select(User).filter_by(role=Role.PROSECUTOR))
    agencies = {a.code: a for a in db.session.scalars(db.select(Agency))}
    ranked = db.session.scalars(
        db.select(Hotspot)
        .where(Hotspot.status == HotspotStatus.NEW)
        .order_by(Hotspot.priority.desc(), Hotspot.id)
    ).all()
    done = Worked()
    cap = min(int(len(ranked) * WORKED_SHARE), WORKED_MAX)
    first = [h for h in ranked if h.id in planned]
    worked = first + [h for h in ranked if h.id not in planned][: max(cap - len(first), 0)]
    timeline = history.Timeline(seed)
    acted: list[tuple[Hotspot, str, datetime]] = []
    for rank, hotspot in enumerate(worked):
        plan = planned.get(hotspot.id)
        assigned_at = timeline.assigned(hotspot.first_reported_at, plan)
        with history.happened_at(assigned_at):
            suggestion = suggest(hotspot)
            if suggestion is not None:
                confirm_suggestion(hotspot, prosecutor, suggestion)
                lead = suggestion.lead
            else:
                lead = agencies["DA-CPU"]
                assign(hotspot, lead, AssignmentRole.LEAD, prosecutor, "demo: no routing rule")
        done.assigned += 1
        if plan is None and rank % 3 == 2:
            continue  # assigned, nothing done yet
        kind = _agency_kind(lead)
        choices = FIRST_ACTIONS[kind]
        action, notes, public, outcome = choices[(rank + seed) % len(choices)]
        acted_at = timeline.acted(assigned_at, plan)
        with history.happened_at(acted_at):
            log_action(
                hotspot,
                lead,
                action,
                prosecutor,
                notes,
                public,
                occurred_at=acted_at,
                outcome=outcome,
            )
        done.actions += 1
        acted.append((hotspot, kind, acted_at))
    # Resolved: the planned places whose reports stopped (the displaced one too: it looked
    # solved), about half of the other worked places where reports are falling off, and one
    # at least, so that even a small demo shows the whole cycle down to the residents' texts.
    stopped = [a for a in acted if a[0].id in planned and planned[a[0].id].effect != "none"]
    falling = [
        a for a in acted if a[0].id not in planned and a[0].recent_count < a[0].previous_count
    ]
    chosen = stopped + falling[::2] or acted[-1:]
    for hotspot, kind, acted_at in chosen:
        reason, resolution = RESOLUTIONS[kind]
        resolved_at = timeline.resolved(acted_at)
        with history.happened_at(resolved_at):
            resolve(hotspot, prosecutor, reason, resolution)
            hotspot.resolved_at = resolved_at
        done.resolved += 1
    db.session.commit()
    return done


def _agency_kind(agency: Agency) -> str:
    if agency.kind == AgencyKind.POLICE:
        return "police"
    return agency.code if agency.code in FIRST_ACTIONS else "other"


def seed_demo(
    city: CityPackage,
    vault: PhoneVault,
    count: int = 2000,
    seed: int = 414,
    progress: Progress | None = None,
) -> dict:
    """The whole demo: users, concerns, located by the real geocoder, clustered, worked."""
    say = progress or (lambda message: None)
    agencies = {a.code: a for a in db.session.scalars(db.select(Agency))}
    create_demo_users(agencies)
    clock = _Clock()
    ids, plan = _seed_plan(city, vault, count, seed)
    say(f"{len(ids)} concerns saved ({clock.lap()})")
    located = locate_concerns(ids)
    say(
        f"{located.placed} located, {located.unplaced} left for staff to place; "
        f"{located.geocoded} distinct texts geocoded ({clock.lap()})"
    )
    result = recluster()
    say(f"re-clustered: {result.clusters} problem places ({clock.lap()})")
    worked = work_some_hotspots(seed, history.planned_hotspots(ids, plan.reports, plan.responses))
    say(
        f"{worked.assigned} hotspots assigned, {worked.actions} with an action, "
        f"{worked.resolved} resolved ({clock.lap()})"
    )
    return {
        "concerns": len(ids),
        "located": located.placed,
        "hotspots": len(result.created),
        "assigned": worked.assigned,
        "resolved": worked.resolved,
    }


class _Clock:
    def __init__(self) -> None:
        self.last = time.perf_counter()

    def lap(self) -> str:
        now = time.perf_counter()
        seconds, self.last = now - self.last, now
        return f"{seconds:.1f} s"
