"""Geocoder backends: local by default, Nominatim over real HTTP (geopy) to a fake server."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

import pytest

from community.geo.backends import GeocoderBackend, LocalGeocoder, backend_for, city_viewbox
from community.geo.nominatim import MAX_QUERY_CHARS, NominatimGeocoder, place_from_result
from community.geo.place import Place
from tests.geo.fake_nominatim import DEFAULT_PLACES, FakeNominatim

USER_AGENT = "community-prosecution-tests/1.0"
TIMEOUT_S = 0.3
MKE_BOX = "-88.070969,42.920823,-87.863759,43.194768"  # the city limits' bounds


@pytest.fixture
def nominatim(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeNominatim]:
    """A fresh fake Nominatim on 127.0.0.1 (system proxies cleared so requests go straight)."""
    for var in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    with FakeNominatim() as server:
        yield server


@pytest.fixture
def settings(nominatim: FakeNominatim) -> dict[str, object]:
    return {
        "GEOCODER": "nominatim",
        "NOMINATIM_URL": nominatim.url,
        "NOMINATIM_USER_AGENT": USER_AGENT,
        "NOMINATIM_TIMEOUT": TIMEOUT_S,
    }


@pytest.fixture
def geocoder(settings, city) -> NominatimGeocoder:
    backend = backend_for(settings, city)
    assert isinstance(backend, NominatimGeocoder)
    return backend


# -- choosing a backend ----------------------------------------------------------------------


@pytest.mark.parametrize("settings_", [{}, {"GEOCODER": "local"}, {"GEOCODER": " Local "}])
def test_local_is_the_default(city, settings_):
    backend = backend_for(settings_, city)
    assert isinstance(backend, LocalGeocoder)
    assert isinstance(backend, GeocoderBackend)


def test_unknown_backend(city):
    with pytest.raises(ValueError, match="unknown GEOCODER 'google'"):
        backend_for({"GEOCODER": "google"}, city)


@pytest.mark.parametrize("url", [None, "", "127.0.0.1:8080", "ftp://nominatim", "http://"])
def test_nominatim_needs_a_url(city, url):
    with pytest.raises(ValueError, match=r"NOMINATIM_URL|Nominatim URL"):
        backend_for({"GEOCODER": "nominatim", "NOMINATIM_URL": url}, city)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("NOMINATIM_TIMEOUT", "soon"),
        ("NOMINATIM_TIMEOUT", 0),
        ("NOMINATIM_VIEWBOX", "1,2,3"),
        ("NOMINATIM_VIEWBOX", "-87.8,43.2,-88.1,42.9"),  # corners swapped
    ],
)
def test_nominatim_bad_settings(city, key, value):
    with pytest.raises(ValueError):
        backend_for({"GEOCODER": "nominatim", "NOMINATIM_URL": "http://x:1", key: value}, city)


def test_nominatim_settings(city, settings):
    backend = backend_for(settings, city)
    assert isinstance(backend, NominatimGeocoder) and isinstance(backend, GeocoderBackend)
    assert backend.country_codes == ["us"]
    assert backend.viewbox == city_viewbox(city)
    assert backend.timeout == TIMEOUT_S
    other = backend_for({**settings, "NOMINATIM_VIEWBOX": "", "NOMINATIM_COUNTRY_CODES": ""}, city)
    assert other.viewbox is None and other.country_codes == []


# -- the local backend -----------------------------------------------------------------------


def test_local_backend(city):
    backend = LocalGeocoder(city)
    place = backend.geocode("broken window at 2263 N Lake Dr")
    assert place.kind == "address" and place.label == "2263 N Lake Dr"
    assert place.in_city is True and place.areas["neighborhood"] == "NORTHPOINT"
    tapped = backend.reverse(-87.95772, 43.07074)
    assert tapped.label == "near 2845 N 35th St" and tapped.areas["neighborhood"] == "SHERMAN PARK"
    assert backend.reverse(-87.85, 43.05).in_city is False  # Lake Michigan
    assert backend.reverse(float("nan"), 43.05) == Place.none()
    assert backend.geocode("") == Place.none()


# -- Nominatim over HTTP ---------------------------------------------------------------------


def test_search(geocoder, nominatim):
    place = geocoder.geocode("2847 N 35th St, Milwaukee")
    assert place.kind == "address"
    assert place.label == "2847 North 35th Street"
    assert (place.lat, place.lon) == (43.07074, -87.957716)
    assert place.in_city is True and place.areas["neighborhood"] == "SHERMAN PARK"
    assert 0.7 < place.confidence <= 0.9
    assert place.alternatives == ()

    (request,) = nominatim.requests
    assert request.path == "/search"
    assert request.user_agent == USER_AGENT
    assert request.params["q"] == "2847 N 35th St, Milwaukee"
    assert request.params["format"] == "json"
    assert request.params["countrycodes"] == "us"
    assert request.params["viewbox"] == MKE_BOX
    assert request.params["limit"] == "5"
    assert request.params["addressdetails"] == "1"


def test_search_alternatives_in_city_first(geocoder, nominatim):
    # Nominatim ranks Philadelphia's 2847 N 35th St first; the one in the city comes first.
    place = geocoder.geocode("2847 North 35th Street")
    assert place.label == "2847 North 35th Street" and place.in_city is True
    assert place.lat == pytest.approx(43.07074)
    (alt,) = place.alternatives
    assert alt.kind == "address" and alt.in_city is False
    assert alt.lat == pytest.approx(39.999011)
    assert place.to_dict()["alternatives"][0]["in_city"] is False


def test_search_kinds(geocoder):
    street = geocoder.geocode("N 35th St")  # a road and the house on it
    assert street.kind == "area" and street.label == "North 35th Street"
    assert street.confidence < 0.35
    assert [a.kind for a in street.alternatives] == ["address", "address"]

    hall = geocoder.geocode("milwaukee city hall")
    assert hall.kind == "landmark" and hall.label == "Milwaukee City Hall, East Wells Street"
    assert hall.areas["neighborhood"] == "JUNEAU TOWN"

    park = geocoder.geocode("Sherman Park")
    assert park.kind == "area" and park.label == "Sherman Park"

    # Ottawa is outside countrycodes=us.
    assert geocoder.geocode("Wellington Street") == Place.none()


def test_a_whole_city_is_too_coarse():
    only_the_city = [row for row in DEFAULT_PLACES if row["addresstype"] == "city"]
    assert place_from_result(only_the_city[0]) is None
    with FakeNominatim(places=only_the_city) as server:
        backend = NominatimGeocoder(server.url, user_agent=USER_AGENT, timeout=TIMEOUT_S)
        assert backend.geocode("Milwaukee") == Place.none()
        assert len(server.requests) == 1


def test_jsonv2_answers_map_the_same():
    with FakeNominatim() as server:
        _, rows_v2 = server.search({"q": "city hall", "format": "jsonv2", "addressdetails": "1"})
        _, rows_v1 = server.search({"q": "city hall", "format": "json", "addressdetails": "1"})
    assert "category" in rows_v2[0] and "class" not in rows_v2[0]
    assert place_from_result(rows_v2[0]) == place_from_result(rows_v1[0])


def test_reverse(geocoder, nominatim):
    place = geocoder.reverse(-87.95775, 43.07080)
    assert place.kind == "address"
    assert place.label == "near 2847 North 35th Street"
    assert (place.lon, place.lat) == (-87.95775, 43.07080)  # the tap stays the truth
    assert place.areas["neighborhood"] == "SHERMAN PARK" and place.in_city is True
    assert place.confidence > 0.8
    (request,) = nominatim.requests
    assert request.path == "/reverse" and request.user_agent == USER_AGENT
    assert float(request.params["lat"]) == pytest.approx(43.0708)
    assert float(request.params["lon"]) == pytest.approx(-87.95775)


def test_reverse_nothing_there(geocoder, nominatim):
    assert geocoder.reverse(-87.85, 43.05) == Place.none()  # Lake Michigan: "Unable to geocode"
    philly = geocoder.reverse(-75.19, 39.999)  # found, but outside the city
    assert philly.kind == "none" and philly.in_city is False
    for bad in [(float("nan"), 43.0), (999, 43.0), (-87.9, 91)]:
        assert geocoder.reverse(*bad) == Place.none()
    assert len(nominatim.requests) == 2  # bad coordinates never reach the server


@pytest.mark.parametrize("text", ["", "   \n ", "x" * 20_000, None])
def test_no_request_for_empty_or_huge_text(geocoder, nominatim, text):
    assert geocoder.geocode(text) == Place.none()
    assert nominatim.requests == []


def test_long_text_is_capped(geocoder, nominatim):
    geocoder.geocode("2847 N 35th St " + "and the car is still there " * 30)
    (request,) = nominatim.requests
    assert 0 < len(request.params["q"]) <= MAX_QUERY_CHARS
    assert request.params["q"].startswith("2847 N 35th St and the car")


@pytest.mark.parametrize("mode", [m for m in FakeNominatim.MODES if m != FakeNominatim.OK])
def test_failures_give_none_quickly(geocoder, nominatim, caplog, mode):
    nominatim.mode = mode
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="community.geo.nominatim"):
        searched = geocoder.geocode("2847 N 35th St")
        reversed_ = geocoder.reverse(-87.95775, 43.07080)
    elapsed = time.monotonic() - started
    assert searched == Place.none() and reversed_ == Place.none()
    assert (
        elapsed < 20 * TIMEOUT_S
    )  # bounded by the client timeout, not hanging (generous: CI load)
    assert len(nominatim.requests) == 2  # no retries
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 2
    assert all("2847" not in r.getMessage() for r in warnings)  # the resident's text stays out

    nominatim.reset()  # and it recovers as soon as the server does
    assert geocoder.geocode("2847 N 35th St").kind == "address"


def test_server_down(city, settings, nominatim):
    nominatim.stop()
    backend = backend_for(settings, city)
    assert backend.geocode("2847 N 35th St") == Place.none()
    assert backend.reverse(-87.95775, 43.07080) == Place.none()
