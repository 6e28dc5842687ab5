"""POST requests over real HTTP (the app served on 127.0.0.1, called with `requests`)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
import requests

from community.extensions import db
from community.models import (
    ApiKey,
    Concern,
    ConcernSource,
    ConcernStatus,
    LocationKind,
    Resident,
)

DRUGS = {"service_code": "drug_activity"}
AT_CORNER = {"lat": "43.0676", "long": "-87.9584"}


def _concerns() -> int:
    db.session.remove()
    return db.session.scalar(db.select(db.func.count(Concern.id)))


def _post(base: str, key: str, fmt: str = "json", headers: dict | None = None, **fields: str):
    return requests.post(
        f"{base}/requests.{fmt}", data={"api_key": key, **fields}, headers=headers, timeout=30
    )


def _error(response: requests.Response, status: int) -> str:
    assert response.status_code == status, response.text
    (error,) = response.json()
    assert error["code"] == status
    return error["description"]


def test_a_point_in_the_city_becomes_an_open_placed_concern(live_api, api_key, schema) -> None:
    response = _post(
        live_api, api_key, **DRUGS, **AT_CORNER, description="Selling from the porch nightly"
    )
    assert response.status_code == 200, response.text
    (created,) = response.json()
    case = created["service_request_id"]
    db.session.remove()
    concern = db.session.scalar(db.select(Concern).filter_by(case_number=case))
    assert concern.source == ConcernSource.OPEN311
    assert concern.status == ConcernStatus.OPEN
    assert (concern.lat, concern.lon) == (43.0676, -87.9584)
    assert concern.location_kind == LocationKind.MAP  # the client's point, kept as given
    assert concern.text == "Selling from the porch nightly"
    # A client can now read it back, as any GeoReport client would, and by its token.
    body = requests.get(f"{live_api}/requests/{case}.json", timeout=30).json()
    schema("requests.json").validate(body)
    assert body[0]["status"] == "open" and body[0]["service_code"] == "drug_activity"
    token = requests.get(f"{live_api}/tokens/{created['token']}.json", timeout=30).json()
    assert token == [{"service_request_id": case, "token": created["token"]}]
    key = db.session.scalar(db.select(ApiKey))
    assert key.last_used_at is not None


def test_an_address_string_is_placed_by_our_geocoder(live_api, api_key) -> None:
    response = _post(
        live_api,
        api_key,
        **DRUGS,
        address_string="2847 N 35th St",
        description="Cars stop for two minutes and leave",
        **{"attribute[occurred]": "every night after 10", "attribute[language]": "es"},
        media_url="https://photos.example.org/p/1.jpg",
    )
    assert response.status_code == 200, response.text
    case = response.json()[0]["service_request_id"]
    db.session.remove()
    concern = db.session.scalar(db.select(Concern).filter_by(case_number=case))
    assert concern.location_text == "2847 N 35th St"
    assert concern.location_label.startswith("2847 N 35th St")
    assert concern.location_kind == LocationKind.ADDRESS
    assert abs(concern.lat - 43.07) < 0.01
    assert concern.occurred_text == "every night after 10" and concern.language == "es"
    body = requests.get(f"{live_api}/requests/{case}.json", timeout=30).json()[0]
    assert body["address"].startswith("2800 block of N 35th St")
    assert body["media_url"] == "https://photos.example.org/p/1.jpg"


@pytest.mark.parametrize(
    ("fields", "status", "words"),
    [
        ({**AT_CORNER}, 400, "service_code was not provided"),
        ({"service_code": "unicorns", **AT_CORNER}, 400, "service_code 'unicorns' was not found"),
        ({"service_code": "x' OR '1'='1", **AT_CORNER}, 400, "was not found"),
        ({**DRUGS}, 400, "lat and long, or address_string, was not provided"),
        ({**DRUGS, "lat": "43.0676"}, 400, "both lat and long"),
        ({**DRUGS, "lat": "north", "long": "-87.9"}, 400, "lat must be a number"),
        ({**DRUGS, "lat": "95", "long": "-87.9"}, 400, "between -90 and 90"),
        ({**DRUGS, "lat": "41.8781", "long": "-87.6298"}, 400, "outside the city"),  # Chicago
        ({**DRUGS, "address_string": "zzzz qqqq"}, 400, "could not be placed"),
        ({**DRUGS, "address_id": "A-1"}, 400, "address_id is not supported"),
        ({**DRUGS, **AT_CORNER, "description": "x" * 4001}, 400, "at most 4000 characters"),
        ({**DRUGS, **AT_CORNER, "description": "x" * 2500}, 400, "under 2000 characters"),
        ({**DRUGS, **AT_CORNER, "attribute[colour]": "red"}, 400, "attribute[colour]"),
        ({**DRUGS, **AT_CORNER, "attribute[language]": "fr"}, 400, "attribute[language]"),
        ({**DRUGS, **AT_CORNER, "media_url": "javascript:alert(1)"}, 400, "media_url"),
        ({**DRUGS, **AT_CORNER, "phone": "12"}, 400, "phone"),
        ({**DRUGS, **AT_CORNER, "jurisdiction_id": "chicago"}, 404, "jurisdiction_id"),
    ],
)
def test_every_refusal_is_an_error_document_and_saves_nothing(
    live_api, api_key, fields, status, words
) -> None:
    before = _concerns()
    description = _error(_post(live_api, api_key, **fields), status)
    assert words in description
    assert _concerns() == before


@pytest.mark.parametrize("key", [None, "", "not-a-key"])
def test_a_missing_or_wrong_key_is_403(live_api, key) -> None:
    fields = {**DRUGS, **AT_CORNER}
    if key is not None:
        fields["api_key"] = key
    response = requests.post(f"{live_api}/requests.json", data=fields, timeout=30)
    assert "api_key" in _error(response, 403)
    assert _concerns() == 0


def test_a_revoked_key_is_403_and_errors_come_as_xml_too(live_api, api_key) -> None:
    from community.open311.keys import revoke_key

    revoke_key(db.session.scalar(db.select(ApiKey)))
    db.session.remove()
    response = _post(live_api, api_key, fmt="xml", **DRUGS, **AT_CORNER)
    assert response.status_code == 403
    root = ET.fromstring(response.content)
    assert root.tag == "errors"
    assert root.find("error/code").text == "403"
    assert root.find("error/description").text == "api_key is not valid."


def test_html_and_script_are_kept_as_text_and_escaped_in_xml(live_api, api_key) -> None:
    words = '<script>alert("x")</script> <img src=x onerror=alert(1)> & ñandú 🚨 顔'
    response = _post(live_api, api_key, fmt="xml", **DRUGS, **AT_CORNER, description=words)
    assert response.status_code == 200, response.text
    case = ET.fromstring(response.content).find("request/service_request_id").text
    db.session.remove()
    assert db.session.scalar(db.select(Concern.text).filter_by(case_number=case)) == words
    xml = requests.get(f"{live_api}/requests/{case}.xml", timeout=30)
    assert b"<script>" not in xml.content and b"&lt;script&gt;" in xml.content
    assert ET.fromstring(xml.content).find("request/description").text == words
    json_body = requests.get(f"{live_api}/requests/{case}.json", timeout=30)
    assert json_body.json()[0]["description"] == words
    assert "ñandú 🚨 顔".encode() in json_body.content  # UTF-8, not \\u escapes


def test_a_replay_with_the_same_idempotency_key_makes_one_concern(live_api, api_key) -> None:
    headers = {"Idempotency-Key": "app-42-submission-7"}
    first = _post(live_api, api_key, headers=headers, **DRUGS, **AT_CORNER, description="Once")
    again = _post(live_api, api_key, headers=headers, **DRUGS, **AT_CORNER, description="Once")
    other = _post(live_api, api_key, **DRUGS, **AT_CORNER, description="Once")
    assert first.status_code == again.status_code == other.status_code == 200
    assert first.json() == again.json()
    assert other.json()[0]["service_request_id"] != first.json()[0]["service_request_id"]
    assert _concerns() == 2


def test_contact_fields_are_never_published(live_api, api_key) -> None:
    response = _post(
        live_api,
        api_key,
        **DRUGS,
        **AT_CORNER,
        description="Please call me about it",
        phone="414-555-0123",
        email="resident@example.org",
        first_name="Maria",
        last_name="Lopez",
    )
    assert response.status_code == 200, response.text
    db.session.remove()
    resident = db.session.scalar(db.select(Resident))
    assert resident.phone_last4 == "0123"  # kept (encrypted) for status texts, like the web form
    listing = requests.get(f"{live_api}/requests.xml", timeout=30).content
    for private in (b"0123", b"resident@example.org", b"Maria", b"Lopez"):
        assert private not in listing
