"""geocode(): free text to Place for the real Milwaukee package."""

from __future__ import annotations

import pytest

from community.geo.geocoder import geocode
from community.geo.place import Place


def test_geocode_resident_message(city):
    place = geocode(city, "people selling drugs out of the blue house at 2847 N 35th every night")
    assert place.kind == "address"
    assert place.label == "2847 N 35th St"
    assert place.found
    assert place.lat == pytest.approx(43.07074, abs=1e-4)
    assert place.lon == pytest.approx(-87.95772, abs=1e-4)
    assert 0 < place.confidence <= 1


def test_geocode_lake_drive(city):
    place = geocode(city, "2263 N Lake Dr")
    assert (place.lon, place.lat) == (pytest.approx(-87.8814075), pytest.approx(43.0595468))


@pytest.mark.parametrize("text", ["", "   ", "help!!", "x" * 10_000, "99999 N 35th St"])
def test_geocode_nothing(city, text):
    place = geocode(city, text)
    assert place == Place.none()
    assert place.kind == "none" and place.lat is None and place.lon is None
    assert place.confidence == 0 and not place.found
