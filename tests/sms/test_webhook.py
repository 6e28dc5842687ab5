"""Whole SMS conversations through signed webhook requests, with the real twilio library.

Inbound texts are posted to /sms/inbound signed like Twilio signs them; replies come back as
TwiML; status texts go through the real twilio client to the fake Twilio REST server.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from itertools import count
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import current_app
from flask.testing import FlaskClient

from community.extensions import db
from community.models import (
    AssignmentRole,
    Concern,
    ConcernStatus,
    Hotspot,
    LocationKind,
    Message,
    Resident,
)
from community.sms.signature import sign
from tests.factories import agency, make_staff
from tests.helpers import placed_concerns
from tests.sms.conftest import PUBLIC

RESIDENT = "+14145550123"
NEIGHBOUR = "+14145550124"
CASE = re.compile(r"MKE-[2-9A-HJKMNP-TV-Z]{4}")
_sids = count(1)


def text(
    client: FlaskClient,
    body: str,
    sender: str = RESIDENT,
    *,
    sid: str | None = None,
    media: list[str] | None = None,
    signature: str | None = None,
) -> tuple[int, str | None]:
    """Post one signed inbound text; returns (HTTP status, the reply text or None)."""
    form = {
        "MessageSid": sid or f"SM{next(_sids):032x}",
        "AccountSid": current_app.config["TWILIO_ACCOUNT_SID"],
        "From": sender,
        "To": "+14145550100",
        "Body": body,
        "NumMedia": str(len(media or [])),
    }
    for i, url in enumerate(media or []):
        form[f"MediaUrl{i}"] = url
        form[f"MediaContentType{i}"] = "image/jpeg"
    token = current_app.config["TWILIO_AUTH_TOKEN"]
    header = signature if signature is not None else sign(token, f"{PUBLIC}/sms/inbound", form)
    response = client.post("/sms/inbound", data=form, headers={"X-Twilio-Signature": header})
    if response.status_code != 200:
        return response.status_code, None
    message = ET.fromstring(response.get_data(as_text=True)).find("Message")
    return 200, (message.text if message is not None else None)


def _concern() -> Concern:
    db.session.expire_all()
    return db.session.scalar(sa.select(Concern).order_by(Concern.id.desc()))


def test_a_confident_place_gets_a_case_number_at_once(phone) -> None:
    status, reply = text(phone, "ppl selling drugs out the blue house 2847 n 35th st every nite")
    assert status == 200
    case = CASE.search(reply).group()
    assert "2847 N 35th St (Sherman Park)" in reply and "Drug activity" in reply and "911" in reply
    concern = _concern()
    assert concern.case_number == case and concern.status == ConcernStatus.OPEN
    assert concern.location_kind == LocationKind.ADDRESS and concern.source == "sms"
    assert concern.resident.phone_last4 == "0123"


def test_spanish_gets_spanish(phone) -> None:
    _, reply = text(phone, "venden drogas en la esquina de la 16 y National")
    assert CASE.search(reply) and "Chavez" in reply
    assert db.session.scalar(sa.select(Resident.language)) == "es"
    assert "911" in reply and "Gracias" in reply


def test_an_ambiguous_place_is_a_choice(phone) -> None:
    _, reply = text(phone, "drug house at 1518 35th st")
    assert "1." in reply and "2." in reply
    assert _concern().lat is None
    _, reply = text(phone, "2")
    concern = _concern()
    assert concern.status == ConcernStatus.OPEN and concern.location_label in reply


def test_no_place_twice_leaves_it_to_staff(phone) -> None:
    _, first = text(phone, "someone keeps dumping trash")
    case = CASE.search(first).group()
    text(phone, "behind the store")
    _, third = text(phone, "idk")
    concern = _concern()
    assert concern.case_number == case and concern.status == ConcernStatus.NEEDS_LOCATION
    assert third and case in third


def test_a_correction_moves_the_concern(phone) -> None:
    text(phone, "shots fired at 2847 n 35th st")
    _, reply = text(phone, "wrong place, it was 35th and Burleigh")
    concern = _concern()
    assert concern.location_label == "N 35th St & W Burleigh St"
    assert "Burleigh" in reply


def test_a_follow_up_joins_the_same_concern(phone) -> None:
    text(phone, "drug dealing at 2847 n 35th st")
    _, reply = text(phone, "it's the blue house with the broken fence")
    assert db.session.scalar(sa.select(sa.func.count(Concern.id))) == 1
    assert "blue house" in _concern().text and CASE.search(reply)


def test_the_same_delivery_twice_is_one_concern_and_one_answer(phone) -> None:
    first = text(phone, "drugs sold at 2263 N Lake Dr", sid="SM" + "a" * 32)
    again = text(phone, "drugs sold at 2263 N Lake Dr", sid="SM" + "a" * 32)
    assert first == again
    assert db.session.scalar(sa.select(sa.func.count(Concern.id))) == 1
    inbound = db.session.scalar(sa.select(sa.func.count(Message.id)).filter_by(direction="inbound"))
    assert inbound == 1


@pytest.mark.parametrize("signature", ["", "not-a-signature"])
def test_an_unsigned_request_is_refused_and_stores_nothing(phone, signature) -> None:
    status, _ = text(phone, "drugs at 2263 N Lake Dr", signature=signature)
    assert status == 403
    assert db.session.scalar(sa.select(sa.func.count(Message.id))) == 0


def test_help_and_status(phone) -> None:
    _, help_reply = text(phone, "ayuda")
    assert help_reply and "911" in help_reply
    text(phone, "drugs at 2263 N Lake Dr")
    _, reply = text(phone, "status")
    assert _concern().case_number in reply


def test_stop_means_nothing_more_not_even_resolution(phone, fake_twilio, sms_app) -> None:
    staff = make_staff()
    text(phone, "drug house at 2847 n 35th st", sender=NEIGHBOUR)
    _, reply = text(phone, "selling drugs at 2847 n 35th st")
    case = CASE.search(reply).group()
    _, reply = text(phone, "STOP")
    assert reply is None  # Twilio itself confirms its keywords
    assert text(phone, "hello?") == (200, None)
    placed_concerns(2, around=(43.07074, -87.95772))
    from community.hotspots.recluster import recluster

    recluster()
    hotspot = db.session.get(Hotspot, _concern().hotspot_id)
    staff_client = sms_app.test_client()
    from tests.conftest import sign_in

    sign_in(staff_client, "prosecutor@example.org", "prosecutor-pass")
    staff_client.post(
        f"/staff/hotspots/{hotspot.id}/assign",
        data={"assign-agency_id": agency("MPD-D7").id, "assign-role": "lead"},
    )
    staff_client.post(
        f"/staff/hotspots/{hotspot.id}/resolve",
        data={"resolve-reason": "house boarded up", "resolve-outcome": "property_secured"},
    )
    sent_to = [r.form.get("To") for r in fake_twilio.sent if r.method == "POST"]
    assert RESIDENT not in sent_to  # opted out: nothing at all
    assert sent_to.count(NEIGHBOUR) == 2  # assigned, then resolved
    bodies = [r.form["Body"] for r in fake_twilio.sent if r.form.get("To") == NEIGHBOUR]
    assert any("Milwaukee Police District 7" in b for b in bodies)
    assert case not in " ".join(bodies)  # the neighbour hears about their own case only
    assert staff  # the accounts existed for the prosecutor's sign-in


def test_start_after_stop(phone) -> None:
    text(phone, "STOP")
    assert db.session.scalar(sa.select(Resident.opted_out)) is True
    text(phone, "START")
    assert db.session.scalar(sa.select(Resident.opted_out)) is False


def test_stop_texting_me_is_an_opt_out_with_one_confirmation(phone) -> None:
    _, reply = text(phone, "please stop texting me")
    assert reply  # not a carrier keyword: we confirm once ourselves
    assert db.session.scalar(sa.select(Resident.opted_out)) is True
    assert text(phone, "drugs at 2263 N Lake Dr") == (200, None)


def test_mms_photos_are_kept(phone, fake_twilio, sms_app) -> None:
    url = fake_twilio.add_media("photo1", b"\xff\xd8\xff fake jpeg", "image/jpeg")
    text(phone, "dumping behind 2263 N Lake Dr", media=[url])
    message = db.session.scalar(sa.select(Message).filter_by(direction="inbound"))
    db.session.refresh(message)
    stored = Path(sms_app.instance_path) / "media" / message.media[0]["file"]
    assert stored.read_bytes() == b"\xff\xd8\xff fake jpeg"
    assert message.concern_id == _concern().id


def test_the_lead_assignment_texts_reporters(phone, fake_twilio, sms_app) -> None:
    make_staff()
    text(phone, "shots fired at 2847 n 35th st")
    placed_concerns(2, around=(43.07074, -87.95772))
    from community.hotspots.recluster import recluster
    from community.workflow.service import assign

    recluster()
    hotspot = db.session.get(Hotspot, _concern().hotspot_id)
    from community.models import User

    prosecutor = db.session.scalar(sa.select(User).filter_by(role="prosecutor"))
    assign(hotspot, agency("MPD-D7"), AssignmentRole.LEAD, prosecutor)
    db.session.commit()
    from community.notify.service import notify_hotspot

    assert notify_hotspot(hotspot.id, "assigned") == 1
    assert notify_hotspot(hotspot.id, "assigned") == 0  # once per case per day
    sent = [r for r in fake_twilio.sent if r.form.get("To") == RESIDENT]
    assert len(sent) == 1 and "Milwaukee Police District 7" in sent[0].form["Body"]
    fake_twilio.opted_out.add(RESIDENT)
    from community.workflow.service import resolve

    resolve(hotspot, prosecutor, "arrests made")
    db.session.commit()
    notify_hotspot(hotspot.id, "resolved")
    assert db.session.scalar(sa.select(Resident.opted_out)) is True  # Twilio said 21610


def _status_callback(client: FlaskClient, sid: str, status: str, error: str | None = None) -> int:
    form = {"MessageSid": sid, "MessageStatus": status, "AccountSid": "AC" + "0" * 32}
    if error:
        form["ErrorCode"] = error
    token = current_app.config["TWILIO_AUTH_TOKEN"]
    signature = sign(token, f"{PUBLIC}/sms/status", form)
    return client.post(
        "/sms/status", data=form, headers={"X-Twilio-Signature": signature}
    ).status_code


def test_delivery_status_only_moves_forward(phone, fake_twilio) -> None:
    from community.sms.delivery import send_text

    text(phone, "drugs at 2263 N Lake Dr")
    resident = db.session.scalar(sa.select(Resident))
    message = send_text(resident, "Case update", purpose="status_assigned")
    assert message.twilio_sid.startswith("SM") and message.status == "queued"
    assert _status_callback(phone, message.twilio_sid, "delivered") == 204
    assert _status_callback(phone, message.twilio_sid, "sent") == 204  # late and out of order
    db.session.refresh(message)
    assert message.status == "delivered"
    assert _status_callback(phone, "SM" + "f" * 32, "delivered") == 204  # unknown: ignored
    assert _status_callback(phone, message.twilio_sid, "bogus") == 204


def test_a_status_callback_saying_opted_out_stops_all_texts(phone, fake_twilio) -> None:
    from community.sms.delivery import send_text

    text(phone, "drugs at 2263 N Lake Dr")
    resident = db.session.scalar(sa.select(Resident))
    message = send_text(resident, "Case update", purpose="status_assigned")
    _status_callback(phone, message.twilio_sid, "undelivered", "21610")
    db.session.refresh(resident)
    assert resident.opted_out is True
    before = len(fake_twilio.sent)
    assert send_text(resident, "another update", purpose="status_resolved") is None
    assert len(fake_twilio.sent) == before


def test_an_unsigned_status_callback_is_refused(phone) -> None:
    response = phone.post("/sms/status", data={"MessageSid": "SM1", "MessageStatus": "delivered"})
    assert response.status_code == 403


def test_a_flood_gets_one_polite_reply_and_no_concerns(phone, sms_app) -> None:
    sms_app.config["SMS_MAX_PER_HOUR"] = 3
    replies = [text(phone, f"drugs at {2263 + 2 * i} N Lake Dr")[1] for i in range(6)]
    assert all(replies[:3])
    assert sum(1 for r in replies[3:] if r) == 1  # one polite reply, then silence
    assert db.session.scalar(sa.select(sa.func.count(Concern.id))) <= 3


def test_a_long_text_is_kept_whole(phone) -> None:
    body = "selling drugs at 2263 N Lake Dr. " + "they are out there all night " * 80
    text(phone, body)
    stored = db.session.scalar(sa.select(Message.body).filter_by(direction="inbound"))
    assert stored == body and len(body) > 1600


def test_replies_are_counted_in_segments_and_english_stays_gsm7(phone) -> None:
    from community.sms.segments import encoding

    text(phone, "shots fired at 2847 n 35th st")
    text(phone, "venden drogas en la 16 y National", sender=NEIGHBOUR)
    replies = db.session.scalars(sa.select(Message).filter_by(purpose="reply")).all()
    english, spanish = replies
    assert encoding(english.body) == "GSM-7" and english.segments <= 2
    assert spanish.segments >= 1


def test_staff_see_the_photo_and_the_public_cannot(phone, fake_twilio, sms_app) -> None:
    from tests.conftest import sign_in

    make_staff()
    url = fake_twilio.add_media("photo2", b"\xff\xd8\xff another jpeg", "image/jpeg")
    text(phone, "drug dealing at 2847 n 35th st", media=[url])
    placed_concerns(2, around=(43.07074, -87.95772))  # drug activity too: one problem place
    from community.hotspots.recluster import recluster

    recluster()
    hotspot_id = _concern().hotspot_id
    anonymous = sms_app.test_client()
    message = db.session.scalar(sa.select(Message).filter_by(direction="inbound"))
    name = message.media[0]["file"]
    assert anonymous.get(f"/staff/media/{name}").status_code == 302  # to the sign-in page
    staff = sms_app.test_client()
    sign_in(staff, "viewer@example.org", "viewer-pass")
    page = staff.get(f"/staff/hotspots/{hotspot_id}").get_data(as_text=True)
    assert f"/staff/media/{name}" in page
    assert staff.get(f"/staff/media/{name}").data == b"\xff\xd8\xff another jpeg"
    assert staff.get("/staff/media/..%2Fsms.sqlite").status_code == 404


def test_a_residents_texts_are_answered_in_the_order_they_came(phone) -> None:
    """A worker that gets the second text first answers the first one before it."""
    from community.intake.sms_service import InboundSms, accept, process

    first, _ = accept(
        InboundSms(sid="SM" + "1" * 32, sender=RESIDENT, body="drug house at 2847 n 35th st")
    )
    second, _ = accept(InboundSms(sid="SM" + "2" * 32, sender=RESIDENT, body="it's the blue house"))
    outcome = process(second.id, reply_later=True)
    assert "blue house" in outcome.reply or CASE.search(outcome.reply)
    replies = db.session.scalars(
        sa.select(Message).where(Message.in_reply_to_id.is_not(None)).order_by(Message.id)
    ).all()
    assert [r.in_reply_to_id for r in replies] == [first.id, second.id]
    assert all(r.status == "pending" for r in replies)  # for the worker to send by REST
    assert "blue house" in _concern().text  # the follow-up joined the first text's concern


def test_a_case_staff_closed_does_not_silence_the_resident(phone) -> None:
    from community.workflow.service import transition_concern

    text(phone, "someone keeps dumping trash")  # no place: the conversation asks where
    transition_concern(_concern(), ConcernStatus.NOT_ACTIONABLE, "staff", "private property")
    db.session.commit()
    for body in ("idk", "no idea"):
        assert text(phone, body)[0] == 200
    _, reply = text(phone, "ayuda")
    assert reply and "911" in reply
    assert _concern().status == ConcernStatus.NOT_ACTIONABLE  # the resident cannot undo it


def test_stop_is_honoured_even_over_the_flood_limit(phone, sms_app) -> None:
    sms_app.config["SMS_MAX_PER_HOUR"] = 2
    for i in range(3):
        text(phone, f"drugs at {2263 + 2 * i} N Lake Dr")
    text(phone, "PARAR")
    assert db.session.scalar(sa.select(Resident.opted_out)) is True


def test_after_stop_reports_still_count_but_nothing_is_sent(phone) -> None:
    text(phone, "STOP")
    assert text(phone, "shots fired at 35th and Burleigh") == (200, None)
    concern = _concern()
    assert concern is not None and concern.location_label == "N 35th St & W Burleigh St"


def test_a_second_problem_elsewhere_is_a_second_case(phone) -> None:
    _, first = text(phone, "drugs sold at 2847 n 35th st")
    _, second = text(phone, "also shots fired at 35th and Burleigh last night")
    cases = db.session.scalars(sa.select(Concern).order_by(Concern.id)).all()
    assert len(cases) == 2
    assert cases[0].location_label == "2847 N 35th St"  # the first report did not move
    assert cases[1].location_label == "N 35th St & W Burleigh St"
    assert cases[1].case_number in second and cases[0].case_number in first


def test_the_sweep_leaves_a_concern_the_conversation_is_placing(phone) -> None:
    from community.jobs import sweep

    text(phone, "someone keeps dumping trash")  # asked where
    sweep()
    concern = _concern()
    assert concern.status == ConcernStatus.NEW and concern.lat is None


def test_the_same_report_again_is_a_follow_up_not_a_new_case(phone) -> None:
    text(phone, "shots fired at 2847 n 35th st")
    _, reply = text(phone, "more shots fired at 2847 n 35th st tonight")
    assert db.session.scalar(sa.select(sa.func.count(Concern.id))) == 1
    assert _concern().case_number in reply


def test_a_resident_with_two_cases_in_one_hotspot_gets_one_status_text(phone, fake_twilio) -> None:
    from community.hotspots.recluster import recluster
    from community.models import User
    from community.notify.service import notify_hotspot
    from community.workflow.service import assign

    make_staff()
    text(phone, "drugs sold at 2847 n 35th st")
    text(phone, "also shots fired at 2849 n 35th st")  # another kind of problem: a second case
    placed_concerns(2, around=(43.07074, -87.95772))
    recluster()
    hotspot = db.session.get(Hotspot, _concern().hotspot_id)
    assert len([c for c in hotspot.concerns if c.resident]) == 2
    prosecutor = db.session.scalar(sa.select(User).filter_by(role="prosecutor"))
    assign(hotspot, agency("MPD-D7"), AssignmentRole.LEAD, prosecutor)
    db.session.commit()
    assert notify_hotspot(hotspot.id, "assigned") == 1
    assert len([r for r in fake_twilio.sent if r.form.get("To") == RESIDENT]) == 1


def test_a_text_is_sent_once_even_if_two_workers_deliver_it(phone, fake_twilio) -> None:
    from community.sms.delivery import deliver

    text(phone, "drugs at 2263 N Lake Dr")
    resident = db.session.scalar(sa.select(Resident))
    message = Message(
        resident=resident,
        direction="outbound",
        body="Case update",
        status="pending",
        purpose="status_assigned",
    )
    db.session.add(message)
    db.session.commit()
    before = len(fake_twilio.sent)
    deliver(message)
    deliver(message)  # a second worker, or a retried job
    assert len(fake_twilio.sent) == before + 1
    assert message.status == "queued"


def test_a_landline_or_dead_number_is_not_texted_again(phone, fake_twilio) -> None:
    from community.sms.delivery import send_text

    text(phone, "drugs at 2263 N Lake Dr")
    resident = db.session.scalar(sa.select(Resident))
    message = send_text(resident, "Case update", purpose="status_assigned")
    _status_callback(phone, message.twilio_sid, "undelivered", "30006")  # a landline
    db.session.refresh(resident)
    assert resident.undeliverable is True and resident.opted_out is False
    assert send_text(resident, "another update", purpose="status_resolved") is None


def test_a_spanish_speaker_typing_status_keeps_spanish_replies(phone) -> None:
    text(phone, "venden drogas en la esquina de la 16 y National")
    _, reply = text(phone, "STATUS")
    assert db.session.scalar(sa.select(Resident.language)) == "es"
    assert reply and reply.startswith("Caso ") and "abierto" in reply
