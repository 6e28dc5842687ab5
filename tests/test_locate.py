"""The locate service: confident places open the concern; guesses go to staff with suggestions."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from community.extensions import db
from community.models import Concern, ConcernSource, ConcernStatus, Event, LocationKind
from community.places.locate import locate_concern
from tests.factories import ConcernFactory


def _pending(text: str, location_text: str | None = None) -> Concern:
    return ConcernFactory(
        text=text, location_text=location_text, source=ConcernSource.SMS, lat=None, lon=None
    )


def test_a_corner_in_the_message_places_the_concern(app) -> None:
    concern = _pending("shots fired by 35th and Burleigh last night")
    assert locate_concern(concern.id) is True
    assert concern.status == ConcernStatus.OPEN
    assert concern.location_kind == LocationKind.INTERSECTION
    assert concern.location_label == "N 35th St & W Burleigh St"
    assert concern.neighborhood is not None and concern.police_district is not None


def test_the_where_field_wins_over_the_description(app) -> None:
    concern = _pending("they sell drugs by 35th and Burleigh", location_text="2263 N Lake Dr")
    locate_concern(concern.id)
    assert concern.location_label == "2263 N Lake Dr"


@pytest.mark.parametrize(
    ("text", "suggested"),
    [
        ("drug house at 1518 35th st", {"1518 N 35th St", "1518 S 35th St"}),
        ("fights every night in Harambee", {"Harambee"}),
    ],
)
def test_a_guess_waits_for_staff_with_its_suggestions(app, text, suggested) -> None:
    concern = _pending(text)
    assert locate_concern(concern.id) is False
    assert concern.status == ConcernStatus.NEEDS_LOCATION and concern.lat is None
    event = db.session.scalar(
        sa.select(Event).filter_by(concern_id=concern.id, kind="location_failed")
    )
    assert {s["label"] for s in event.data["suggestions"]} == suggested


def test_locating_twice_changes_nothing(app) -> None:
    concern = _pending("2263 N Lake Dr")
    assert locate_concern(concern.id) is True
    events = db.session.scalar(sa.select(sa.func.count(Event.id)))
    assert locate_concern(concern.id) is False
    assert db.session.scalar(sa.select(sa.func.count(Event.id))) == events
