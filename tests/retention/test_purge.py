"""Residents' data past retention, or erased on request: nothing of them remains anywhere."""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, current_app, g
from flask.testing import FlaskClient

from community.extensions import db
from community.models import (
    Concern,
    ConcernStatus,
    Event,
    EventKind,
    Message,
    Photo,
    Resident,
    utcnow,
)
from community.privacy import PhoneVault
from community.retention.purge import purge
from tests.factories import make_staff
from tests.sms.fake_twilio import FakeTwilio
from tests.sms.test_webhook import NEIGHBOUR, RESIDENT, text

WORDS = "dealing out of the blue house at 2847 N 35th St, call me 414-555-0199"
# What must be gone: the resident's number in any form and their words as they wrote them
# (a case keeps them only redacted, as published; its place, a label like "2847 N 35th St",
# stays with the case and its timeline).
SECRETS = (WORDS, "2847 N 35th St, call", "555-0199", "5550199", "+14145550123", "4145550123")
PUBLIC_SECRETS = (*SECRETS, "2847")
LATER = timedelta(days=181)


def _everything_in_the_database() -> str:
    """Every value of every row of every table, as one text (bytes as hex and as text)."""
    parts = []
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            for row in connection.execute(sa.select(table)):
                for value in row:
                    if isinstance(value, bytes):
                        parts += [value.hex(), value.decode("latin-1")]
                    else:
                        parts.append(str(value))
    return "\n".join(parts)


def _resident(number: str) -> Resident | None:
    digest = PhoneVault.from_config(current_app.config).lookup_hash(number)
    return db.session.scalar(sa.select(Resident).filter_by(phone_hash=digest))


def _report_with_photo(phone: FlaskClient, fake_twilio: FakeTwilio) -> Resident:
    url = fake_twilio.add_media("porch", b"\xff\xd8\xff the residents porch", "image/jpeg")
    status, reply = text(phone, WORDS, media=[url])
    assert status == 200 and reply
    text(phone, "STATUS")
    resident = _resident(RESIDENT)
    assert resident is not None
    return resident


def _close(resident: Resident) -> None:
    db.session.execute(
        sa.update(Concern)
        .where(Concern.resident_id == resident.id)
        .values(status=ConcernStatus.RESOLVED)
    )
    db.session.commit()


def _media_files(app: Flask) -> list[Path]:
    folder = Path(app.config["MEDIA_FOLDER"])
    return [p for p in folder.iterdir() if p.is_file()] if folder.exists() else []


def _public_outputs(client: FlaskClient) -> str:
    """The public CSV and GeoJSON and Open311, read one after the other (they stream)."""
    today = utcnow().date()
    paths = [
        "/exports/public/concerns.csv",
        "/exports/public/concerns.geojson",
        f"/open311/v2/requests.json?start_date={today - timedelta(days=30)}T00:00:00Z"
        f"&end_date={today + timedelta(days=1)}T00:00:00Z",
    ]
    texts = []
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        texts.append(response.get_data(as_text=True))
        response.close()
    return "\n".join(texts)


def _assert_gone(app: Flask, resident: Resident, secrets: tuple[str, ...], log_text: str) -> None:
    everything = _everything_in_the_database()
    for secret in secrets:
        assert secret not in everything, secret
        assert secret not in log_text, secret
    assert not _media_files(app)
    assert not db.session.scalar(sa.select(sa.func.count(Photo.id)))


