"""GET side of GeoReport v2: every response validated against the published JSON Schemas."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient

from community.extensions import db
from community.models import (
    Action,
    ActionKind,
    Agency,
    Assignment,
    AssignmentRole,
    Category,
    Hotspot,
    HotspotStatus,
    utcnow,
)

API = "/open311/v2"


def _ids(body: list[dict]) -> set[str]:
    return {r["service_request_id"] for r in body}


def test_discovery_names_the_v2_endpoint_and_formats(client: FlaskClient) -> None:
    body = client.get(f"{API}/discovery.json").get_json()
    (endpoint,) = body["endpoints"]
    assert endpoint["url"].endswith("/open311/v2")
    assert set(endpoint["formats"]) == {"application/json", "text/xml"}
    assert client.get("/open311/discovery.xml").status_code == 200


def test_services_list_every_active_category_and_match_the_schema(client, schema) -> None:
    response = client.get(f"{API}/services.json")
    assert response.status_code == 200
    assert response.content_type == "application/json; charset=utf-8"
    body = response.get_json()
    schema("services.json").validate(body)
    codes = {s["service_code"] for s in body}
    assert codes == set(db.session.scalars(db.select(Category.code).filter_by(active=True)))
    spanish = client.get(f"{API}/services.json?lang=es").get_json()
    assert "Venta de drogas" in {s["service_name"] for s in spanish}


def test_service_definition_lists_attributes_and_unknown_code_is_404(client, schema) -> None:
    body = client.get(f"{API}/services/drug_activity.json").get_json()
    schema("service-definition.json").validate(body)
    language = next(a for a in body["attributes"] if a["code"] == "language")
    assert {v["key"] for v in language["values"]} == {"en", "es"}

    missing = client.get(f"{API}/services/no_such_thing.json")
    assert missing.status_code == 404
    assert missing.get_json() == [
        {"code": 404, "description": "service_code 'no_such_thing' was not found."}
    ]
    xml = ET.fromstring(client.get(f"{API}/services/no_such_thing.xml").data)
    assert xml.tag == "errors"
    assert xml.find("error/code").text == "404"


def test_requests_default_to_the_last_90_days_and_match_the_schema(
    client, schema, some_requests
) -> None:
    body = client.get(f"{API}/requests.json").get_json()
    schema("requests.json").validate(body)
    expected = {c.case_number for k in ("fresh", "closed", "noise") for c in some_requests[k]}
    assert _ids(body) == expected  # the 120-day-old ones are outside the default window
    for request in body:
        assert isinstance(request["service_request_id"], str)
        assert request["requested_datetime"].endswith(("-06:00", "-05:00"))  # Chicago time


def test_requests_filters_status_code_dates_and_ids(client, some_requests) -> None:
    def ids(query: str) -> set[str]:
        response = client.get(f"{API}/requests.json?{query}")
        assert response.status_code == 200, response.data
        return _ids(response.get_json())

    fresh = {c.case_number for c in some_requests["fresh"]}
    closed = {c.case_number for c in some_requests["closed"]}
    noise = {c.case_number for c in some_requests["noise"]}
    old = {c.case_number for c in some_requests["old"]}
    assert ids("status=closed") == closed
    assert ids("status=open") == fresh | noise
    assert ids("status=open,closed&service_code=noise") == noise
    assert ids("service_code=noise,drug_activity&status=closed") == closed
    assert ids("service_code=x' OR '1'='1") == set()  # a parameter, never SQL
    assert ids("page=999999") == set()
    start = (utcnow() - timedelta(days=130)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (utcnow() - timedelta(days=100)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ids(f"start_date={start}&end_date={end}") == old
    # Ids override every other filter, including the 90-day window.
    wanted = sorted(old)[:1] + sorted(closed)[:1]
    assert ids(f"service_request_id={','.join(wanted)}&status=open") == set(wanted)


def test_bad_filters_are_400_in_the_error_format(client) -> None:
    cases = {
        "start_date=2020-01-01T00:00:00Z&end_date=2020-06-01T00:00:00Z": "90 days",
        "start_date=yesterday": "W3C datetime",
        "start_date=2020-02-01T00:00:00Z&end_date=2020-01-01T00:00:00Z": "before start_date",
        "status=pending": "open or closed",
        "page=0": "page must be between",
        "page_size=1001": "page_size must be between 1 and 1000",
        "page=two": "whole number",
        "start_date=9999-12-01": "between the years 1 and 9999",
        "end_date=0001-01-01T00:00:00%2B14:00": "between the years 1 and 9999",
        "page=%C2%B2": "whole number",
    }
    for query, words in cases.items():
        response = client.get(f"{API}/requests.json?{query}")
        assert response.status_code == 400, query
        (error,) = response.get_json()
        assert error["code"] == 400 and words in error["description"], (query, error)


def test_paging_walks_the_results_without_gaps_or_repeats(client, some_requests) -> None:
    everything = [r["service_request_id"] for r in client.get(f"{API}/requests.json").get_json()]
    pages = [
        [
            r["service_request_id"]
            for r in client.get(f"{API}/requests.json?page={n}&page_size=2").get_json()
        ]
        for n in (1, 2, 3, 4)
    ]
    assert [len(p) for p in pages] == [2, 2, 2, 0]
    assert [case for page in pages for case in page] == everything


def test_a_single_request_is_a_one_element_array_and_unknown_is_404(
    client, schema, some_requests
) -> None:
    case = some_requests["old"][0].case_number
    body = client.get(f"{API}/requests/{case}.json").get_json()
    schema("requests.json").validate(body)
    assert len(body) == 1 and body[0]["service_request_id"] == case
    assert client.get(f"{API}/requests/MKE-ZZZZ.json").status_code == 404


def test_nothing_personal_leaves_and_locations_name_a_block(client, some_requests) -> None:
    response = client.get(f"{API}/requests.json")
    text = response.get_data(as_text=True)
    for private in ("414-555-0199", "jo@example.org", "2847"):
        assert private not in text
    request = next(
        r
        for r in response.get_json()
        if r["service_request_id"] == some_requests["fresh"][0].case_number
    )
    assert request["address"] == "2800 block of N 35th St"
    assert "2800 block of N 35th St" in request["description"]
    assert "[phone]" in request["description"] and "[email]" in request["description"]
    assert request["lat"] == 43.068 and request["long"] == -87.958  # three decimals


def _hotspot_with_lead(concerns: list) -> tuple[Hotspot, Agency]:
    agency = db.session.scalar(db.select(Agency).filter_by(code="MPD-D3"))
    hotspot = Hotspot(
        label="3500 W Center St",
        centroid_lat=43.0676,
        centroid_lon=-87.9584,
        status=HotspotStatus.IN_PROGRESS,
    )
    db.session.add(hotspot)
    db.session.flush()
    db.session.add(Assignment(hotspot_id=hotspot.id, agency_id=agency.id, role=AssignmentRole.LEAD))
    for concern in concerns:
        concern.hotspot_id = hotspot.id
    db.session.commit()
    return hotspot, agency


def test_lead_agency_and_public_note_are_shown_staff_notes_never(client, some_requests) -> None:
    hotspot, agency = _hotspot_with_lead(some_requests["fresh"])
    case = some_requests["fresh"][0].case_number
    body = client.get(f"{API}/requests/{case}.json").get_json()
    assert body[0]["agency_responsible"] == "Milwaukee Police District 3"
    assert body[0]["status_notes"].startswith("Open; Milwaukee Police District 3 leads")

    db.session.add(
        Action(
            hotspot_id=hotspot.id,
            agency_id=agency.id,
            kind=ActionKind.SITE_VISIT,
            notes="Informant is the neighbour at 2849, phone 414-555-0101",
            public_note="Officers visited the block on Tuesday.",
        )
    )
    db.session.commit()
    response = client.get(f"{API}/requests/{case}.xml")
    assert b"Officers visited the block on Tuesday." in response.data
    assert b"Informant" not in response.data and b"414-555-0101" not in response.data


def test_resolved_is_closed_and_needs_location_is_open(client, some_requests) -> None:
    closed = client.get(f"{API}/requests/{some_requests['closed'][0].case_number}.json").get_json()
    assert closed[0]["status"] == "closed" and closed[0]["status_notes"] == "Resolved."
    unplaced = client.get(f"{API}/requests/{some_requests['noise'][0].case_number}.json").get_json()
    assert unplaced[0]["status"] == "open"
    assert unplaced[0]["lat"] is None and unplaced[0]["address"] is None


def test_xml_is_utf8_with_the_spec_element_names(client, some_requests) -> None:
    some_requests["noise"][0].text = "Música a todo volumen <b>cada noche</b> & más"
    db.session.commit()
    response = client.get(f"{API}/requests/{some_requests['noise'][0].case_number}.xml")
    assert response.content_type == "text/xml; charset=utf-8"
    assert response.data.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    root = ET.fromstring(response.data)
    assert root.tag == "service_requests"
    assert root.find("request/description").text == "Música a todo volumen <b>cada noche</b> & más"
    assert b"&lt;b&gt;" in response.data and b"&amp; m" in response.data


def test_unknown_jurisdiction_and_paths_are_404_in_the_error_format(client) -> None:
    response = client.get(f"{API}/services.json?jurisdiction_id=chicago")
    assert response.status_code == 404
    assert "jurisdiction_id 'chicago' was not found" in response.get_json()[0]["description"]
    assert client.get(f"{API}/services.json?jurisdiction_id=milwaukee").status_code == 200
    for path in ("/nothing.json", "/services.csv", "/requests"):
        response = client.get(API + path)
        assert response.status_code == 404, path
        assert response.get_json()[0]["code"] == 404


def test_the_schemas_refuse_what_the_spec_forbids(schema) -> None:
    # Proves the fixtures bite: an integer id, a naive datetime, a third status all fail.
    validator = schema("requests.json")
    good = {
        "service_request_id": "MKE-2345",
        "status": "open",
        "service_code": "noise",
        "requested_datetime": "2026-11-28T17:47:25-06:00",
    }
    assert validator.is_valid([good])
    for bad in (
        {"service_request_id": 7},
        {"requested_datetime": "2026-11-28 17:47"},
        {"status": "pending"},
    ):
        assert not validator.is_valid([{**good, **bad}]), bad


def test_expected_datetime_is_the_leads_due_date(client, some_requests) -> None:
    hotspot, _ = _hotspot_with_lead(some_requests["fresh"])
    lead = hotspot.assignments[0]
    if not hasattr(lead, "due_at"):
        pytest.skip("assignments carry no due date in this version")
    lead.due_at = datetime(2026, 7, 1, 17, 0, tzinfo=UTC)
    db.session.commit()
    case = some_requests["fresh"][0].case_number
    body = client.get(f"{API}/requests/{case}.json").get_json()
    assert body[0]["expected_datetime"] == "2026-07-01T12:00:00-05:00"  # Chicago summer time


def test_control_characters_never_make_the_xml_unreadable(client, some_requests) -> None:
    concern = some_requests["noise"][0]
    concern.text = "bell\x07 and escape\x1b in old data"
    db.session.commit()
    response = client.get(f"{API}/requests/{concern.case_number}.xml")
    root = ET.fromstring(response.data)  # parses
    assert root.find("request/description").text == "bell and escape in old data"
