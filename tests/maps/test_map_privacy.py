"""Nothing personal reaches a map file: no phone number, no house number, no staff note, no
resident's words, no point closer than a block; and what is shown is shown as text."""

from __future__ import annotations

import json
import re

import pytest
from flask import Flask

from community.extensions import db
from community.logging_setup import PHONE_RE
from community.models import Concern, Hotspot
from community.reports.areamap import MapFile, area_map, city_map, hotspot_map
from community.reports.requests import read_request
from tests.maps.conftest import (
    AREA,
    HOUSE_BEFORE_STREET,
    HOUSE_NUMBERS,
    PUBLIC_NOTE_WORDS,
    RESIDENT_WORDS,
    STAFF_NOTE,
    without_leaflet,
)
from tests.reports.conftest import DRUG_TEXTS, REPORTER_PHONE

HOSTILE_LABEL = "<script>alert('label')</script> 2417 N 35th St"


def _maps(language: str) -> dict[str, MapFile]:
    drug = db.session.scalar(db.select(Concern.hotspot_id).filter_by(text=DRUG_TEXTS[0]))
    wanted = read_request([AREA], None, None, language)
    return {
        "area": area_map(wanted.selection, wanted.period, language, heat=True),
        "city": city_map(None, None, language, heat=True),
        "hotspot": hotspot_map(drug, language),
    }


@pytest.mark.parametrize("language", ["en", "es"])
def test_no_phone_number_house_number_staff_note_or_resident_words(
    demo_app: Flask, language: str
) -> None:
    for scope, made in _maps(language).items():
        html = without_leaflet(made.html)
        assert made.hotspots, scope
        digits = REPORTER_PHONE[2:]  # 4145550187
        for phone in (REPORTER_PHONE, digits, "414-555-0187", "414 555 0187", "555-0187"):
            assert phone not in html, (scope, phone)
        assert not PHONE_RE.search(html), (scope, PHONE_RE.search(html))
        assert STAFF_NOTE not in html and "STAFF ONLY" not in html, scope
        assert PUBLIC_NOTE_WORDS not in html, scope
        for words in RESIDENT_WORDS:
            assert words not in html, (scope, words)
        for number in HOUSE_NUMBERS:
            assert not re.search(rf"(?<![\d.]){number}(?![\d])", html), (scope, number)
        # Every number written before a street is a hundred block.
        numbers = [int(n) for n in HOUSE_BEFORE_STREET.findall(html)]
        assert all(n % 100 == 0 for n in numbers), (scope, numbers)


def test_places_are_at_block_precision(demo_app: Flask) -> None:
    """Points are rounded as Open311 publishes them (three decimals, about a block)."""
    for scope, made in _maps("en").items():
        for data in re.findall(
            r"\}\)\(\w+, (\[.*?\]), \"(?:hotspot|concern)\"\);", made.html, re.S
        ):
            for mark in json.loads(data):
                for value in (mark["lat"], mark["lon"]):
                    assert round(value, 3) == value, (scope, value)
    exact = db.session.scalars(db.select(Hotspot.centroid_lat)).all()
    assert any(round(lat, 3) != lat for lat in exact)  # the data set has finer points to hide


def test_a_hostile_hotspot_label_is_text_and_generalised(demo_app: Flask) -> None:
    """A label with markup (and a house number) is shown as text, at its block."""
    drug = db.session.scalar(db.select(Concern.hotspot_id).filter_by(text=DRUG_TEXTS[0]))
    db.session.execute(
        db.update(Concern).where(Concern.hotspot_id == drug).values(location_label=None)
    )
    db.session.get(Hotspot, drug).label = HOSTILE_LABEL
    db.session.commit()
    html = without_leaflet(hotspot_map(drug, "en").html)
    assert "<script>alert" not in html
    assert not re.search(r"(?<![\d.])2417(?!\d)", html)
    assert "&lt;script&gt;alert(&#39;label&#39;)&lt;/script&gt; 2400 block of N 35th St" in html
