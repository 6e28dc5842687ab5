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


def _metres(place: Place, lat: float, lon: float) -> float:
    import math

    dy = (place.lat - lat) * 111_320
    dx = (place.lon - lon) * 111_320 * math.cos(math.radians(lat))
    return math.hypot(dx, dy)


@pytest.mark.parametrize(
    ("text", "kind", "label"),
    [
        ("shots fired by 35th and Burleigh", "intersection", "N 35th St & W Burleigh St"),
        ("speeding on Center near 27th", "intersection", "W Center St & N 27th St"),
        ("corner of 27th & Wells", "intersection", "N 27th St & W Wells St"),
        (
            "venden drogas en la esquina de la 16 y National",
            "intersection",
            "S Cesar E Chavez Dr & W National Ave",
        ),
        ("drug house on MLK and Locust", "intersection", "N Martin L King Jr Dr & W Locust St"),
        ("burliegh and 35th", "intersection", "W Burleigh St & N 35th St"),
        ("abandoned house on the 2400 block of N 12th", "block", "2400 block of N 12th St"),
        ("cuadra 2400 de la calle 12 norte", "block", "2400 block of N 12th St"),
        ("dumping behind Hamilton High School", "landmark", "Hamilton High"),
        ("fights at Washington Park", "landmark", "Washington Park"),
        ("people hanging out in Harambee", "area", "Harambee"),
        ("2849 N 35th St", "interpolated", "2849 N 35th St"),
        ("2263 n lake drive apt 2 milwaukee wi 53202", "address", "2263 N Lake Dr"),
    ],
)
def test_kinds_of_place(city, text, kind, label):
    place = geocode(city, text)
    assert (place.kind, place.label) == (kind, label)
    assert place.in_city is True and place.areas.get("neighborhood")


def test_an_intersection_is_where_the_streets_cross(city):
    place = geocode(city, "35th and Center")  # N 35th St & W Center St, both arterials
    assert _metres(place, 43.06786, -87.95735) < 40


def test_a_block_is_in_the_middle_of_its_hundred(city):
    place = geocode(city, "the 2400 block of N 12th St")
    other = geocode(city, "2450 N 12th St")
    assert _metres(place, other.lat, other.lon) < 60


def test_an_ambiguous_address_is_never_confident(city):
    place = geocode(city, "1518 35th st")  # N 35th and S 35th both have 1518
    assert place.confidence <= 0.5
    labels = {place.label, *(a.label for a in place.alternatives)}
    assert labels == {"1518 N 35th St", "1518 S 35th St"}


def test_a_named_area_settles_the_ambiguity(city):
    place = geocode(city, "1518 35th st in Walnut Hill")
    assert place.label == "1518 N 35th St" and place.confidence > 0.5


def test_a_wrong_direction_offers_the_real_address(city):
    place = geocode(city, "2847 S 35th St")  # only N 35th St has 2847
    assert place.confidence <= 0.5
    assert "2847 N 35th St" in {place.label, *(a.label for a in place.alternatives)}


def test_a_district_is_an_area(city):
    place = geocode(city, "lots of break ins in aldermanic district 7")
    assert place.kind == "area" and place.areas["aldermanic_district"] == "7"


@pytest.mark.parametrize(
    "text",
    [
        "someone keeps dumping trash",
        "6 gunshots at 11pm",
        "123 Main St, Springfield, IL 62701",
        "<script>alert(1)</script>",
        "'; DROP TABLE concern;--",
        "12345 67890",
        "🚨🚨🚨 🔫",
        "call me at 414-555-0123",
        "STOP",
        "trash all over main st",  # a street alone is no place to send anyone
        "la basura " * 500,
    ],
)
def test_no_place_means_none(city, text):
    assert geocode(city, text).kind == "none"


def test_json_contract(city):
    data = geocode(city, "2849 N 35th St").to_dict()
    assert data["kind"] == "address" and data["interpolated"] is True
    assert set(data) >= {
        "kind",
        "lat",
        "lon",
        "confidence",
        "label",
        "neighborhood",
        "aldermanic_district",
        "alternatives",
    }


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("shots on thirty fifth street and center", "N 35th St & W Center St"),
        ("forty-ninth and Center", "N 49th St & W Center St"),
        ("the twenty four hundred block of north twelfth", "2400 block of N 12th St"),
        ("24 hundred block of n 12th st", "2400 block of N 12th St"),
        ("drugs sold b/w 26th and 27th on Center", "W Center St between N 26th St and N 27th St"),
        ("someone dumping on 35th nr Burleigh", "N 35th St & W Burleigh St"),
    ],
)
def test_voice_to_text_and_shorthand(city, text, label):
    assert geocode(city, text).label == label


def test_numbered_streets_never_meet(city):
    assert geocode(city, "fights between 26th and 27th").kind == "none"
