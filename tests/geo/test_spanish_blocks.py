"""Spanish place forms, blocks written every way, nicknames, parks, schools, and when to ask.

Each expected point comes from the city package itself (the City's address points, the schools
file, the place-names file), never from the geocoder.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from community.geo.citypkg import CityPackage, load_address_points
from community.geo.geocoder import geocode
from community.geo.message import message_tokens
from community.geo.spanish import spanish_numbers
from community.geo.text import tokenize
from tests.geo.conftest import MILWAUKEE


@pytest.fixture(scope="module")
def points(city: CityPackage) -> pd.DataFrame:
    frame = load_address_points(city)
    for column in ("direction", "street", "street_type"):
        frame[column] = frame[column].astype(str)
    return frame


def metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_008.8 * math.asin(math.sqrt(h))


def street(points: pd.DataFrame, direction: str, name: str, street_type: str) -> pd.DataFrame:
    rows = points[
        (points.direction == direction)
        & (points.street == name)
        & (points.street_type == street_type)
    ]
    assert not rows.empty, (direction, name, street_type)
    return rows


def address_point(points, number, direction, name, street_type) -> tuple[float, float]:
    rows = street(points, direction, name, street_type)
    row = rows[rows.number == number].iloc[0]
    return float(row.lat), float(row.lon)


def block_middle(points, hundred, direction, name, street_type) -> tuple[float, float]:
    rows = street(points, direction, name, street_type)
    rows = rows[(rows.number >= hundred) & (rows.number < hundred + 100)]
    return float(rows.lat.mean()), float(rows.lon.mean())


def corner(points, first: tuple[str, str, str], second: tuple[str, str, str]):
    """Where the two streets' address points come closest: the middle of that pair."""
    a, b = street(points, *first), street(points, *second)
    d = np.hypot(
        (a.lon.to_numpy()[:, None] - b.lon.to_numpy()[None, :]) * 81_000,
        (a.lat.to_numpy()[:, None] - b.lat.to_numpy()[None, :]) * 111_000,
    )
    i, j = np.unravel_index(np.argmin(d), d.shape)
    return (a.lat.iloc[i] + b.lat.iloc[j]) / 2, (a.lon.iloc[i] + b.lon.iloc[j]) / 2


def assert_near(place, expected: tuple[float, float], tolerance_m: float) -> None:
    assert place.found, place
    assert place.confidence > 0.5, place
    assert metres(place.lat, place.lon, *expected) <= tolerance_m, place


def school(name: str) -> tuple[float, float]:
    data = json.loads((MILWAUKEE / "schools_2024_25.geojson").read_text(encoding="utf-8"))
    props = next(
        f["properties"] for f in data["features"] if f["properties"]["school_name"] == name
    )
    return props["lat"], props["lon"]


# -- Spanish ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "venden drogas en el 2847 de la calle 35 norte",
        "la casa del 2847 de la 35 norte esta abandonada",
        "balazos en el 2847 35 calle norte",
        "hay fiestas en la casa en la 35 norte numero 2847",
        "venden drogas en el 2847 de la calle treinta y cinco norte",
        "venden drogas en el 2847 de la 35ava nte",
    ],
)
def test_spanish_address_number_and_street_every_order(city, points, text):
    assert_near(geocode(city, text), address_point(points, 2847, "N", "35TH", "ST"), 60)


@pytest.mark.parametrize(
    "text",
    [
        "venden drogas en la esquina de la 27 norte y Center",
        "en la 27 nte y la Center hay peleas",
        "carros rapidos en la ezquina de la 27 i Center",
        "en la calle veintisiete y Center balazos",
        "esquina de Center y la 27th norte",
    ],
)
def test_spanish_corner_direction_after_street_and_phone_spelling(city, points, text):
    expected = corner(points, ("N", "27TH", "ST"), ("W", "CENTER", "ST"))
    assert_near(geocode(city, text), expected, 150)


def test_spanish_direction_after_street_settles_north_or_south(city, points):
    place = geocode(city, "venden drogas en la 6 sur y Becher")
    assert_near(place, corner(points, ("S", "6TH", "ST"), ("W", "BECHER", "ST")), 150)


@pytest.mark.parametrize(
    "text",
    [
        "la cuadra del 2400 de la 12 norte venden drogas",
        "en el bloque 2400 de la calle 12 norte hay basura",
        "en la 12 norte, cuadra del 2400, balazos",
        "la cuadra del dos mil cuatrocientos de la doce norte",
        "kuadra 2400 de la 12 nte fiestas",
    ],
)
def test_spanish_cuadra_and_bloque(city, points, text):
    assert_near(geocode(city, text), block_middle(points, 2400, "N", "12TH", "ST"), 200)


@pytest.mark.parametrize(
    "text",
    [
        "en la Lincoln entre la 13 y la 14 tiran basura",
        "entre la 13 y la 14 en la Lincoln tiran basura",
        "en la avenida Lincoln entre la calle 13 y la 14 sur",
    ],
)
def test_spanish_entre(city, points, text):
    assert_near(geocode(city, text), block_middle(points, 1300, "W", "LINCOLN", "AV"), 200)