def test_a_purge_past_retention_leaves_nothing_of_the_resident(
    sms_app: Flask, phone: FlaskClient, fake_twilio: FakeTwilio, caplog
) -> None:
    caplog.set_level(logging.DEBUG)
    resident = _report_with_photo(phone, fake_twilio)
    ciphertext, lookup = resident.phone_encrypted, resident.phone_hash
    inbound = db.session.scalar(
        sa.select(Message.body).where(Message.direction == "inbound", Message.body == WORDS)
    )
    assert inbound == WORDS and _media_files(sms_app)
    concern = db.session.scalar(sa.select(Concern).filter_by(resident_id=resident.id))
    case_number, category, lat = concern.case_number, concern.category_id, concern.lat
    _close(resident)
    # A neighbour's case is still open: nothing of theirs may go.
    text(phone, "shots fired at 3100 W Center St every night", sender=NEIGHBOUR)
    neighbour = _resident(NEIGHBOUR)

    dry = purge(now=utcnow() + LATER, dry_run=True)
    assert dry.as_dict() == {"phone_numbers": 1, "texts": 4, "reports": 1, "photos": 1}
    assert db.session.scalar(sa.select(Message.body).filter_by(body=WORDS)) == WORDS
    assert _media_files(sms_app)

    done = purge(now=utcnow() + LATER)
    assert done.as_dict() == dry.as_dict()
    assert purge(now=utcnow() + LATER).as_dict() == {
        "phone_numbers": 0,
        "texts": 0,
        "reports": 0,
        "photos": 0,
    }
    db.session.expire_all()
    _assert_gone(
        sms_app,
        resident,
        (*SECRETS, ciphertext.hex(), ciphertext.decode("latin-1"), lookup),
        caplog.text,
    )
    public = _public_outputs(sms_app.test_client())
    for secret in PUBLIC_SECRETS:
        assert secret not in public
    # What stays: the case, its category, its place, its timeline, the texts as rows.
    concern = db.session.scalar(sa.select(Concern).filter_by(case_number=case_number))
    assert (concern.category_id, concern.lat, concern.status) == (category, lat, "resolved")
    assert "2800 block of N 35th St" in concern.text and "[phone]" in concern.text
    kinds = db.session.scalars(sa.select(Event.kind).filter_by(concern_id=concern.id)).all()
    assert EventKind.CREATED in kinds and EventKind.DATA_PURGED in kinds
    assert (
        db.session.scalar(sa.select(sa.func.count(Message.id)).filter_by(resident_id=resident.id))
        >= 4
    )
    # The neighbour's open case keeps its words and number.
    neighbour = db.session.get(Resident, neighbour.id)
    assert PhoneVault.from_config(sms_app.config).decrypt(neighbour.phone_encrypted) == NEIGHBOUR
    assert db.session.scalar(
        sa.select(Concern.text).filter_by(resident_id=neighbour.id)
    ).startswith("shots fired at 3100 W Center St")
    # Texting again after a purge: a new resident.
    text(phone, "STATUS")
    again = _resident(RESIDENT)
    assert again is not None and again.id != resident.id


def test_open_cases_and_recent_ones_keep_everything(sms_app: Flask, phone, fake_twilio) -> None:
    resident = _report_with_photo(phone, fake_twilio)
    assert purge(now=utcnow() + LATER, dry_run=True).phone_numbers == 0  # still open
    _close(resident)
    assert purge().as_dict() == {"phone_numbers": 0, "texts": 0, "reports": 0, "photos": 0}
    assert _resident(RESIDENT) is not None and _media_files(sms_app)


