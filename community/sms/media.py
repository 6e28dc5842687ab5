"""MMS photos: downloaded with the account's credentials and kept beside the instance."""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path

from flask import current_app
from sqlalchemy.orm.attributes import flag_modified

from community.extensions import db
from community.models import Message
from community.sms.delivery import gateway
from community.sms.gateway import MediaError

log = logging.getLogger(__name__)
ALLOWED = {"image/jpeg", "image/png", "image/gif", "image/heic", "image/webp"}


def media_folder() -> Path:
    """MEDIA_FOLDER (the web form's photos too: one folder to back up), or instance/media."""
    folder = Path(
        current_app.config.get("MEDIA_FOLDER") or Path(current_app.instance_path) / "media"
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store_media(message_id: int) -> int:
    """Download a text's photos not yet stored; returns how many were stored (re-runnable)."""
    message = db.session.get(Message, message_id)
    if message is None or not message.media:
        return 0
    sms = gateway()
    stored = 0
    items = [dict(item) for item in message.media]
    for index, item in enumerate(items):
        if item.get("file") or item.get("skipped") or item.get("content_type") not in ALLOWED:
            continue
        extension = mimetypes.guess_extension(item["content_type"]) or ".bin"
        name = f"{message.id}-{index}{extension}"
        try:
            content = sms.fetch_media(item["url"])
        except MediaError as error:
            if error.transient:
                raise  # Twilio or the network hiccuped: the job retries
            item["skipped"] = str(error)[:200]  # too large or not Twilio's: never retried
            continue
        (media_folder() / name).write_bytes(content)
        item["file"] = name
        stored += 1
    message.media = items
    flag_modified(message, "media")
    db.session.commit()
    return stored


def concern_photos(concern_ids: list[int]) -> dict[int, list[str]]:
    """Stored photo file names per concern, from the texts that reported them."""
    photos: dict[int, list[str]] = {}
    if not concern_ids:
        return photos
    rows = db.session.execute(
        db.select(Message.concern_id, Message.media).where(
            Message.concern_id.in_(concern_ids), Message.media.is_not(None)
        )
    )
    for concern_id, media in rows:
        photos.setdefault(concern_id, []).extend(m["file"] for m in media or [] if m.get("file"))
    return photos
