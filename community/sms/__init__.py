"""SMS over Twilio: segment counting, webhook signatures and the outbound gateway.

This package is the only one that imports twilio. The gateway never touches the database:
callers record Message rows from the SendResult it returns.
"""

from community.sms.gateway import MediaError, MediaTooLargeError, SendResult, SmsGateway
from community.sms.segments import encoding, segments, to_gsm
from community.sms.signature import is_valid_request, public_url, sign

__all__ = [
    "MediaError",
    "MediaTooLargeError",
    "SendResult",
    "SmsGateway",
    "encoding",
    "is_valid_request",
    "public_url",
    "segments",
    "sign",
    "to_gsm",
]
