"""Residents' photos for staff: which concern a stored file belongs to, and who may see it.

A photo is shown to whoever may view its concern's hotspot (community.workflow.permissions);
a concern not yet in a hotspot only to triage staff. File names alone never grant access.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from community.extensions import db
from community.intake import photos as web
from community.models import Concern, Message, Photo, User
from community.sms import media as sms
from community.workflow import permissions as may

SMS_NAME = re.compile(r"([0-9]{1,9})-[0-9]{1,3}\.[a-z0-9]{2,5}")  # message id - index . ext
WEB_NAME = re.compile(r"web-[0-9a-f]{32}\.jpg")  # community.intake.photos names them so


@dataclass(frozen=True)
class StoredPhoto:
    """A photo file and the concern it was sent with."""

    concern: Concern
    folder: Path
    name: str


def find_photo(name: str) -> StoredPhoto | None:
    """The photo stored under this name, or None when no text or web report sent it."""
    if WEB_NAME.fullmatch(name):
        row = db.session.scalar(db.select(Photo).filter_by(file=name))
        if row is None or row.concern is None:
            return None
        return StoredPhoto(row.concern, web.media_folder(), name)
    match = SMS_NAME.fullmatch(name)
    if match is None:
        return None
    message = db.session.get(Message, int(match.group(1)))
    if message is None or message.concern_id is None:
        return None
    if not any(item.get("file") == name for item in message.media or []):
        return None
    return StoredPhoto(db.session.get(Concern, message.concern_id), sms.media_folder(), name)


def may_see(user: User, photo: StoredPhoto) -> bool:
    """Those who may view the concern's hotspot; triage staff for a concern not in one."""
    hotspot = photo.concern.hotspot
    if hotspot is None:
        return may.can_assign(user)
    return may.can_view(user, hotspot)


def hotspot_photos(concern_ids: list[int]) -> dict[int, list[str]]:
    """Photo file names per concern, texted (MMS) ones first, then those from the web form."""
    photos = sms.concern_photos(concern_ids)
    for concern_id, names in web.web_photos(concern_ids).items():
        photos.setdefault(concern_id, []).extend(names)
    return photos
