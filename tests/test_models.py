"""The data model's guarantees: UTC timestamps, append-only history, encrypted phones."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from community.casenumber import CASE_RE, new_case_number, normalize_case_number
from community.extensions import db
from community.models import AppendOnlyError, Event, EventKind, Resident
from community.privacy import PhoneVault
from tests.factories import ConcernFactory


def test_timestamps_come_back_timezone_aware_in_utc(app) -> None:
    chicago = datetime(2026, 6, 1, 7, 30, tzinfo=ZoneInfo("America/Chicago"))
    concern = ConcernFactory(reported_at=chicago)
    db.session.expire_all()
    again = db.session.get(type(concern), concern.id)
    assert again.reported_at == datetime(2026, 6, 1, 12, 30, tzinfo=UTC)
    assert again.reported_at.tzinfo == UTC
    assert again.created_at.tzinfo is not None


def test_naive_datetimes_are_refused(app) -> None:
    with pytest.raises(sa.exc.StatementError, match="naive datetime"):
        ConcernFactory(reported_at=datetime(2026, 6, 1, 12, 30))
    db.session.rollback()


def test_events_cannot_be_changed_or_deleted(app) -> None:
    concern = ConcernFactory()
    event = Event(kind=EventKind.NOTE, actor="system", concern_id=concern.id, reason="first")
    db.session.add(event)
    db.session.commit()
    event.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(Event, event.id))
    with pytest.raises(AppendOnlyError):
        db.session.commit()
    db.session.rollback()
    assert db.session.get(Event, event.id).reason == "first"


def test_an_event_needs_a_subject(app) -> None:
    db.session.add(Event(kind=EventKind.NOTE, actor="system"))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_phone_numbers_are_encrypted_at_rest(app) -> None:
    vault = PhoneVault.from_config(app.config)
    phone = "+14145550123"
    db.session.add(
        Resident(
            phone_encrypted=vault.encrypt(phone),
            phone_hash=vault.lookup_hash(phone),
            phone_last4="0123",
        )
    )
    db.session.commit()
    raw = db.session.execute(sa.text("SELECT phone_encrypted, phone_hash FROM resident")).one()
    assert b"4145550123" not in bytes(raw[0])
    assert "4145550123" not in raw[1]
    assert vault.decrypt(bytes(raw[0])) == phone
    resident = db.session.scalar(sa.select(Resident))
    assert resident.masked_phone == "***-***-0123"


def test_case_numbers_are_unambiguous() -> None:
    numbers = {new_case_number("MKE") for _ in range(500)}
    assert all(CASE_RE.match(n) for n in numbers)
    assert not any(ch in n[4:] for n in numbers for ch in "01OILU")
    assert len(numbers) > 490
    assert normalize_case_number(" mke 7k3q ", "MKE") == "MKE-7K3Q"
    assert normalize_case_number("7K3Q", "MKE") == "MKE-7K3Q"
    assert normalize_case_number("MKE-0000", "MKE") is None
    assert normalize_case_number("", "MKE") is None
