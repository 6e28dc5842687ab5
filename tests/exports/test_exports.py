"""Exports: staff CSV/GeoJSON with exact places, the public anonymised variant, filters, streaming."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest

from community.extensions import db
from community.models import (
    Agency,
    Area,
    AreaKind,
    Assignment,
    AssignmentRole,
    ConcernStatus,
    Hotspot,
    HotspotStatus,
    Resident,
    utcnow,
)
from tests.conftest import sign_in
from tests.helpers import ELSEWHERE, placed_concerns

PRIVATE_TEXT = "Dealing at 2847 N 35th St, text me at 414-555-0199 or jo@example.org"


@pytest.fixture
def data(app):
    """Two places: one with a led hotspot and private details in the text, one elsewhere."""
    neighborhood = db.session.scalar(
        db.select(Area).filter_by(kind=AreaKind.NEIGHBORHOOD).order_by(Area.id)
    )
    other = db.session.scalar(
        db.select(Area).filter_by(kind=AreaKind.NEIGHBORHOOD).order_by(Area.id.desc())
    )
    here = placed_concerns(3, days_ago=3, text=PRIVATE_TEXT, neighborhood_id=neighborhood.id)
    there = placed_concerns(2, around=ELSEWHERE, days_ago=40, neighborhood_id=other.id)
    resident = Resident(phone_encrypted=b"x", phone_hash="h" * 64, phone_last4="0199")
    db.session.add(resident)
    for concern in here:
        concern.location_label = "2847 N 35th St"
        concern.resident = resident
    there[0].status = ConcernStatus.RESOLVED
    there[1].text = '=HYPERLINK("http://evil.example","click")'
    hotspot = Hotspot(
        label="2847 N 35th St",
        centroid_lat=43.0676,
        centroid_lon=-87.9584,
        status=HotspotStatus.ASSIGNED,
        concern_count=3,
        first_reported_at=utcnow() - timedelta(days=3),
        last_reported_at=utcnow() - timedelta(days=3),
        neighborhood_id=neighborhood.id,
    )
    db.session.add(hotspot)
    db.session.flush()
    agency = db.session.scalar(db.select(Agency).filter_by(code="MPD-D3"))
    db.session.add(Assignment(hotspot_id=hotspot.id, agency_id=agency.id, role=AssignmentRole.LEAD))
    for concern in here:
        concern.hotspot_id = hotspot.id
    db.session.commit()
    return {"here": here, "there": there, "hotspot": hotspot, "area": neighborhood}


def _csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_staff_csv_has_exact_places_and_no_contact_details(client, users, data) -> None:
    sign_in(client, "prosecutor@example.org", "prosecutor-pass")
    response = client.get("/exports/concerns.csv")
    assert response.status_code == 200
    assert response.is_streamed
    assert response.content_type == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = _csv(response)
    assert len(rows) == 5
    row = next(r for r in rows if r["case_number"] == data["here"][0].case_number)
    assert row["location"] == "2847 N 35th St" and float(row["lat"]) == data["here"][0].lat
    assert row["hotspot_id"] == str(data["hotspot"].id)
    assert row["reported_at"].endswith(("-06:00", "-05:00"))  # Milwaukee time, W3C style
    assert "2847 N 35th St" in row["text"] and "[phone]" in row["text"]
    body = response.get_data(as_text=True)
    assert "414-555-0199" not in body and "jo@example.org" not in body and "0199" not in body


def test_a_formula_in_resident_text_is_made_inert(client, users, data) -> None:
    sign_in(client, "prosecutor@example.org", "prosecutor-pass")
    rows = _csv(client.get("/exports/concerns.csv"))
    row = next(r for r in rows if r["case_number"] == data["there"][1].case_number)
    assert row["text"].startswith("'=HYPERLINK")


def test_filters_by_area_period_category_and_status(client, users, data) -> None:
    sign_in(client, "prosecutor@example.org", "prosecutor-pass")

    def cases(query: str) -> set[str]:
        response = client.get(f"/exports/concerns.csv?{query}")
        assert response.status_code == 200, response.data
        return {r["case_number"] for r in _csv(response)}

    here = {c.case_number for c in data["here"]}
    there = {c.case_number for c in data["there"]}
    assert cases(f"area={data['area'].id}") == here
    start = (utcnow() - timedelta(days=10)).date().isoformat()
    assert cases(f"start={start}") == here
    end = (utcnow() - timedelta(days=10)).date().isoformat()
    assert cases(f"end={end}") == there
    assert cases("status=closed") == {data["there"][0].case_number}
    assert cases("status=open&category=drug_activity") == here | {data["there"][1].case_number}
    assert cases("category=noise") == set()
    hotspots = _csv(client.get(f"/exports/hotspots.csv?area={data['area'].id}&status=open"))
    assert [h["hotspot_id"] for h in hotspots] == [str(data["hotspot"].id)]
    assert hotspots[0]["lead_agency"] == "Milwaukee Police District 3"


@pytest.mark.parametrize(
    "query",
    [
        "area=999999",
        "area=abc",
        "area=%C2%B2",
        "area=99999999999999999999",
        "start=yesterday",
        "start=2026-02-01&end=2026-01-01",
        "category=unicorns",
        "status=pending",
    ],
)
def test_bad_filters_are_a_clear_400(client, users, data, query) -> None:
    sign_in(client, "prosecutor@example.org", "prosecutor-pass")
    response = client.get(f"/exports/concerns.geojson?{query}", headers={"Accept": "text/html"})
    assert response.status_code == 400


@pytest.mark.parametrize("area", ["%C2%B2", "99999999999999999999"])
def test_public_export_refuses_an_impossible_area_with_a_message(client, data, area) -> None:
    response = client.get(
        f"/exports/public/concerns.csv?area={area}", headers={"Accept": "text/html"}
    )
    assert response.status_code == 400
    assert "an area&#39;s number from the list" in response.get_data(as_text=True)


def test_an_area_layer_concerns_do_not_record_is_refused(client, users, data) -> None:
    business = db.session.scalar(db.select(Area).filter_by(kind=AreaKind.BUSINESS_DISTRICT))
    assert business is not None
    sign_in(client, "prosecutor@example.org", "prosecutor-pass")
    for path in ("/exports/concerns.csv", "/exports/hotspots.geojson"):
        response = client.get(f"{path}?area={business.id}", headers={"Accept": "text/html"})
        assert response.status_code == 400
        assert b"Choose an area from the list." in response.data


def test_geojson_is_a_feature_collection_of_points(client, users, data) -> None:
    sign_in(client, "viewer@example.org", "viewer-pass")
    response = client.get("/exports/hotspots.geojson")
    assert response.content_type == "application/geo+json; charset=utf-8"
    collection = json.loads(response.get_data(as_text=True))
    assert collection["type"] == "FeatureCollection"
    (hotspot,) = collection["features"]
    assert hotspot["geometry"] == {"type": "Point", "coordinates": [-87.9584, 43.0676]}
    assert hotspot["properties"]["status"] == "assigned"
    concerns = json.loads(client.get("/exports/concerns.geojson").get_data(as_text=True))
    assert len(concerns["features"]) == 5


def test_agency_staff_export_only_their_hotspots(client, users, data) -> None:
    sign_in(client, "d3@example.org", "agency_staff-pass")
    assert {r["case_number"] for r in _csv(client.get("/exports/concerns.csv"))} == {
        c.case_number for c in data["here"]
    }
    data["hotspot"].assignments[0].agency_id = db.session.scalar(
        db.select(Agency.id).filter_by(code="DNS")
    )
    db.session.commit()
    assert _csv(client.get("/exports/concerns.csv")) == []
    assert _csv(client.get("/exports/hotspots.csv")) == []


def test_staff_exports_need_sign_in(client, data) -> None:
    for path in ("/exports/", "/exports/concerns.csv", "/exports/hotspots.geojson"):
        assert client.get(path).status_code == 302


def test_public_export_is_anonymised_to_the_block(client, data) -> None:
    response = client.get("/exports/public/concerns.csv")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    for private in ("2847", "414-555-0199", "jo@example.org", "0199"):
        assert private not in body
    rows = _csv(response)
    row = next(r for r in rows if r["case_number"] == data["here"][0].case_number)
    assert row["block"] == "2800 block of N 35th St"
    assert row["lat"] == "43.068" and row["lon"] == "-87.958"
    assert len(row["reported_date"]) == 10 and "T" not in row["reported_date"]
    assert row["status"] == "open"
    assert "text" not in row and "location" not in row and "source" not in row
    features = json.loads(client.get("/exports/public/hotspots.geojson").get_data(as_text=True))
    (hotspot,) = features["features"]
    assert hotspot["geometry"]["coordinates"] == [-87.958, 43.068]
    assert hotspot["properties"]["label"] == "2800 block of N 35th St"
    assert "priority" not in hotspot["properties"]


def test_the_export_pages_render(client, users, data) -> None:
    public = client.get("/exports/public/")
    assert public.status_code == 200 and b"Anonymised" in public.data
    sign_in(client, "prosecutor@example.org", "prosecutor-pass")
    page = client.get("/exports/")
    assert page.status_code == 200 and b"/exports/concerns.csv" in page.data
