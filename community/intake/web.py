"""The web form's service: check where, clean the photo, then save the concern (all or nothing)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import current_app
from werkzeug.datastructures import FileStorage

from community.extensions import db
from community.hotspots.incremental import join_nearest
from community.intake.errors import IntakeError
from community.intake.nearby import Nearby, nearby
from community.intake.photos import CleanPhoto, clean_photo, photo_limits
from community.intake.service import ConcernInput, concern_for_key, submit_concern
from community.intake.where import Located, locate_report, parse_point
from community.jobs import enqueue
from community.models import Category, Concern, ConcernSource

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WebReport:
    """The form's fields as the resident sent them."""

    text: str
    category_code: str
    location_text: str
    point: str | None
    occurred_text: str | None
    phone: str | None
    submission: str | None
    language: str


@dataclass(frozen=True)
class LocationCheck:
    """What the "check the location" step shows: the place, its other readings, neighbours."""

    located: Located
    nearby: Nearby | None


def check_location(report: WebReport) -> LocationCheck:
    """Where the report is and what was reported near there; IntakeError when outside the city."""
    located = locate_report(report.location_text, parse_point(report.point))
    return LocationCheck(located, nearby_for(located, report.category_code, report.language))


def nearby_for(located: Located, category_code: str, language: str) -> Nearby | None:
    category = active_category(category_code)
    if category is None or located.place is None or not located.place.found:
        return None
    return nearby(located.place.lat, located.place.lon, category, language)


def active_category(code: str | None) -> Category | None:
    if not code:
        return None
    return db.session.scalar(db.select(Category).filter_by(code=code, active=True))


def submit_web_report(report: WebReport, upload: FileStorage | None) -> Concern:
    """Save a web report with its place and photo; IntakeError (nothing saved) on bad input.

    A replayed form (the same one-time key) returns the concern it made the first time.
    """
    key = f"web:{report.submission}" if report.submission else None
    already = concern_for_key(key)
    if already is not None:
        return already
    located = _checked_place(report)
    photo = read_photo(upload)
    concern = submit_concern(
        ConcernInput(
            text=report.text,
            category_code=report.category_code,
            source=ConcernSource.WEB,
            location_text=report.location_text or (located.place.label if located.place else None),
            language=report.language,
            phone=report.phone or None,
            occurred_text=report.occurred_text or None,
            intake_key=key,
            place=located.place if located.chosen else None,
            placed_on_map=located.on_map,
            photo=photo,
        )
    )
    # Placed now: into the nearest active hotspot at once, and a (debounced) recluster is owed,
    # as after the locate job. Not placed: the locate job tries (then staff).
    if concern.located:
        join_nearest(concern.id)
        enqueue("recluster", delay=current_app.config["CLUSTER_DEBOUNCE_S"])
    else:
        enqueue("locate_concern", concern.id)
    return concern


def _checked_place(report: WebReport) -> Located:
    """The place, refused when outside the city; a geocoder failure never loses the report."""
    point = parse_point(report.point)
    try:
        return locate_report(report.location_text, point)
    except IntakeError:
        raise
    except Exception:  # the city data or a Nominatim server failed: save now, place later
        log.exception("could not check the place of a web report; the locate job will")
        return Located(None)


def other_problems(report: WebReport, upload: FileStorage | None) -> list[IntakeError]:
    """The place's and the photo's problems, so a form with mistakes lists them all at once."""
    problems = []
    try:
        if report.location_text or report.point:
            _checked_place(report)
    except IntakeError as error:
        problems.append(error)
    try:
        read_photo(upload)
    except IntakeError as error:
        problems.append(error)
    return problems


def read_photo(upload: FileStorage | None) -> CleanPhoto | None:
    """The uploaded photo cleaned, or None when no file was chosen."""
    if upload is None or not upload.filename:
        return None
    max_bytes, max_dimension = photo_limits()
    raw = upload.stream.read(max_bytes + 1)  # one byte over is enough to refuse it
    return clean_photo(raw, max_bytes, max_dimension)
