"""The triage map's page and data: filters, viewport aggregation, escaping, roles."""

from __future__ import annotations

import html
import json
from datetime import timedelta

import pytest
from markupsafe import escape

from community.extensions import db
from community.models import Area, AreaKind, AssignmentRole, Category, HotspotStatus, utcnow
from community.triage.service import MAX_POINTS, POINTS_ZOOM
from community.workflow.service import assign
from tests.conftest import sign_in
from tests.factories import agency
from tests.helpers import ELSEWHERE, placed_concerns
from tests.triage.conftest import PHONE, XSS_LABEL, XSS_TEXT
from tests.workflow.conftest import area_id, make_hotspot

CITY_BBOX = "-88.08,42.91,-87.85,43.20"
CORNER_BBOX = "-87.962,43.064,-87.954,43.071"


@pytest.fixture
def prosecutor(client, users):
    sign_in(client, "prosecutor@example.org", "prosecutor-pass")
    return client


def get_json(client, url: str, status: int = 200) -> dict:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    return response.get_json()


def test_page_lists_hotspots_by_priority_and_escapes_labels(prosecutor, xss_hotspot) -> None:
    other = make_hotspot(8, around=ELSEWHERE)
    xss_hotspot.label = XSS_LABEL  # the re-cluster named it again
    db.session.commit()
    page = prosecutor.get("/staff/triage/").get_data(as_text=True)
    assert XSS_LABEL not in page
    assert str(escape(XSS_LABEL)) in page
    ranked = page.split('data-testid="ranked"')[1]
    first, second = (ranked.index(f'data-id="{h.id}"') for h in (other, xss_hotspot))
    assert other.priority > xss_hotspot.priority and first < second
    assert "rising" in ranked or "steady" in ranked  # the trend is shown
    assert xss_hotspot.priority_reasons.split(";")[0] in html.unescape(ranked)


def test_concern_text_is_data_with_phones_masked(prosecutor, xss_hotspot) -> None:
    data = get_json(
        prosecutor, f"/staff/triage/concerns.geojson?zoom={POINTS_ZOOM}&bbox={CORNER_BBOX}"
    )
    assert data["properties"]["kind"] == "points"
    texts = {f["properties"]["text"] for f in data["features"]}
    assert texts == {f"{XSS_TEXT} call me [phone]"}
    raw = prosecutor.get(f"/staff/triage/concerns.geojson?zoom=16&bbox={CORNER_BBOX}")
    assert PHONE not in raw.get_data(as_text=True)
    assert raw.headers["X-Content-Type-Options"] == "nosniff"
    hotspots = get_json(prosecutor, "/staff/triage/hotspots.geojson")
    assert [f["properties"]["label"] for f in hotspots["features"]] == [XSS_LABEL]


def test_low_zoom_gets_grid_cells_not_markers(prosecutor, users) -> None:
    placed_concerns(60)
    placed_concerns(40, around=ELSEWHERE)
    data = get_json(prosecutor, f"/staff/triage/concerns.geojson?zoom=11&bbox={CITY_BBOX}")
    assert data["properties"]["kind"] == "grid"
    assert sorted(f["properties"]["count"] for f in data["features"]) == [40, 60]
    assert all("text" not in f["properties"] for f in data["features"])
    zoomed = get_json(prosecutor, f"/staff/triage/concerns.geojson?zoom=16&bbox={CORNER_BBOX}")
    assert zoomed["properties"]["kind"] == "points" and len(zoomed["features"]) == 60


def test_too_many_points_in_view_fall_back_to_cells(prosecutor, users, monkeypatch) -> None:
    placed_concerns(30)
    monkeypatch.setattr("community.triage.service.MAX_POINTS", 10)
    data = get_json(prosecutor, f"/staff/triage/concerns.geojson?zoom=17&bbox={CORNER_BBOX}")
    assert data["properties"]["kind"] == "grid" and MAX_POINTS > 10


