"""Where a web report is: typed words, a chosen reading, a tap on the map; outside is refused."""

from __future__ import annotations

import re

import pytest

from community.extensions import db
from community.models import Concern, ConcernStatus, Event, GeocodeStatus, LocationKind
from tests.helpers import placed_concerns
from tests.intake_web.conftest import DOWNTOWN, GOOD, LAKE_DR, OUTSIDE, count


def _point(lat_lon: tuple[float, float]) -> str:
    return f"{lat_lon[0]:.6f},{lat_lon[1]:.6f}"


def _concern() -> Concern:
    return db.session.scalar(db.select(Concern))


@pytest.mark.parametrize(
    ("fields", "lang", "message"),
    [
        ({"location": "27th and College"}, "en", "outside the City of Milwaukee"),
        ({"location": "123 Main St, Chicago IL 60601"}, "en", "outside the City of Milwaukee"),
        ({"location": "", "point": _point(OUTSIDE)}, "en", "outside the City of Milwaukee"),
        ({"location": "27th and College"}, "es", "fuera de la Ciudad de Milwaukee"),
        ({"location": "", "point": _point(OUTSIDE)}, "es", "fuera de la Ciudad de Milwaukee"),
        ({"location": "", "point": "1e9,<script>"}, "en", "could not read that point"),
        ({"location": "", "point": "91.0,-87.9"}, "es", "No pudimos leer ese punto"),
        ({"location": "  ", "point": ""}, "en", "Tell us where it is happening."),
    ],
)
def test_a_place_outside_the_city_or_unreadable_is_refused(client, fields, lang, message) -> None:
    response = client.post(f"/report?lang={lang}", data={**GOOD, **fields})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(Concern) == count(Event) == 0


def test_a_tap_on_the_map_places_the_report_where_the_resident_tapped(client) -> None:
    response = client.post("/report", data={**GOOD, "location": "", "point": _point(DOWNTOWN)})
    assert response.status_code == 302
    concern = _concern()
    assert (concern.lat, concern.lon) == pytest.approx(DOWNTOWN)
    assert concern.location_kind == LocationKind.MAP
    assert concern.location_text == concern.location_label == "near 400 E Wisconsin Ave"
    assert concern.status == ConcernStatus.OPEN and concern.geocode_status == GeocodeStatus.LOCATED
    assert concern.neighborhood.name.upper() == "JUNEAU TOWN"


def test_a_chosen_suggestion_is_taken_as_the_place(client) -> None:
    data = {**GOOD, "location": "2263 N Lake Dr", "point": _point(LAKE_DR)}
    assert client.post("/report", data=data).status_code == 302
    concern = _concern()
    assert concern.location_kind == LocationKind.ADDRESS
    assert concern.location_label == "2263 N Lake Dr"
    assert (concern.lat, concern.lon) == pytest.approx(LAKE_DR)


def test_a_pin_away_from_the_typed_words_is_a_map_place(client) -> None:
    """The words say Lake Dr, the pin is downtown: the pin wins and is named for itself."""
    data = {**GOOD, "location": "2263 N Lake Dr", "point": _point(DOWNTOWN)}
    assert client.post("/report", data=data).status_code == 302
    concern = _concern()
    assert concern.location_kind == LocationKind.MAP
    assert concern.location_text == "2263 N Lake Dr"  # the resident's words are kept
    assert (concern.lat, concern.lon) == pytest.approx(DOWNTOWN)


