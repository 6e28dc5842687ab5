"""reverse_geocode(): a tapped map point -> Place, on the real Milwaukee package."""

from __future__ import annotations

import math

import pytest

from community.geo.citypkg import to_lonlat, to_metres
from community.geo.place import Place
from community.geo.reverse import reverse_geocode

# MAI points (see test_geocoder.py): 2263 N Lake Dr stands alone; 2845 and 2847 N 35th St are
# one duplex sharing a point.
LAKE_DR = (-87.8814075, 43.0595468)
DUPLEX_35TH = (-87.957716, 43.07074)


def _offset(city, lonlat, dx_m: float, dy_m: float) -> tuple[float, float]:
    x, y = to_metres(city, *lonlat)
    lon, lat = to_lonlat(city, float(x) + dx_m, float(y) + dy_m)
    return float(lon), float(lat)


def test_point_next_to_an_address(city):
    lon, lat = _offset(city, LAKE_DR, 6, 0)
    place = reverse_geocode(city, lon, lat)
    assert place.kind == "address"
    assert place.label == "near 2263 N Lake Dr"
    assert (place.lon, place.lat) == (lon, lat)  # the tapped point, not the address point
    assert place.in_city is True
    assert place.areas["neighborhood"] == "NORTHPOINT"
    assert 0.85 < place.confidence < 0.9


def test_shared_point_names_the_lowest_number(city):
    place = reverse_geocode(city, *DUPLEX_35TH)
    assert place.label == "near 2845 N 35th St"
    assert place.areas == {
        "neighborhood": "SHERMAN PARK",
        "aldermanic_district": "15",
        "ward": "0149",
        "police_district": "7",
    }
    data = place.to_dict()
    assert data["kind"] == "address" and data["neighborhood"] == "SHERMAN PARK"
    assert data["lat"] == pytest.approx(43.07074) and data["in_city"] is True


def test_confidence_falls_with_distance(city):
    near = reverse_geocode(city, *_offset(city, LAKE_DR, 0, 1))
    mid = reverse_geocode(city, *_offset(city, LAKE_DR, 20, 0))
    assert near.confidence == pytest.approx(0.9, abs=0.01)
    assert near.confidence > mid.confidence >= 0.5
    # The same tap with a smaller radius: the address is no longer close enough.
    far = reverse_geocode(city, *_offset(city, LAKE_DR, 20, 0), max_distance_m=10)
    assert far.kind == "area"


def test_far_from_any_address_gives_the_neighbourhood(city):
    place = reverse_geocode(city, -87.8960, 42.9475)  # the airfield at Mitchell
    assert place.kind == "area"
    assert place.label == "Mitchell Field"
    assert place.in_city is True and place.found
    assert (place.lon, place.lat) == (-87.8960, 42.9475)
    assert place.confidence < 0.5


@pytest.mark.parametrize(
    "lonlat",
    [(-87.85, 43.05), (-88.05, 43.05)],  # Lake Michigan; Wauwatosa, west of the limits
    ids=["lake-michigan", "wauwatosa"],
)
def test_outside_the_city(city, lonlat):
    place = reverse_geocode(city, *lonlat)
    assert place.kind == "none" and not place.found
    assert place.in_city is False
    assert place.to_dict()["in_city"] is False


@pytest.mark.parametrize(
    "lonlat",
    [
        (math.nan, 43.05),
        (-87.9, math.nan),
        (math.inf, 43.05),
        (999, 43.05),
        (-87.9, 999),
        (-87.9, -91),
        ("west", "north"),
        (None, None),
    ],
)
def test_bad_coordinates(city, lonlat):
    assert reverse_geocode(city, *lonlat) == Place.none()
