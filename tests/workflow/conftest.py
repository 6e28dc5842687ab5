"""Fixtures for the workflow tests: a hotspot in police district 3, staff of two agencies."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from community.extensions import db
from community.hotspots.recluster import recluster
from community.models import Area, AreaKind, Hotspot, Role, User
from tests.factories import UserFactory, agency
from tests.helpers import placed_concerns

VERSION = re.compile(r'name="(?:[a-z]+-)?version" type="hidden" value="(\d+)"')


def area_id(kind: AreaKind, code: str) -> int:
    return db.session.scalar(db.select(Area.id).filter_by(kind=kind, code=code))


def make_hotspot(count: int = 4, district: str = "3", **fields: object) -> Hotspot:
    """A new hotspot of drug-activity concerns (by default) in a police district."""
    placed_concerns(count, police_district_id=area_id(AreaKind.POLICE_DISTRICT, district), **fields)
    return db.session.get(Hotspot, recluster().created[0])


@pytest.fixture
def hotspot(app) -> Hotspot:
    return make_hotspot()


@pytest.fixture
def hotspot_id(hotspot) -> int:
    return hotspot.id


@pytest.fixture
def dns_staff(app) -> User:
    """Agency staff of another agency (Neighborhood Services)."""
    return UserFactory(
        email="dns@example.org",
        role=Role.AGENCY_STAFF,
        password="dns-staff-pass",
        agency_id=agency("DNS").id,
    )


def page_version(client: FlaskClient, hotspot_id: int) -> int:
    """The hotspot version the page's forms carry, as a browser would send it back."""
    page = client.get(f"/staff/hotspots/{hotspot_id}").get_data(as_text=True)
    versions = set(VERSION.findall(page))
    assert len(versions) == 1, versions
    return int(versions.pop())