def test_filters_narrow_hotspots_and_list(prosecutor, users) -> None:
    drugs = make_hotspot(5)
    shots_id = db.session.scalar(db.select(Category.id).filter_by(code="shots_fired"))
    shots = make_hotspot(5, around=ELSEWHERE, category_id=shots_id, district="7")
    assign(drugs, agency("MPD-D3"), AssignmentRole.LEAD, users["prosecutor"])
    db.session.commit()

    def ids(query: str) -> list[int]:
        data = get_json(prosecutor, f"/staff/triage/hotspots.geojson?{query}")
        return sorted(f["properties"]["id"] for f in data["features"])

    assert ids("") == sorted([drugs.id, shots.id])
    assert ids("category=shots_fired") == [shots.id]
    assert ids("agency=MPD-D3") == [drugs.id]
    assert ids("status=assigned") == [drugs.id]
    assert ids("status=new") == [shots.id]
    assert ids("status=resolved") == []
    district3 = area_id(AreaKind.POLICE_DISTRICT, "3")
    assert ids(f"area={district3}") == [drugs.id]
    assert ids(f"priority={max(drugs.priority, shots.priority)}") == [
        max((drugs, shots), key=lambda h: h.priority).id
    ]
    assert ids(f"bbox={CORNER_BBOX}") == [drugs.id]
    old = (utcnow() - timedelta(days=400)).date().isoformat()
    older = (utcnow() - timedelta(days=300)).date().isoformat()
    assert ids(f"since={old}&until={older}") == []
    # The page's ranked list follows the same filters.
    page = prosecutor.get("/staff/triage/?category=shots_fired").get_data(as_text=True)
    assert f'data-id="{shots.id}"' in page and f'data-id="{drugs.id}"' not in page


def test_hotspot_filters_narrow_concerns_only_when_set(prosecutor, users) -> None:
    make_hotspot(5)
    placed_concerns(3, around=ELSEWHERE)  # too few for a hotspot
    url = f"/staff/triage/concerns.geojson?zoom=11&bbox={CITY_BBOX}"
    assert get_json(prosecutor, url)["properties"]["count"] == 8
    assert get_json(prosecutor, url + "&status=new")["properties"]["count"] == 5
    assert get_json(prosecutor, url + "&agency=DNS")["properties"]["count"] == 0


def test_heat_and_repeats_layers(prosecutor, users) -> None:
    make_hotspot(12)
    heat = get_json(prosecutor, "/staff/triage/heat.geojson")
    assert sum(f["properties"]["count"] for f in heat["features"]) == 12
    json.dumps(heat, allow_nan=False)  # no NaN: the browser's JSON.parse would fail on it
    repeats = get_json(prosecutor, "/staff/triage/repeats.geojson")
    assert repeats["type"] == "FeatureCollection"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("since=yesterday", "since: 'yesterday' is not a date"),
        ("category=<b>x</b>", "category: unknown"),
        ("bbox=1,2,3", "bbox: four numbers"),
        ("zoom=99", "zoom: a whole number"),
        ("zoom=%C2%B2", "zoom: a whole number"),
        ("zoom=99999999999999999999", "zoom: a whole number"),
        ("area=%C2%B2", "area: an area's number"),
        ("status=open", "status: unknown 'open'"),
    ],
)
def test_bad_filters_answer_400_with_the_reason(prosecutor, query: str, message: str) -> None:
    for layer in ("hotspots", "concerns", "heat", "repeats"):
        if ("bbox" in query or "zoom" in query) and layer != "concerns":
            continue  # only the concerns layer reads the zoom
        body = get_json(prosecutor, f"/staff/triage/{layer}.geojson?{query}", status=400)
        assert message in body["error"]
    if "bbox" not in query and "zoom" not in query:
        page = prosecutor.get(f"/staff/triage/?{query}")
        assert page.status_code == 400
        text = html.unescape(page.get_data(as_text=True))
        assert message in text and "<b>x</b>" not in page.get_data(as_text=True)


def test_area_kind_without_a_concern_column_is_refused(prosecutor) -> None:
    business = db.session.scalar(
        db.select(Area.id).filter_by(kind=AreaKind.BUSINESS_DISTRICT).limit(1)
    )
    if business is None:
        pytest.skip("no business districts in this city package")
    body = get_json(prosecutor, f"/staff/triage/hotspots.geojson?area={business}", status=400)
    assert "area: choose a neighborhood" in body["error"]


def test_hotspot_page_has_its_map(prosecutor, xss_hotspot) -> None:
    page = prosecutor.get(f"/staff/hotspots/{xss_hotspot.id}").get_data(as_text=True)
    assert 'id="hotspot-map"' in page and "/static/js/triage.js" in page
    data = get_json(prosecutor, f"/staff/triage/hotspots/{xss_hotspot.id}/map.json")
    assert data["outline"]["type"] == "Polygon"
    assert len(data["concerns"]["features"]) == 5
    assert PHONE not in json.dumps(data)


