"""Address parsing, normalisation and exact matching against the real MAI address points."""

from __future__ import annotations

import pytest

from community.geo.address import (
    ParsedAddress,
    format_address,
    normalize_street,
    ordinal,
    parse_address,
)


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
        "people selling drugs out of the blue house at 2847 N 35th St every night",
        "2847 north 35th street, Milwaukee WI 53210",
        "2847 N. 35th St.",
        "2847 N 35 STREET",
        "<p>Loud parties at <b>2847 n 35th st</b></p>",
        "I've called 20 times about 2847 N 35th St!!",
    ],
)
def test_parse_address_in_messages(text):
    assert parse_address(text) == ParsedAddress(2847, "", "N", "35TH", "ST")


def test_parse_without_type_stops_at_the_street():
    parsed = parse_address("people selling drugs out of the blue house at 2847 N 35th every night")
    assert parsed == ParsedAddress(2847, "", "N", "35TH", "")


def test_parse_known_streets_settles_multiword_names(index):
    assert index.parse("trash dumped at 1000 W St Paul Ave again") == ParsedAddress(
        1000, "", "W", "ST PAUL", "AV"
    )
    assert index.parse("6731 W Keefe Avenue Pkwy") == ParsedAddress(
        6731, "", "W", "KEEFE AVENUE", "PK"
    )
    assert index.parse("speeding on 3000 North Avenue") == ParsedAddress(
        3000, "", "", "NORTH", "AV"
    )
    assert index.parse("1407 MLK") == ParsedAddress(1407, "", "", "MARTIN L KING JR", "")
    assert index.parse("2847 N 35th every night").street == "35TH"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "no address here",
        "call me at 414-555-0100",
        "\u2603\u2764\ufe0f\U0001f600",
        "<script>alert(1)</script>",
        "53210",
        "zip 53210",
    ],
)
def test_parse_nothing(index, text):
    assert index.parse(text) is None


def test_parse_unicode_and_fullwidth():
    assert parse_address("¡Ayuda! fiesta ruidosa en 2847 N 35th St, señor") == ParsedAddress(
        2847, "", "N", "35TH", "ST"
    )
    assert parse_address("\uff12\uff18\uff14\uff17 N 35th St").number == 2847


def test_parse_long_input_is_fast(index):
    import time

    filler = "lorem ipsum 12 dolor sit amet, " * 330  # ~10k characters with numbers in it
    text = filler + "at 2847 N 35th St " + filler
    assert len(text) > 10_000
    start = time.perf_counter()
    assert index.parse(text) == ParsedAddress(2847, "", "N", "35TH", "ST")
    assert parse_address(text) is not None
    assert time.perf_counter() - start < 1.0


def test_format_address():
    assert format_address(2847, "", "N", "35TH", "ST") == "2847 N 35th St"
    assert format_address(714, "", "W", "MC KINLEY", "AV") == "714 W Mc Kinley Ave"
    assert format_address(2263, "A", "N", "LAKE", "DR") == "2263A N Lake Dr"
    assert format_address(11222, "", "W", "METRO AUTO MALL", "") == "11222 W Metro Auto Mall"
    assert ParsedAddress(2847, "", "N", "35TH", "ST").label == "2847 N 35th St"


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
def test_exact_match_real_rows(index, text, lon, lat, label):
    place = index.match(index.parse(text))
    assert place is not None
    assert place.kind == "address"
    assert place.lon == pytest.approx(lon, abs=5e-4)
    assert place.lat == pytest.approx(lat, abs=5e-4)
    assert place.label == label
    assert place.confidence == pytest.approx(0.95)


def test_match_with_suffix_row(index):
    place = index.match(ParsedAddress(2116, "A", "W", "MIDDLEMASS", "ST"))
    assert place is not None and place.label == "2116A W Middlemass St"
    assert place.lon == pytest.approx(-87.940857, abs=1e-5)


def test_direction_or_type_omitted_unique(index):
    place = index.match(index.parse("2263 lake drive"))
    assert place is not None and place.label == "2263 N Lake Dr"
    assert place.confidence < 0.95
    place = index.match(index.parse("2263 N Lake"))
    assert place is not None and place.label == "2263 N Lake Dr"
    assert index.complete(ParsedAddress(2263, street="LAKE")) == ParsedAddress(
        2263, "", "N", "LAKE", "DR"
    )


def test_direction_omitted_ambiguous(index):
    # 705 N 35th St and 705 S 35th St both exist: no guess.
    assert len(index.candidates(ParsedAddress(705, street="35TH", street_type="ST"))) == 2
    assert index.match(ParsedAddress(705, street="35TH", street_type="ST")) is None
    assert index.match(ParsedAddress(705, "", "S", "35TH", "ST")) is not None


def test_no_match(index):
    assert index.match(None) is None
    assert index.match(ParsedAddress(2847, "", "S", "35TH", "ST")) is None  # wrong direction
    assert index.match(ParsedAddress(99999, "", "N", "35TH", "ST")) is None
