"""Photos on the web form: checked by content, resized, stripped of GPS and camera details."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from community.extensions import db
from community.intake.photos import web_photos
from community.models import Concern, Event, Photo
from tests.intake_web.conftest import (
    GOOD,
    SECRET_MODEL,
    OwnLocaleClient,
    count,
    heic,
    jpeg_with_gps,
    pdf_bytes,
    png_with_alpha,
)


def _post(client, content: bytes, name: str, **fields):
    data = {**GOOD, **fields, "photo": (io.BytesIO(content), name)}
    return client.post("/report", data=data, content_type="multipart/form-data")


def _stored(media: Path) -> tuple[Photo, Path]:
    photo = db.session.scalar(db.select(Photo))
    return photo, media / photo.file


def test_a_camera_photo_is_resized_upright_and_loses_gps_and_camera(media: Path, client) -> None:
    from PIL import Image

    original = jpeg_with_gps(size=(3000, 2000), orientation=6)  # held sideways
    response = _post(client, original, "IMG_0001.JPG")
    assert response.status_code == 302
    photo, path = _stored(media)
    assert photo.concern_id == db.session.scalar(db.select(Concern.id))
    data = path.read_bytes()
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert image.size == (1067, 1600)  # turned upright, longest side 1600
        assert dict(image.getexif()) == {}
        assert image.getexif().get_ifd(0x8825) == {}
        assert "exif" not in image.info and "xmp" not in image.info
    assert SECRET_MODEL.encode() not in data
    assert (photo.width, photo.height, photo.size_bytes) == (1067, 1600, len(data))
    assert photo.file.startswith("web-") and len(photo.file) > 30
    assert web_photos([photo.concern_id]) == {photo.concern_id: [photo.file]}


def test_png_and_heic_photos_are_kept_as_jpeg(media: Path, client) -> None:
    assert _post(client, png_with_alpha(), "screen.png").status_code == 302
    assert _post(client, heic(), "IMG_0002.HEIC").status_code == 302
    sizes = sorted((p.width, p.height) for p in db.session.scalars(db.select(Photo)))
    assert sizes == [(400, 300), (1600, 1200)]
    assert count(Concern) == 2


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (pdf_bytes(), "holiday.jpg", "not a photo we can read"),
        (b"<script>alert(1)</script>", "x.png", "not a photo we can read"),
        (jpeg_with_gps()[:5000], "cut-short.jpg", "not a photo we can read"),
        (b"GIF89a" + b"\x00" * 100, "anim.jpg", "not a photo we can read"),
    ],
)
def test_a_file_that_is_not_a_photo_is_refused_and_nothing_saved(
    media: Path, client, content: bytes, name: str, message: str
) -> None:
    response = _post(client, content, name)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(Concern) == count(Event) == count(Photo) == 0
    assert not media.exists() or not any(media.iterdir())


def test_a_photo_over_the_limit_is_refused_in_the_page_language(sqlite_template, tmp_path) -> None:
    from tests.conftest import fresh_app

    settings = {"PHOTO_MAX_BYTES": 200_000, "MEDIA_FOLDER": str(tmp_path / "media")}
    for app in fresh_app(sqlite_template, tmp_path, **settings):
        app.test_client_class = OwnLocaleClient
        client = app.test_client()
        big = jpeg_with_gps(size=(2400, 2400)) + b"\x00" * 300_000
        response = _post(client, big, "big.jpg")
        assert response.status_code == 400
        assert "The photo is too large: the limit is 0.2 MB." in response.get_data(as_text=True)
        spanish = client.post(
            "/report?lang=es",
            data={**GOOD, "photo": (io.BytesIO(big), "big.jpg")},
            content_type="multipart/form-data",
        ).get_data(as_text=True)
        assert "La foto es demasiado grande" in spanish
        assert count(Concern) == count(Photo) == 0


def test_a_ten_megabyte_photo_is_a_clear_413_in_spanish(media: Path, client) -> None:
    ten_mb = jpeg_with_gps() + b"\x00" * (10 * 1024 * 1024)
    response = client.post(
        "/report?lang=es",
        data={**GOOD, "photo": (io.BytesIO(ten_mb), "grande.jpg")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "demasiado grande" in page and 'name="text"' in page  # the form, to try again
    assert count(Concern) == count(Photo) == 0


def test_a_failed_save_leaves_no_photo_file(media: Path, client) -> None:
    """A concern that cannot be saved (a bad phone number) writes no photo either."""
    response = _post(client, jpeg_with_gps(), "a.jpg", phone="12", consent="y")
    assert response.status_code == 400
    assert count(Photo) == 0
    assert not media.exists() or not any(media.iterdir())


def test_a_decompression_bomb_is_refused_without_decoding_it(media: Path, client) -> None:
    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(out, format="PNG")  # 144 megapixels, a few kB
    assert len(out.getvalue()) < 200_000
    response = _post(client, out.getvalue(), "tiny.png")
    assert response.status_code == 400
    assert "not a photo we can read" in response.get_data(as_text=True)
    assert count(Concern) == count(Photo) == 0
