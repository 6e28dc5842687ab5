"""TwiML answers to Twilio's webhook: a reply text, or nothing."""

from __future__ import annotations

from twilio.twiml.messaging_response import MessagingResponse


def reply(body: str | None) -> str:
    """TwiML that sends body back to the sender (an empty Response when body is None)."""
    response = MessagingResponse()
    if body:
        response.message(body)
    return str(response)