def test_the_check_step_shows_the_place_and_nearby_reports_without_javascript(client) -> None:
    placed_concerns(12, around=LAKE_DR, text="OTHER RESIDENT private words 414-555-0199")
    response = client.post("/report", data={**GOOD, "action": "check"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Place found:" in page and "2263 N Lake Dr" in page
    assert (
        "12 neighbours reported drug activity or similar problems within a block of here "
        "in the last 60 days." in page
    )
    assert "OTHER RESIDENT" not in page and "0199" not in page
    assert f'value="{_point(LAKE_DR)}"' in page  # the place travels with the form
    assert 'value="people selling drugs out of the blue house every night"' not in page
    assert "people selling drugs out of the blue house every night</textarea>" in page
    assert count(Concern) == 12  # checking saves nothing


def test_the_check_step_offers_the_readings_of_an_ambiguous_place(client) -> None:
    response = client.post("/report", data={**GOOD, "location": "1518 35th St", "action": "check"})
    page = response.get_data(as_text=True)
    assert "We found more than one place. Which one?" in page
    readings = re.findall(r'type="radio" name="point" value="([-0-9.,]+)"', page)
    assert len(readings) >= 2
    # Choosing the second reading sends the report there.
    response = client.post(
        "/report", data={**GOOD, "location": "1518 35th St", "point": readings[1]}
    )
    assert response.status_code == 302
    concern = _concern()
    assert f"{concern.lat:.6f},{concern.lon:.6f}" == readings[1]
    assert concern.location_label.startswith("1518 ")


def test_suggestions_for_partial_words(client) -> None:
    results = client.get("/report/suggest?q=2263 lake").json["results"]
    assert results[0]["label"] == "2263 N Lake Dr"
    assert results[0]["neighborhood"] == "Northpoint" and results[0]["in_city"] is True
    assert set(results[0]) == {"label", "kind", "lat", "lon", "neighborhood", "in_city"}
    short = client.get("/report/suggest?q=ab")
    assert short.status_code == 400 and "at least 3 letters" in short.json["error"]
    spanish = client.get("/report/suggest?q=a&lang=es")
    assert "al menos 3 letras" in spanish.json["error"]
    assert client.get("/report/suggest?q=" + "x" * 5000).status_code == 200


def test_a_tapped_point_is_named(client) -> None:
    named = client.get(f"/report/point?point={_point(DOWNTOWN)}").json
    assert named["label"] == "near 400 E Wisconsin Ave" and named["in_city"] is True
    assert client.get(f"/report/point?point={_point(OUTSIDE)}").json["in_city"] is False
    assert client.get("/report/point?point=nonsense").status_code == 400


def test_a_report_placed_on_the_map_joins_the_active_hotspot_there_at_once(client) -> None:
    from community.hotspots.recluster import recluster
    from community.models import Hotspot

    placed_concerns(4, around=DOWNTOWN)
    recluster()
    hotspot = db.session.scalar(db.select(Hotspot))
    data = {**GOOD, "location": "", "point": _point(DOWNTOWN)}
    case = client.post("/report", data=data).headers["Location"].rsplit("/", 1)[-1]
    concern = db.session.scalar(db.select(Concern).filter_by(case_number=case))
    assert concern.hotspot_id == hotspot.id
    page = client.get(f"/status/{case}").get_data(as_text=True)
    assert "Joined a problem other neighbours reported here" in page


def test_an_overlong_point_or_case_number_gets_a_spanish_message(client) -> None:
    response = client.post("/report?lang=es", data={**GOOD, "point": "1" * 41})
    assert response.status_code == 400
    assert "No pudimos leer ese punto del mapa" in response.get_data(as_text=True)
    lookup = client.get("/status?lang=es&case=" + "X" * 30)
    assert lookup.status_code == 400
    assert "Eso no es un número de caso" in lookup.get_data(as_text=True)
    assert count(Concern) == 0


@pytest.mark.parametrize(
    ("words", "elsewhere"),
    [
        ("123 Main St, Chicago IL 60601", True),
        ("500 Main St, Evanston, 60201", True),
        ("1 Main St, Springfield, IL", True),
        ("2263 N Lake Dr, Milwaukee, WI 53211", False),
        ("10900 W Fond du Lac Ave", False),  # a five-digit house number is no ZIP code
        ("en la esquina de la 16 y National, al lado", False),
    ],
)
def test_words_that_name_another_state_or_zip(app, words: str, elsewhere: bool) -> None:
    from community.intake.where import names_elsewhere

    assert names_elsewhere(words) is elsewhere
