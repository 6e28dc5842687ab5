"""The resident's web form: a good report is saved, located and clustered; bad input is a 400."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from community.extensions import db
from community.models import (
    Concern,
    ConcernStatus,
    Event,
    GeocodeStatus,
    LocationKind,
    Resident,
)

GOOD = {
    "category": "drug_activity",
    "text": "people selling drugs out of the blue house every night",
    "location": "2263 N Lake Dr",
}


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_form_page_lists_categories(client) -> None:
    page = client.get("/report").get_data(as_text=True)
    assert "Drug activity" in page and "Shots fired" in page
    assert 'name="location"' in page


def test_a_report_gets_a_case_number_and_is_located(client) -> None:
    response = client.post("/report", data=GOOD)
    assert response.status_code == 302
    case_number = response.headers["Location"].rsplit("/", 1)[-1]
    page = client.get(f"/report/{case_number}").get_data(as_text=True)
    assert case_number in page
    concern = db.session.scalar(sa.select(Concern).filter_by(case_number=case_number))
    assert concern.status == ConcernStatus.OPEN
    assert concern.geocode_status == GeocodeStatus.LOCATED
    assert concern.location_kind == LocationKind.ADDRESS
    assert concern.location_label == "2263 N Lake Dr"
    assert concern.lat == pytest.approx(43.0595468) and concern.lon == pytest.approx(-87.8814075)
    assert concern.neighborhood is not None and concern.police_district is not None
    kinds = [e.kind for e in db.session.scalars(sa.select(Event).filter_by(concern_id=concern.id))]
    assert kinds[:2] == ["created", "located"]


def test_an_unplaceable_report_waits_for_staff(client) -> None:
    response = client.post("/report", data={**GOOD, "location": "behind the old corner store"})
    assert response.status_code == 302
    concern = db.session.scalar(sa.select(Concern))
    assert concern.status == ConcernStatus.NEEDS_LOCATION
    assert concern.geocode_status == GeocodeStatus.FAILED


def test_a_phone_number_is_stored_encrypted_and_needs_consent(app, client) -> None:
    from community.privacy import PhoneVault

    response = client.post("/report", data={**GOOD, "phone": "414-555-0123"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "agree to text updates" in page
    assert "0123" not in page and "Type your phone number again" in page  # never shown back
    assert _count(Concern) == 0 and _count(Resident) == 0
    response = client.post("/report", data={**GOOD, "phone": "414-555-0123", "consent": "y"})
    assert response.status_code == 302
    resident = db.session.scalar(sa.select(Resident))
    assert resident.phone_last4 == "0123"
    assert PhoneVault.from_config(app.config).decrypt(resident.phone_encrypted) == "+14145550123"
    stored = bytes(resident.phone_encrypted)
    assert b"4145550123" not in stored and b"+14145550123" not in stored
    case_number = response.headers["Location"].rsplit("/", 1)[-1]
    assert "0123" not in client.get(f"/report/{case_number}").get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**GOOD, "text": ""}, "Tell us what is happening."),
        ({**GOOD, "text": "   \n\t "}, "Tell us what is happening."),
        ({**GOOD, "location": ""}, "Tell us where it is happening."),
        ({**GOOD, "category": ""}, "Choose what kind of problem this is."),
        ({**GOOD, "category": "'; DROP TABLE concern; --"}, "Choose what kind of problem this is."),
        ({**GOOD, "text": "x" * 2001}, "2000"),
        ({**GOOD, "phone": "not a phone", "consent": "y"}, "phone number such as"),
        ({}, "Tell us what is happening."),
    ],
)
def test_bad_input_is_a_clear_400_and_saves_nothing(client, data: dict, message: str) -> None:
    response = client.post("/report", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _count(Concern) == 0 and _count(Event) == 0


def test_html_and_sql_in_a_report_are_stored_as_text(client) -> None:
    text = "<img src=x onerror=alert(1)> Robert'); DROP TABLE concern;-- 🚨 niños"
    assert client.post("/report", data={**GOOD, "text": text}).status_code == 302
    concern = db.session.scalar(sa.select(Concern))
    assert concern.text == text


def test_control_characters_are_dropped(client) -> None:
    client.post("/report", data={**GOOD, "text": "drugs\x00 sold\x1b here"})
    assert db.session.scalar(sa.select(Concern.text)) == "drugs sold here"


def test_a_form_without_csrf_token_is_refused(csrf_app) -> None:
    response = csrf_app.test_client().post("/report", data=GOOD)
    assert response.status_code == 400
    assert "This form expired" in response.get_data(as_text=True)
    assert _count(Concern) == 0


def test_unknown_case_and_page_are_404_pages(client) -> None:
    response = client.get("/report/MKE-ZZZZ", follow_redirects=True)
    assert response.status_code == 404
    assert "could not find that case" in response.get_data(as_text=True)
    response = client.get("/nowhere", headers={"Accept": "application/json"})
    assert response.status_code == 404 and response.json["error"]


def test_health_check(client) -> None:
    assert client.get("/healthz").json == {"status": "ok", "database": True}


def test_a_double_submitted_form_makes_one_concern(client) -> None:
    key = "0123456789abcdef0123456789abcdef"
    first = client.post("/report", data={**GOOD, "submission": key})
    second = client.post("/report", data={**GOOD, "submission": key})
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert _count(Concern) == 1


def test_a_tampered_submission_key_is_refused(client) -> None:
    response = client.post("/report", data={**GOOD, "submission": "'; DROP TABLE concern;--"})
    assert response.status_code == 400 and _count(Concern) == 0


def test_each_form_page_carries_a_fresh_submission_key(client) -> None:
    pages = [client.get("/report").get_data(as_text=True) for _ in range(2)]
    keys = [page.split('name="submission" type="hidden" value="')[1][:32] for page in pages]
    assert keys[0] != keys[1]


def test_a_huge_request_body_is_a_413_page(client) -> None:
    response = client.post("/report", data={**GOOD, "text": "x" * (9 * 1024 * 1024)})
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)
    assert _count(Concern) == 0