def test_roles_on_the_map(app, users, xss_hotspot) -> None:
    anonymous = app.test_client()
    assert "/login" in anonymous.get("/staff/triage/").headers["Location"]
    viewer = app.test_client()
    sign_in(viewer, "viewer@example.org", "viewer-pass")
    page = viewer.get("/staff/triage/").get_data(as_text=True)
    assert "Triage map" in page and "/staff/triage/locate" not in page
    assert PHONE not in viewer.get(
        "/staff/triage/concerns.geojson?zoom=16&bbox=" + CORNER_BBOX
    ).get_data(as_text=True)
    assert viewer.get("/staff/triage/locate").status_code == 403
    staff = app.test_client()
    sign_in(staff, "d3@example.org", "agency_staff-pass")
    assert staff.get("/staff/triage/").status_code == 403
    assert staff.get("/staff/triage/hotspots.geojson").status_code == 403
    assert 'href="/staff/triage/"' not in staff.get("/staff/queue").get_data(as_text=True)
    # Their own agency's hotspot page shows its map; another's is refused.
    assert staff.get(f"/staff/triage/hotspots/{xss_hotspot.id}/map.json").status_code == 403
    assign(xss_hotspot, agency("MPD-D3"), AssignmentRole.LEAD, users["prosecutor"])
    db.session.commit()
    assert staff.get(f"/staff/triage/hotspots/{xss_hotspot.id}/map.json").status_code == 200


def test_unknown_hotspot_map_is_404(prosecutor) -> None:
    assert prosecutor.get("/staff/triage/hotspots/999999/map.json").status_code == 404


def test_statuses_listed_in_the_filter(prosecutor) -> None:
    page = prosecutor.get("/staff/triage/").get_data(as_text=True)
    for status in HotspotStatus:
        assert f'value="{status}"' in page


def test_hotspots_come_as_centres_zoomed_out_and_outlines_zoomed_in(prosecutor, users) -> None:
    make_hotspot(5)
    far = get_json(prosecutor, f"/staff/triage/hotspots.geojson?zoom=11&bbox={CITY_BBOX}")
    near = get_json(prosecutor, f"/staff/triage/hotspots.geojson?zoom=15&bbox={CORNER_BBOX}")
    assert [f["geometry"]["type"] for f in far["features"]] == ["Point"]
    assert [f["geometry"]["type"] for f in near["features"]] == ["Polygon"]
    assert far["features"][0]["properties"]["url"].endswith(
        f"/staff/hotspots/{far['features'][0]['properties']['id']}"
    )


def test_heat_follows_new_concerns(prosecutor, users) -> None:
    make_hotspot(6)
    first = get_json(prosecutor, "/staff/triage/heat.geojson")
    placed_concerns(4, around=ELSEWHERE)
    again = get_json(prosecutor, "/staff/triage/heat.geojson")
    total = [sum(f["properties"]["count"] for f in h["features"]) for h in (first, again)]
    assert total == [6, 10]


def test_a_late_evening_concern_is_on_its_citys_date_as_in_the_export(prosecutor) -> None:
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    day = utcnow().date() - timedelta(days=10)
    late = datetime.combine(day, time(23, 30), tzinfo=ZoneInfo("America/Chicago"))
    (concern,) = placed_concerns(1)
    concern.reported_at = late  # 04:30 or 05:30 UTC the next day
    db.session.commit()
    query = f"since={day}&until={day}"
    data = get_json(
        prosecutor, f"/staff/triage/concerns.geojson?zoom=16&bbox={CORNER_BBOX}&{query}"
    )
    assert [f["properties"]["case"] for f in data["features"]] == [concern.case_number]
    assert data["features"][0]["properties"]["reported"] == day.isoformat()
    export = prosecutor.get(f"/exports/concerns.csv?start={day}&end={day}").get_data(as_text=True)
    assert concern.case_number in export
    next_day = day + timedelta(days=1)
    query = f"since={next_day}&until={next_day}"
    data = get_json(
        prosecutor, f"/staff/triage/concerns.geojson?zoom=16&bbox={CORNER_BBOX}&{query}"
    )
    assert data["features"] == []
