"""Twilio's webhooks: inbound texts and delivery status callbacks (signature checked first)."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, abort, current_app, request
from sqlalchemy.exc import SQLAlchemyError

from community.extensions import csrf, db, limiter
from community.intake.sms_service import InboundSms, accept, answer, queue_follow_ups
from community.jobs import enqueue
from community.sms.delivery import record_status
from community.sms.signature import is_valid_request, public_url
from community.sms.twiml import reply

log = logging.getLogger(__name__)
bp = Blueprint("sms", __name__, url_prefix="/sms")
MAX_MEDIA = 10


def _signed() -> bool:
    token = current_app.config.get("TWILIO_AUTH_TOKEN")
    if not token:
        return False  # without credentials nobody can prove to be Twilio
    url = public_url(request.url, current_app.config.get("PUBLIC_BASE_URL"))
    return is_valid_request(token, url, request.form, request.headers.get("X-Twilio-Signature", ""))


def _media() -> list[dict]:
    try:
        count = min(int(request.form.get("NumMedia", "0") or 0), MAX_MEDIA)
    except ValueError:
        count = 0
    found = []
    for i in range(max(count, 0)):
        url = request.form.get(f"MediaUrl{i}")
        if url:
            found.append({"url": url, "content_type": request.form.get(f"MediaContentType{i}", "")})
    return found


@bp.route("/inbound", methods=["POST"])
@csrf.exempt
@limiter.exempt
def inbound():
    if not _signed():
        abort(403)
    sid = request.form.get("MessageSid") or request.form.get("SmsSid") or ""
    sender = request.form.get("From", "")
    if not sid or not sender:
        return Response(reply(None), mimetype="text/xml")
    sms = InboundSms(
        sid=sid[:64],
        sender=sender[:40],
        body=request.form.get("Body", "").replace("\x00", ""),  # PostgreSQL refuses NUL
        media=_media(),
    )
    try:
        inbound, earlier = accept(sms)
    except SQLAlchemyError:
        # Not saved (the database is restarting): a 503, so Twilio's retry or fallback URL
        # brings the text again. A 200 here would lose it: Twilio would not send it twice.
        log.warning("inbound SMS %s not saved: database unavailable", sid[:64])
        db.session.rollback()
        return Response(reply(None), status=503, mimetype="text/xml", headers={"Retry-After": "5"})
    at_scale = bool(current_app.config.get("REDIS_URL"))
    if inbound is None:  # a re-delivery, or a sender nobody can answer
        # Inline, a re-delivery gets the same TwiML; at scale its reply already went by REST.
        return Response(reply(None if at_scale else earlier), mimetype="text/xml")
    if at_scale:
        # Saved; the conversation runs on a worker and replies through the REST API.
        enqueue("process_sms", inbound.id)
        return Response(reply(None), mimetype="text/xml")
    try:
        outcome = answer(inbound)
    except Exception:  # the text is saved: `flask sweep` answers it later; never a 5xx now
        log.exception("inbound SMS %s saved but not processed", sid[:64])
        db.session.rollback()
        return Response(reply(None), mimetype="text/xml")
    queue_follow_ups(outcome)
    return Response(reply(outcome.reply), mimetype="text/xml")


@bp.route("/status", methods=["POST"])
@csrf.exempt
@limiter.exempt
def status():
    if not _signed():
        abort(403)
    record_status(
        request.form.get("MessageSid", ""),
        request.form.get("MessageStatus", ""),
        request.form.get("ErrorCode"),
    )
    return Response("", status=204)
