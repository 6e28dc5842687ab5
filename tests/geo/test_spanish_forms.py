"""Forms of issue 21: how south-side residents write places that the parser first missed.

Each expected point comes from the city package itself (the City's address points, the schools
file, the place-names file), never from the geocoder.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from community.geo.citypkg import CityPackage, load_address_points
from community.geo.geocoder import geocode
from community.geo.landmarks import landmark_index
from community.geo.streets import street_index
from tests.geo.conftest import MILWAUKEE
from tests.geo.test_spanish_blocks import (
    address_point,
    assert_near,
    block_middle,
    corner,
    metres,
    school,
)


@pytest.fixture(scope="module")
def points(city: CityPackage) -> pd.DataFrame:
    """The City's address points, text columns as str."""
    frame = load_address_points(city)
    for column in ("direction", "street", "street_type"):
        frame[column] = frame[column].astype(str)
    return frame


def named_place(name: str) -> tuple[float, float]:
    """The position the place-names file gives a public place (the City's MAI point)."""
    data = json.loads((MILWAUKEE / "place_names.json").read_text(encoding="utf-8"))
    place = next(p for p in data["places"] if p["name"] == name)
    return place["lat"], place["lon"]


def assert_guess(place) -> None:
    """A guess stays a guess: found, but not confident."""
    assert place.found, place
    assert place.confidence <= 0.5, place


# -- blocks and addresses -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "venden drogas en la cuadra 13 de la 16 sur",
        "la cuadra del 13 de la calle 16 sur tiene basura",
        "en el bloque 13 de la 16 sur balazos",
    ],
)
def test_block_given_in_hundreds(city, points, text):
    expected = block_middle(points, 1300, "S", "CESAR E CHAVEZ", "DR")
    assert_near(geocode(city, text), expected, 200)


def test_two_blocks_away_is_no_hundred_block(city):
    place = geocode(city, "a 2 cuadras de la 16 sur y National")
    assert place.kind == "intersection", place


@pytest.mark.parametrize(
    "text",
    ["el 1615 sur de la calle 11 tiene basura", "venden drogas en el 1615 sur de la 11"],
)
def test_direction_after_the_house_number(city, points, text):
    assert_near(geocode(city, text), address_point(points, 1615, "S", "11TH", "ST"), 60)


def test_direction_then_de_still_says_where_along_a_street(city):
    place = geocode(city, "venden drogas al sur de la National")
    assert not place.found or place.confidence <= 0.5, place


@pytest.mark.parametrize(
    "text",
    ["balazos en el 28 47 n 35", "balazos en el 28-47 n 35 st", "venden drogas en la 28 47 35"],
)
def test_house_number_written_in_two_pairs(city, points, text):
    assert_near(geocode(city, text), address_point(points, 2847, "N", "35TH", "ST"), 60)


def test_house_number_without_calle_or_street_type(city, points):
    place = geocode(city, "venden drogas en la 2847 35")
    assert_near(place, address_point(points, 2847, "N", "35TH", "ST"), 60)


@pytest.mark.parametrize(
    "text",
    ["el block del 2400 de la 13 sur tiene basura", "la cuadra 24 de la 13 sur venden drogas"],
)
def test_spanglish_block(city, points, text):
    assert_near(geocode(city, text), block_middle(points, 2400, "S", "13TH", "ST"), 200)


@pytest.mark.parametrize(
    "text",
    [
        "en la 16 entre Lincoln y Becher tiran basura",
        "entre la Lincoln y la Becher en la 16 venden drogas",
        "on 16th between Lincoln and Becher",
    ],
)
def test_block_between_two_cross_streets_street_first_or_last(city, points, text):
    ends = [
        corner(points, ("S", "16TH", "ST"), ("W", "LINCOLN", "AV")),
        corner(points, ("S", "16TH", "ST"), ("W", "BECHER", "ST")),
    ]
    middle = ((ends[0][0] + ends[1][0]) / 2, (ends[0][1] + ends[1][1]) / 2)
    place = geocode(city, text)
    assert_near(place, middle, 200)
    assert place.kind == "block"


# -- corners ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "venden drogas en la veintisiete y la Lincoln",
        "en la 27ava y la Lincoln hay peleas",
        "por la Lincoln cerca de la 27 venden drogas",
        "en la corner de la 27 y Lincoln venden drogas",
        "venden drogas en la esquina de la 27 y Lincon",
    ],
)
def test_ordinals_spanglish_and_typos_at_a_corner(city, points, text):
    expected = corner(points, ("S", "27TH", "ST"), ("W", "LINCOLN", "AV"))
    assert_near(geocode(city, text), expected, 150)


