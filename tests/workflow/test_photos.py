"""Residents' photos on the hotspot page: texted and web ones, seen only by who sees the hotspot."""

from __future__ import annotations

import pytest

from community.extensions import db
from community.intake.photos import media_folder
from community.models import AssignmentRole, Concern, Message, Photo, Resident
from community.workflow.service import assign
from tests.conftest import sign_in
from tests.factories import ConcernFactory, agency
from tests.workflow.conftest import make_hotspot

SMS_JPEG = b"\xff\xd8\xff texted photo"
WEB_JPEG = b"\xff\xd8\xff web form photo"
WEB_NAME = "web-" + "ab" * 16 + ".jpg"
LOGINS = {
    "admin": ("admin@example.org", "admin-pass"),
    "prosecutor": ("prosecutor@example.org", "prosecutor-pass"),
    "viewer": ("viewer@example.org", "viewer-pass"),
    "lead agency": ("d3@example.org", "agency_staff-pass"),
    "unrelated agency": ("dns@example.org", "dns-staff-pass"),
}


def _texted(concern: Concern, resident: Resident) -> str:
    message = Message(
        resident_id=resident.id,
        concern_id=concern.id,
        direction="inbound",
        body="look at this",
        status="received",
        num_media=1,
    )
    db.session.add(message)
    db.session.flush()
    name = f"{message.id}-0.jpg"
    message.media = [{"url": "https://api.example/m", "content_type": "image/jpeg", "file": name}]
    (media_folder() / name).write_bytes(SMS_JPEG)
    return name


@pytest.fixture
def world(app, users, dns_staff) -> dict:
    """A District 3 hotspot with a texted and a web photo; a texted photo of a lone concern."""
    hotspot = make_hotspot()
    assign(hotspot, agency("MPD-D3"), AssignmentRole.LEAD, users["prosecutor"])
    first, second = hotspot.concerns[:2]
    resident = Resident(phone_encrypted=b"x", phone_hash="h" * 64, phone_last4="0187")
    db.session.add(resident)
    db.session.flush()
    sms_name = _texted(first, resident)
    db.session.add(
        Photo(
            concern_id=second.id,
            file=WEB_NAME,
            content_type="image/jpeg",
            width=4,
            height=3,
            size_bytes=len(WEB_JPEG),
        )
    )
    (media_folder() / WEB_NAME).write_bytes(WEB_JPEG)
    lone = ConcernFactory()
    lone_name = _texted(lone, resident)
    db.session.commit()
    return {"hotspot_id": hotspot.id, "sms": sms_name, "lone": lone_name}


def test_the_hotspot_page_shows_texted_and_web_photos(client, world) -> None:
    sign_in(client, *LOGINS["viewer"])
    page = client.get(f"/staff/hotspots/{world['hotspot_id']}").get_data(as_text=True)
    assert f"/staff/media/{world['sms']}" in page
    assert f"/staff/media/{WEB_NAME}" in page
    assert client.get(f"/staff/media/{WEB_NAME}").data == WEB_JPEG
    assert client.get(f"/staff/media/{world['sms']}").data == SMS_JPEG


@pytest.mark.parametrize(
    ("role", "hotspot_photos", "lone_photo"),
    [
        ("admin", 200, 200),
        ("prosecutor", 200, 200),
        ("viewer", 200, 403),
        ("lead agency", 200, 403),
        ("unrelated agency", 403, 403),
    ],
)
def test_photos_need_the_right_to_see_their_hotspot(
    client, world, role, hotspot_photos, lone_photo
) -> None:
    sign_in(client, *LOGINS[role])
    for name in (world["sms"], WEB_NAME):
        response = client.get(f"/staff/media/{name}")
        assert response.status_code == hotspot_photos, (role, name)
        if hotspot_photos == 403:
            assert SMS_JPEG not in response.data and WEB_JPEG not in response.data
    assert client.get(f"/staff/media/{world['lone']}").status_code == lone_photo


def test_guessed_names_find_nothing(client, world) -> None:
    sign_in(client, *LOGINS["admin"])
    sms_id = world["sms"].split("-")[0]
    for name in (
        f"{sms_id}-1.jpg",  # the same text has no second photo
        "999999-0.jpg",
        "web-" + "cd" * 16 + ".jpg",
        "web-" + "AB" * 16 + ".jpg",
        "..%2Fapp.sqlite",
    ):
        assert client.get(f"/staff/media/{name}").status_code == 404, name
