"""Photos from the web form: read by content (never by name), resized, metadata stripped, stored.

Whatever a phone sends (JPEG, PNG, HEIC; GPS and camera details in its EXIF) is decoded by
Pillow, turned upright, shrunk to PHOTO_MAX_DIMENSION and saved anew as a JPEG without any
metadata, so a photo never tells where the resident lives or what phone they own. Files go to
the same media folder as the SMS photos (instance/media/), under a random name.
"""

from __future__ import annotations

import io
import secrets
import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from community.extensions import db
from community.intake.errors import IntakeError
from community.models import Photo

ACCEPTED_FORMATS = {"JPEG", "PNG", "HEIF", "MPO"}  # MPO: JPEGs from some phone cameras
MAX_PIXELS = 50_000_000  # a 12 MP phone photo is far below; a decompression bomb is not
JPEG_QUALITY = 82


@dataclass(frozen=True)
class CleanPhoto:
    """A photo ready to store: JPEG bytes without metadata, and its size in pixels."""

    data: bytes
    width: int
    height: int
    content_type: str = "image/jpeg"


@cache
def _register_heif() -> None:
    """Teach Pillow to open HEIC/HEIF (once per process, on first use, not at import)."""
    import pillow_heif

    pillow_heif.register_heif_opener()


def clean_photo(raw: bytes, max_bytes: int, max_dimension: int) -> CleanPhoto:
    """The photo decoded, upright, resized and re-encoded; IntakeError if it is not one."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if len(raw) > max_bytes:
        raise IntakeError(
            "photo",
            _l("The photo is too large: the limit is %(mb)s MB.", mb=megabytes(max_bytes)),
        )
    if not raw:
        raise IntakeError("photo", _l("The photo file is empty."))
    _register_heif()
    not_a_photo = IntakeError(
        "photo", _l("That file is not a photo we can read (JPEG, PNG or HEIC).")
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw)) as probe:
                if probe.format not in ACCEPTED_FORMATS:
                    raise not_a_photo
                if probe.width * probe.height > MAX_PIXELS:
                    raise not_a_photo
                probe.verify()  # a truncated or corrupt file fails here
            with Image.open(io.BytesIO(raw)) as image:
                image.load()
                upright = ImageOps.exif_transpose(image)  # before the EXIF that says so is gone
                upright.thumbnail((max_dimension, max_dimension))
                flat = _flatten(upright)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Warning) as exc:
        raise not_a_photo from exc
    except Image.DecompressionBombError as exc:
        raise not_a_photo from exc
    out = io.BytesIO()
    # A new image with only pixels: no EXIF (GPS, camera), no XMP, no ICC comments.
    clean = Image.new("RGB", flat.size)
    clean.paste(flat)
    clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return CleanPhoto(data=out.getvalue(), width=clean.width, height=clean.height)


def _flatten(image):
    """RGB pixels; transparency becomes white (a PNG screenshot with an alpha channel)."""
    from PIL import Image

    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def megabytes(size: int) -> str:
    """A size in MB as people write it: "8", "0.2"."""
    value = size / (1024 * 1024)
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def photo_limits() -> tuple[int, int]:
    """(largest file in bytes, largest side in pixels) from the settings."""
    return current_app.config["PHOTO_MAX_BYTES"], current_app.config["PHOTO_MAX_DIMENSION"]


def media_folder() -> Path:
    """Where residents' photos are kept (the SMS photos' folder: one place to back up)."""
    folder = Path(
        current_app.config.get("MEDIA_FOLDER") or Path(current_app.instance_path) / "media"
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def new_photo_name() -> str:
    """A random file name nobody can guess."""
    return f"web-{secrets.token_hex(16)}.jpg"


def write_photo(name: str, photo: CleanPhoto) -> Path:
    """Write the file atomically (a reader never sees half a photo)."""
    folder = media_folder()
    partial = folder / f".{name}.part"
    partial.write_bytes(photo.data)
    final = folder / name
    partial.replace(final)
    return final


def web_photos(concern_ids: list[int]) -> dict[int, list[str]]:
    """Stored web form photo file names per concern (the shape of sms.media.concern_photos)."""
    photos: dict[int, list[str]] = {}
    if not concern_ids:
        return photos
    rows = db.session.execute(
        db.select(Photo.concern_id, Photo.file)
        .where(Photo.concern_id.in_(concern_ids))
        .order_by(Photo.id)
    )
    for concern_id, name in rows:
        photos.setdefault(concern_id, []).append(name)
    return photos