def test_the_command_prints_counts_and_a_dry_run_removes_nothing(
    sms_app: Flask, phone, fake_twilio
) -> None:
    resident = _report_with_photo(phone, fake_twilio)
    _close(resident)
    for setting in ("RETENTION_PHONE_DAYS", "RETENTION_TEXT_DAYS", "RETENTION_PHOTO_DAYS"):
        sms_app.config[setting] = 0
    runner = sms_app.test_cli_runner()
    dry = runner.invoke(args=["purge-resident-data", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert dry.output.strip() == (
        "purge-resident-data: would remove 1 phone numbers, 4 texts, 1 reports, 1 photos"
    )
    assert _resident(RESIDENT) is not None
    real = runner.invoke(args=["purge-resident-data"])
    assert real.output.strip() == (
        "purge-resident-data: removed 1 phone numbers, 4 texts, 1 reports, 1 photos"
    )
    assert _resident(RESIDENT) is None and not _media_files(sms_app)


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_an_admin_erases_a_resident_at_once_with_csrf(
    sms_app: Flask, phone: FlaskClient, fake_twilio: FakeTwilio, caplog
) -> None:
    caplog.set_level(logging.DEBUG)
    resident = _report_with_photo(phone, fake_twilio)
    ciphertext, lookup = resident.phone_encrypted, resident.phone_hash
    concern_id = db.session.scalar(sa.select(Concern.id).filter_by(resident_id=resident.id))
    staff = make_staff()
    sms_app.config["WTF_CSRF_ENABLED"] = True
    client = sms_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    client.post(
        "/login",
        data={"email": "admin@example.org", "password": "admin-pass", "csrf_token": _csrf(page)},
    )
    # The test's app context outlives requests: forget the token Flask-WTF cached on `g`
    # before sign-in (which starts a new session), as a new request in production would.
    g.pop("csrf_token", None)
    form = client.get("/admin/residents/erase")
    assert form.status_code == 200
    token = _csrf(form.get_data(as_text=True))
    forged = client.post("/admin/residents/erase", data={"phone": "414-555-0123", "confirm": "y"})
    assert forged.status_code == 400 and _resident(RESIDENT) is not None
    done = client.post(
        "/admin/residents/erase",
        data={"phone": "(414) 555-0123", "confirm": "y", "csrf_token": token},
        follow_redirects=True,
    )
    assert done.status_code == 200
    assert "Erased: 1 phone numbers, 4 texts, 1 reports, 1 photos" in done.get_data(as_text=True)
    db.session.expire_all()
    _assert_gone(
        sms_app,
        resident,
        (*SECRETS, ciphertext.hex(), lookup),
        caplog.text,
    )
    event = db.session.scalar(sa.select(Event).filter_by(kind=EventKind.DATA_ERASED))
    assert event.concern_id == concern_id and event.actor == staff["admin"].email
    assert "0123" not in f"{event.reason} {event.data}"
    # The case is still open and still where it was.
    concern = db.session.get(Concern, concern_id)
    assert concern.status == ConcernStatus.OPEN and concern.lat is not None
    # Others may not.
    viewer = sms_app.test_client()
    assert viewer.get("/admin/residents/erase").status_code in (302, 401)


def test_erase_refuses_unknown_numbers_and_non_admins(sms_app: Flask, phone) -> None:
    make_staff()
    client = sms_app.test_client()
    client.post("/login", data={"email": "prosecutor@example.org", "password": "prosecutor-pass"})
    assert client.get("/admin/residents/erase").status_code == 403
    admin = sms_app.test_client()
    admin.post("/login", data={"email": "admin@example.org", "password": "admin-pass"})
    missing = admin.post("/admin/residents/erase", data={"phone": "414-555-0999", "confirm": "y"})
    assert missing.status_code == 404 and "No resident has that number" in missing.get_data(
        as_text=True
    )
    bad = admin.post("/admin/residents/erase", data={"phone": "call me", "confirm": "y"})
    assert bad.status_code == 400


def test_erase_by_command_reads_the_number_from_stdin(sms_app: Flask, phone, fake_twilio) -> None:
    _report_with_photo(phone, fake_twilio)
    result = sms_app.test_cli_runner().invoke(
        args=["erase-resident", "--phone-stdin", "--yes"], input="414 555 0123\n"
    )
    assert result.exit_code == 0, result.output
    assert "removed 1 phone numbers, 4 texts, 1 reports, 1 photos" in result.output
    assert "0123" not in result.output.replace("removed", "")
    assert _resident(RESIDENT) is None


def test_web_reports_and_their_photos_go_too(app: Flask, tmp_path: Path) -> None:
    import io

    from tests.intake_web.conftest import GOOD, jpeg_with_gps

    client = app.test_client()
    data = {
        **GOOD,
        "text": WORDS,
        "phone": "414-555-0123",
        "consent": "y",
        "photo": (io.BytesIO(jpeg_with_gps()), "porch.jpg"),
    }
    response = client.post("/report", data=data, content_type="multipart/form-data")
    assert response.status_code in (200, 302, 303), response.get_data(as_text=True)[:400]
    assert db.session.scalar(sa.select(sa.func.count(Photo.id))) == 1
    db.session.execute(sa.update(Concern).values(status=ConcernStatus.CLOSED))
    db.session.commit()
    counts = purge(now=utcnow() + LATER)
    assert counts.photos == 1 and counts.reports == 1 and counts.phone_numbers == 1
    assert not list((tmp_path / "media").glob("web-*"))
    assert WORDS not in _everything_in_the_database()
