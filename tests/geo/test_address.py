"""Street vocabulary and addresses found in messages, against the real MAI address points."""

from __future__ import annotations

import pytest

from community.geo.address import format_address, normalize_street, ordinal
from community.geo.geocoder import geocode


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (1, "1ST"),
        (2, "2ND"),
        (3, "3RD"),
        (4, "4TH"),
        (11, "11TH"),
        (12, "12TH"),
        (13, "13TH"),
        (21, "21ST"),
        (22, "22ND"),
        (23, "23RD"),
        (35, "35TH"),
        (101, "101ST"),
        (111, "111TH"),
        (112, "112TH"),
        (124, "124TH"),
    ],
)
def test_ordinal(number, expected):
    assert ordinal(number) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("north 35th Street", "N 35TH ST"),
        ("N. 35 St.", "N 35TH ST"),
        ("w wisconsin avenue", "W WISCONSIN AV"),
        ("W Wisconsin Av", "W WISCONSIN AV"),
        ("S Kinnickinnic Ave", "S KINNICKINNIC AV"),
        ("N Lake Drive", "N LAKE DR"),
        ("W Capitol Blvd", "W CAPITOL BL"),
        ("S 5th Place", "S 5TH PL"),
        ("S 99th Court", "S 99TH CT"),
        ("W Martin Lane", "W MARTIN LA"),
        ("W Greenwood Terrace", "W GREENWOOD TR"),
        ("W Keefe Avenue Parkway", "W KEEFE AVENUE PK"),
        ("N Colgate Circle", "N COLGATE CR"),
        ("W Freshwater Way", "W FRESHWATER WA"),
        ("W North Ave", "W NORTH AV"),
        ("North Ave", "NORTH AV"),
        ("n 1st st", "N 1ST ST"),
        ("S 2 St", "S 2ND ST"),
        ("N 3rd", "N 3RD"),
        ("W Mount Vernon Ave", "W MT VERNON AV"),
        ("N Martin Luther King Jr Drive", "N MARTIN L KING JR DR"),
        ("", ""),
    ],
)
def test_normalize_street(text, expected):
    assert normalize_street(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2847 N. 35th St.",
        "2847 N 35 STREET",
        "<p>Loud parties at <b>2847 n 35th st</b></p>",
        "I've called 20 times about 2847 N 35th St!!",
        "people selling drugs out of the blue house at 2847 N 35th every night",
        "¡Ayuda! fiesta ruidosa en 2847 N 35th St, señor",
        "\uff12\uff18\uff14\uff17 N 35th St",
    ],
)
def test_an_address_inside_a_message(city, text):
    place = geocode(city, text)
    assert (place.kind, place.label) == ("address", "2847 N 35th St")


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("trash dumped at 1000 W St Paul Ave again", "1000 block of W St Paul Ave"),
        ("6731 W Keefe Avenue Pkwy", "6731 W Keefe Avenue Pkwy"),
        ("1407 MLK", "1407 N Martin L King Jr Dr"),
        ("2263 lake drive", "2263 N Lake Dr"),
        ("2263 N Lake", "2263 N Lake Dr"),
    ],
)
def test_multiword_names_and_missing_parts(city, text, label):
    assert geocode(city, text).label == label


@pytest.mark.parametrize(
    "text",
    [
        "no address here",
        "call me at 414-555-0100",
        "\u2603\u2764\ufe0f\U0001f600",
        "<script>alert(1)</script>",
        "53210",
        "zip 53210",
    ],
)
def test_no_address(city, text):
    assert geocode(city, text).kind == "none"


def test_a_long_message_still_finds_its_address(city):
    filler = "lorem ipsum 12 dolor sit amet, " * 330  # ~10k characters with numbers in it
    place = geocode(city, filler + "at 2847 N 35th St " + filler)
    assert place.label == "2847 N 35th St"


def test_format_address():
    assert format_address(2847, "", "N", "35TH", "ST") == "2847 N 35th St"
    assert format_address(714, "", "W", "MC KINLEY", "AV") == "714 W Mc Kinley Ave"
    assert format_address(2263, "A", "N", "LAKE", "DR") == "2263A N Lake Dr"
    assert format_address(11222, "", "W", "METRO AUTO MALL", "") == "11222 W Metro Auto Mall"


# Real MAI rows: (text as a resident might write it, lon, lat, label).
MAI_ROWS = [
    ("2263 N Lake Dr", -87.8814075, 43.0595468, "2263 N Lake Dr"),
    ("3201 west birchwood avenue", -87.9549822, 42.9405718, "3201 W Birchwood Ave"),
    ("4680 N 51st Blvd", -87.976381, 43.1024986, "4680 N 51st Blvd"),
    ("2215 S. 5th Place", -87.9180882, 43.0042717, "2215 S 5th Pl"),
    ("3356 S 99 Ct", -88.0357891, 42.9833141, "3356 S 99th Ct"),
    ("231 W Martin Ln", -87.9143147, 42.9651764, "231 W Martin Ln"),
    ("10035 W Greenwood Ter", -88.0377306, 43.1515257, "10035 W Greenwood Ter"),
    ("4196 N Colgate Cir", -88.0218691, 43.0931567, "4196 N Colgate Cir"),
    ("360 W Freshwater Way", -87.9157799, 43.0293838, "360 W Freshwater Way"),
    ("6029 W Calumet Road", -87.9865635, 43.1565069, "6029 W Calumet Rd"),
    ("2846 N 1st St", -87.9110, 43.0704, "2846 N 1st St"),
]


@pytest.mark.parametrize(("text", "lon", "lat", "label"), MAI_ROWS)
def test_exact_match_real_rows(city, text, lon, lat, label):
    place = geocode(city, text)
    assert place.kind == "address"
    assert place.lon == pytest.approx(lon, abs=5e-4)
    assert place.lat == pytest.approx(lat, abs=5e-4)
    assert place.label == label
    assert place.confidence > 0.85


def test_an_address_with_a_suffix(city):
    place = geocode(city, "2116A W Middlemass St")
    assert place.label == "2116A W Middlemass St"
    assert place.lon == pytest.approx(-87.940857, abs=1e-5)


def test_direction_omitted_and_ambiguous(city):
    place = geocode(city, "705 35th st")  # 705 N 35th St and 705 S 35th St both exist
    assert place.confidence <= 0.5
    assert {place.label, *(a.label for a in place.alternatives)} == {
        "705 N 35th St",
        "705 S 35th St",
    }
    assert geocode(city, "705 S 35th St").label == "705 S 35th St"


def test_no_such_number(city):
    assert geocode(city, "99999 N 35th St").kind == "none"
