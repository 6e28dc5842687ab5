"""Fixtures for the hardening tests: a small world with a value for every URL argument."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from werkzeug.routing import Rule
from werkzeug.routing.converters import AnyConverter

from community.extensions import db
from community.intake.photos import media_folder
from community.models import AssignmentRole, Photo, RoutingRule
from community.workflow.service import assign
from tests.factories import agency
from tests.helpers import ELSEWHERE
from tests.workflow.conftest import make_hotspot

LOGINS = {
    "admin": ("admin@example.org", "admin-pass"),
    "prosecutor": ("prosecutor@example.org", "prosecutor-pass"),
    "agency_staff": ("d3@example.org", "agency_staff-pass"),
    "viewer": ("viewer@example.org", "viewer-pass"),
}
OTHER_PLACE = "2200 N Elsewhere Ave"  # a repeat address only DNS's staff may see
PHOTO = "web-" + "cd" * 16 + ".jpg"
# Routes left out of the sweeps, and why.
SKIPPED = {
    "static",  # files, checked on their own
    "public.healthz",  # for the load balancer
}


@pytest.fixture
def world(app: Flask, users: dict) -> dict:
    """A District 3 hotspot led by MPD-D3 (with a photo), one elsewhere led by DNS."""
    ours = make_hotspot()
    assign(ours, agency("MPD-D3"), AssignmentRole.LEAD, users["prosecutor"])
    theirs = make_hotspot(district="5", around=ELSEWHERE)
    for other in theirs.concerns:
        other.location_label = OTHER_PLACE
    assign(theirs, agency("DNS"), AssignmentRole.LEAD, users["prosecutor"])
    concern = ours.concerns[0]
    db.session.add(
        Photo(
            concern_id=concern.id,
            file=PHOTO,
            content_type="image/jpeg",
            width=4,
            height=3,
            size_bytes=4,
        )
    )
    (media_folder() / PHOTO).write_bytes(b"\xff\xd8\xff photo")
    db.session.commit()
    rule = db.session.scalar(db.select(RoutingRule.id).limit(1))
    return {
        "hotspot_id": ours.id,
        "other_hotspot_id": theirs.id,
        "concern_id": concern.id,
        "case_number": concern.case_number,
        "case": concern.case_number,
        "service_request_id": concern.case_number,
        "user_id": users["viewer"].id,
        "rule_id": rule or 1,
        "batch_id": 1,
        "agency_id": agency("DNS").id,
        "key_id": 1,
        "name": PHOTO,
        "token": "not-a-token",
        "layer_id": "outline",
        "code": "drug_activity",
        "rest": "nowhere",
    }


def url_for_rule(rule: Rule, values: dict) -> str:
    """The rule's path with every argument filled from `values` (or an allowed word)."""
    arguments = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, AnyConverter):
            arguments[name] = sorted(converter.items)[0]
        else:
            arguments[name] = values[name]
    return rule.build(arguments, append_unknown=False)[1]


def get_rules(app: Flask) -> Iterator[Rule]:
    """Every GET route of the app, except the few SKIPPED."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" in rule.methods and rule.endpoint not in SKIPPED:
            yield rule