def test_spanish_numbers_in_words_and_ordinals():
    words = tokenize("la cuadra del mil trescientos de la treinta y cinco")
    assert [t.text for t in spanish_numbers(words)][3:] == ["1300", "DE", "LA", "35"]
    words = tokenize("dos carros en la 16va y la quinta")
    assert [t.text for t in spanish_numbers(words)] == [
        "DOS",
        "CARROS",
        "EN",
        "LA",
        "16",
        "Y",
        "LA",
        "5",
    ]


def test_spanish_place_words_take_english_roles():
    words = [t.text for t in message_tokens("frente a la escuela en la esquina de la 16 sur")]
    assert words == ["NEAR", "SCHOOL", "ON", "CORNER", "16", "SOUTH"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("frente a la escuela Allen Field venden drogas", "Allen-Field Elementary"),
        ("al lado de la escuela South Division hay peleas", "South Division High"),
        ("detras de la eskuela Bruce Guadalupe tiran basura", "Bruce Guadalupe"),
    ],
)
def test_spanish_school_names(city, text, name):
    place = geocode(city, text)
    assert place.label == name
    assert_near(place, school(name), 300)


# -- blocks every way ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "the 3700 block of N 35th St has cars racing",
        "N 35th St 3700 block shots fired",
        "north 35th, 3700 block, dumping",
        "37th hundred block of north 35th",
        "37 hundred block of N 35th",
        "3700 blk n 35th st",
        "the 3700 block of 35th street north",
        "3700 block 35th st N",
        "on 35th st n in the 3700 block",
    ],
)
def test_blocks_written_every_way(city, points, text):
    place = geocode(city, text)
    assert place.kind == "block"
    assert_near(place, block_middle(points, 3700, "N", "35TH", "ST"), 200)


def test_block_of_a_named_street_before_the_number(city, points):
    place = geocode(city, "burleigh 3700 block drug dealing")
    assert_near(place, block_middle(points, 3700, "W", "BURLEIGH", "ST"), 200)


# -- named places -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("car break ins all over the Third Ward", "HISTORIC THIRD WARD"),
        ("drag racing in bayview every night", "BAY VIEW"),
        ("fights outside the bars in Walkers Point", "WALKER'S POINT"),
        ("Brewers Hill break ins", "BREWER'S HILL"),
        ("speeding all over the East Side", "LOWER EAST SIDE"),
        ("venden drogas en Clarke Square", "CLARKE SQUARE"),
        ("robos en Historic Mitchell", "HISTORIC MITCHELL STREET"),
    ],
)
def test_districts_by_name_and_nickname(city, text, code):
    assert geocode(city, text).areas.get("neighborhood") == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("venden drogas en el parque Washington", "WASHINGTON PARK"),
        ("peleas en el parque de Mitchell", "MITCHELL PARK"),
        ("frente al parque Kosciuszko venden drogas", "LINCOLN VILLAGE"),
        ("kids drinking in Humboldt Park", "BAY VIEW"),
    ],
)
def test_parks_by_name(city, text, code):
    place = geocode(city, text)
    assert place.kind == "landmark"
    assert place.areas.get("neighborhood") == code


def test_public_landmarks_by_english_and_spanish_name(city, points):
    zoo = address_point(points, 10001, "W", "BLUE MOUND", "RD")
    assert_near(geocode(city, "cars broken into at the County Zoo lot"), zoo, 100)
    assert_near(geocode(city, "robaron carros frente al zoologico"), zoo, 100)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("kids fighting after school at Allen Field school", "Allen-Field Elementary"),
        ("speeding by the 81st street school", "Eighty-First Street Elementary"),
        ("fights at James Madison campus", "James Madison Academic Campus"),
        ("drugs sold outside James Madison school", "James Madison Academic Campus"),
    ],
)
def test_school_name_forms(city, text, name):
    place = geocode(city, text)
    assert place.label == name
    assert_near(place, school(name), 300)


def test_the_elementary_on_a_street(city):
    place = geocode(city, "cars speeding past the elementary on Oklahoma")
    data = json.loads((MILWAUKEE / "schools_2024_25.geojson").read_text(encoding="utf-8"))
    on_oklahoma = {
        f["properties"]["school_name"]
        for f in data["features"]
        if "Oklahoma" in f["properties"]["address"]
        and "Elementary" in f["properties"]["school_name"]
    }
    assert place.kind == "landmark"
    assert place.label in on_oklahoma


# -- when to ask --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "cars speeding on Oklahoma Ave all day",
        "venden drogas en la Lincoln todas las noches",
        "drag racing on National again",
    ],
)
def test_a_street_alone_asks(city, text):
    place = geocode(city, text)
    assert not (place.found and place.confidence > 0.5)


def test_two_places_ask_which(city, points):
    place = geocode(city, "drug houses at 2847 N 35th St and also at 1500 W Lincoln Ave")
    assert place.found and place.confidence < 0.5
    both = [place, *place.alternatives]
    first = address_point(points, 2847, "N", "35TH", "ST")
    second = address_point(points, 1500, "W", "LINCOLN", "AV")
    assert any(metres(p.lat, p.lon, *first) < 60 for p in both)
    assert any(metres(p.lat, p.lon, *second) < 60 for p in both)


def test_one_place_written_twice_does_not_ask(city, points):
    place = geocode(city, "2847 N 35th St, near 35th and Center")
    assert_near(place, address_point(points, 2847, "N", "35TH", "ST"), 60)
