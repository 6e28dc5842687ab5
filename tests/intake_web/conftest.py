"""Builders for the web form tests: photos as phones make them, a good report."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask, g
from flask.testing import FlaskClient

from community.extensions import db

GOOD = {
    "category": "drug_activity",
    "text": "people selling drugs out of the blue house every night",
    "location": "2263 N Lake Dr",
}
LAKE_DR = (43.0595468, -87.8814075)
DOWNTOWN = (43.0389, -87.9065)  # near 400 E Wisconsin Ave
OUTSIDE = (43.05, -88.05)  # Wauwatosa / Brookfield, west of the city limits
SECRET_MODEL = "SecretPhone 12 Pro"


class OwnLocaleClient(FlaskClient):
    """A test client whose every request chooses its language anew.

    The tests' app context is shared by their requests, and Flask-Babel keeps the chosen
    language on `g`; in production each request has its own context.
    """

    def open(self, *args, **kwargs):
        g.pop("_flask_babel", None)
        return super().open(*args, **kwargs)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    app.test_client_class = OwnLocaleClient
    return app.test_client()


@pytest.fixture
def media(app: Flask, tmp_path: Path) -> Path:
    """This test's own photo folder."""
    folder = tmp_path / "media"
    app.config["MEDIA_FOLDER"] = str(folder)
    return folder


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def jpeg_with_gps(size: tuple[int, int] = (3000, 2000), orientation: int = 1) -> bytes:
    """A camera JPEG: GPS position, camera model and an orientation tag in its EXIF."""
    from PIL import ExifTags, Image

    image = Image.new("RGB", size, (180, 40, 40))
    exif = Image.Exif()
    exif[ExifTags.Base.Model] = SECRET_MODEL
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (43.0, 3.0, 34.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (87.0, 52.0, 53.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, quality=90)
    return out.getvalue()


def png_with_alpha(size: tuple[int, int] = (400, 300)) -> bytes:
    from PIL import Image

    image = Image.new("RGBA", size, (0, 0, 255, 0))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def heic(size: tuple[int, int] = (2400, 1800)) -> bytes:
    import pillow_heif
    from PIL import Image

    pillow_heif.register_heif_opener()
    out = io.BytesIO()
    Image.new("RGB", size, (20, 120, 40)).save(out, format="HEIF", quality=50)
    return out.getvalue()


def pdf_bytes() -> bytes:
    """A small but real PDF document."""
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