def test_ordinal_words_in_two_words(city, points):
    place = geocode(city, "peleas en la treinta y cinco y Burnham")
    assert_near(place, corner(points, ("S", "35TH", "ST"), ("W", "BURNHAM", "ST")), 150)


def test_misspelling_equally_close_to_two_names_gives_both(city):
    assert set(street_index(city).fuzzy_names("MICHELL")) == {"MITCHELL", "MICHELLE"}


def test_misspelling_settled_by_the_corner(city, points):
    place = geocode(city, "venden drogas en la esquina de la 23 y Michell")
    assert_near(place, corner(points, ("S", "23RD", "ST"), ("W", "MITCHELL", "ST")), 150)


# -- landmarks ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("venden drogas atras de la biblioteca de Mitchell Street", "Mitchell Street Library"),
        ("peleas afuera de la biblioteca Forest Home", "Forest Home Library"),
        ("carros rapidos frente al hospital St Francis", "Ascension St. Francis Hospital"),
        ("venden drogas en el hospital de veteranos", "Zablocki VA Medical Center"),
        ("hay peleas afuera de la iglesia de San Adalberto", "St. Adalbert Church"),
        ("balazos cerca de la basilica de San Josafat", "Basilica of St. Josaphat"),
        ("venden drogas frente a la iglesia de Guadalupe", "Our Lady of Guadalupe Church (St. Patrick)"),
        ("venden drogas en la estacion de tren", "Milwaukee Intermodal Station"),
        ("carros rapidos por la clinica de la 16", "Sixteenth Street Community Health Center"),
        ("peleas en el parque Pulaski", "Pulaski Park"),
        ("venden drogas en el parque Walker Square", "Walker Square Park"),
        ("hay peleas en el parque South Shore", "South Shore Park"),
    ],
)  # fmt: skip
def test_landmarks_by_their_spanish_names(city, text, name):
    assert_near(geocode(city, text), named_place(name), 150)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("peleas afuera de Carmen Southeast", "Carmen High School of Science and Technology Southeast Campus"),
        ("venden drogas cerca de la Carmen sureste", "Carmen High School of Science and Technology Southeast Campus"),
        ("fights after school at Carmen Northwest", "Carmen Middle/High School of Science and Technology Northwest Campus"),
        ("la secundaria Pulaski tiene peleas", "Pulaski High"),
        ("venden drogas cerca de la Escuela Verde", "Escuela Verde"),
        ("peleas afuera de la escuela La Causa", "La Causa Charter School"),
        ("frente a la Academia de Lenguaje y Bellas Artes", "ALBA - Academia de Lenguaje y Bellas Artes"),
        ("venden drogas frente a la escuela Carmen High School of Science and Technology Southeast Campus",
         "Carmen High School of Science and Technology Southeast Campus"),
    ],
)  # fmt: skip
def test_schools_by_campus_nickname_and_spanish_name(city, text, name):
    assert_near(geocode(city, text), school(name), 300)


def test_school_without_a_school_word_is_a_guess(city):
    place = geocode(city, "venden drogas cerca de la South Division")
    assert_guess(place)
    assert metres(place.lat, place.lon, *school("South Division High")) < 300


def test_a_school_word_and_a_common_first_word_is_no_confident_school(city):
    place = geocode(city, "balazos cerca de la escuela Saint")
    assert not place.found or place.confidence <= 0.5, place


def test_a_street_is_not_a_school_nickname(city):
    assert ("FOREST", "HOME") in landmark_index(city).bare_nicknames
    assert not geocode(city, "venden drogas en la Forest Home").found


# -- no place -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "la casa de mi abuela",
        "el 15 de mayo hubo balazos",
        "a las 11 de la noche hay fiestas",
        "tengo 3 hijos y la calle esta sucia",
        "la calle esta llena de basura",
        "de 10 a 12 de la noche ponen musica",
        "hay 20 30 carros en la calle",
        "mi hijo de 16 anos tiene miedo",
    ],
)
def test_no_place_stays_none(city, text):
    place = geocode(city, text)
    assert not place.found or place.confidence < 0.5, place


@pytest.mark.parametrize(
    ("text", "code"),
    [("peleas en el parque Bay View", "BAY VIEW"), ("el parque Clarke Square", "CLARKE SQUARE")],
)
def test_park_of_a_neighbourhood_named_in_spanish(city, text, code):
    assert geocode(city, text).areas.get("neighborhood") == code
