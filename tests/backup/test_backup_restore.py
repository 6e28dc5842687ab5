"""scripts/backup.sh and scripts/restore.sh on PostgreSQL: a city's data survives the trip."""

from __future__ import annotations

import io
import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from community.demo.reference import load_reference_data
from community.extensions import db
from community.hotspots.recluster import recluster
from community.models import Concern, Hotspot, Message, Photo, Resident
from community.places.areas import load_areas
from community.places.city import current_city
from community.privacy import PhoneVault
from tests.conftest import make_app, service_url
from tests.helpers import placed_concerns
from tests.intake_web.conftest import jpeg_with_gps
from tests.sms.conftest import PUBLIC
from tests.sms.fake_twilio import FakeTwilio, twilio_settings
from tests.sms.test_webhook import text

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parents[2]
RESIDENTS = ["+14145550131", "+14145550132", "+14145550133"]
KEYS = {
    "PHONE_ENCRYPTION_KEY": "0jWQ1E3mB3qgB8kQ5m7m3yA9u0Dq4cYV2g5rO8yq1kE=",
    "PHONE_HASH_KEY": "a-hash-key-of-at-least-thirty-two-characters",
}


@pytest.fixture
def new_database() -> Iterator[callable]:
    """Make empty PostgreSQL databases (PostGIS from the template); dropped afterwards."""
    base = service_url("TEST_POSTGRES_URL")
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    made: list[str] = []

    def make() -> str:
        name = f"community_{uuid.uuid4().hex[:10]}"
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        made.append(name)
        return sa.engine.make_url(base).set(database=name).render_as_string(hide_password=False)

    yield make
    with admin.connect() as connection:
        for name in made:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _script(name: str, folder: Path, database_url: str, media: Path):
    env = {**os.environ, "DATABASE_URL": database_url, "MEDIA_FOLDER": str(media)}
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / name), str(folder)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _city_with_residents(fake_twilio: FakeTwilio, media: Path) -> dict:
    """Texts with photos from three residents, a web report with a photo, hotspots."""
    from flask import current_app

    phone = current_app.test_client()
    for i, number in enumerate(RESIDENTS):
        url = fake_twilio.add_media(f"photo{i}", f"photo {i}".encode(), "image/jpeg")
        status, _ = text(phone, f"drug house at 284{i} n 35th st", number, media=[url])
        assert status == 200
    web = current_app.test_client().post(
        "/report",
        data={
            "category": "drug_activity",
            "text": "mattresses dumped again",
            "location": "2263 N Lake Dr",
            "phone": "414-555-0134",
            "consent": "y",
            "photo": (io.BytesIO(jpeg_with_gps((400, 300))), "dump.jpg"),
        },
        content_type="multipart/form-data",
    )
    assert web.status_code == 302, web.get_data(as_text=True)[:300]
    placed_concerns(4, around=(43.07074, -87.95772))
    recluster()
    files = {p.name: p.read_bytes() for p in media.iterdir() if p.is_file()}
    assert len(files) == 4  # three MMS photos and one web photo
    return {
        "concerns": {c.case_number: c.text for c in db.session.scalars(sa.select(Concern))},
        "hotspots": db.session.scalar(sa.select(sa.func.count(Hotspot.id))),
        "messages": db.session.scalar(sa.select(sa.func.count(Message.id))),
        "files": files,
    }


def test_back_up_and_restore_into_a_new_database(
    new_database, fake_twilio: FakeTwilio, tmp_path: Path
) -> None:
    source, target = new_database(), new_database()
    media, restored_media = tmp_path / "media", tmp_path / "restored-media"
    settings = {**twilio_settings(fake_twilio), **KEYS, "PUBLIC_BASE_URL": PUBLIC}
    app = make_app(source, MEDIA_FOLDER=str(media), **settings)
    with app.app_context():
        upgrade()
        load_areas(current_city())
        load_reference_data()
        before = _city_with_residents(fake_twilio, media)
        assert before["hotspots"] >= 1
        db.session.remove()
        db.engine.dispose()

    backup = tmp_path / "backup"
    made = _script("backup.sh", backup, source, media)
    assert made.returncode == 0, made.stderr
    assert {p.name for p in backup.iterdir()} == {"database.dump", "media.tar.gz", "MANIFEST"}
    manifest = (backup / "MANIFEST").read_text()
    assert "PHONE_ENCRYPTION_KEY" in manifest and "schema revision: 0" in manifest

    restored = _script("restore.sh", backup, target, restored_media)
    assert restored.returncode == 0, restored.stderr
    assert "4 residents" in restored.stderr and "4 media files" in restored.stderr
    again = _script("restore.sh", backup, target, tmp_path / "third")
    assert again.returncode != 0 and "not empty" in again.stderr  # never over live data

    app2 = make_app(target, MEDIA_FOLDER=str(restored_media), **settings)
    with app2.app_context():
        vault = PhoneVault.from_config(app2.config)
        concerns = db.session.scalars(sa.select(Concern)).all()
        assert {c.case_number: c.text for c in concerns} == before["concerns"]
        numbers = {
            vault.decrypt(r.phone_encrypted) for r in db.session.scalars(sa.select(Resident))
        }
        assert numbers == {*RESIDENTS, "+14145550134"}
        for number in numbers:  # and each is found again by its lookup hash
            assert db.session.scalar(
                sa.select(Resident.id).filter_by(phone_hash=vault.lookup_hash(number))
            )
        assert db.session.scalar(sa.select(sa.func.count(Hotspot.id))) == before["hotspots"]
        assert db.session.scalar(sa.select(sa.func.count(Message.id))) == before["messages"]
        files = {p.name: p.read_bytes() for p in restored_media.iterdir() if p.is_file()}
        assert files == before["files"]
        photo = db.session.scalar(sa.select(Photo))
        assert (restored_media / photo.file).exists()
        # The restored app serves: staff pages read every hotspot.
        from tests.factories import make_staff

        make_staff()
        client = app2.test_client()
        client.post("/login", data={"email": "admin@example.org", "password": "admin-pass"})
        assert client.get("/staff/").status_code == 200
        db.session.remove()
        db.engine.dispose()


def test_restore_without_the_keys_reads_no_number(new_database, tmp_path: Path) -> None:
    """The backup alone is not enough: the keys are part of what must be kept."""
    source = new_database()
    app = make_app(source, **KEYS)
    with app.app_context():
        upgrade()
        vault = PhoneVault.from_config(app.config)
        db.session.add(
            Resident(
                phone_encrypted=vault.encrypt(RESIDENTS[0]),
                phone_hash=vault.lookup_hash(RESIDENTS[0]),
                phone_last4="0131",
            )
        )
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    backup = tmp_path / "backup"
    assert _script("backup.sh", backup, source, tmp_path / "none").returncode == 0
    target = new_database()
    assert _script("restore.sh", backup, target, tmp_path / "media").returncode == 0
    other_keys = make_app(target)  # keys derived from another SECRET_KEY
    with other_keys.app_context():
        resident = db.session.scalar(sa.select(Resident))
        with pytest.raises(ValueError):
            PhoneVault.from_config(other_keys.config).decrypt(resident.phone_encrypted)
        db.session.remove()
        db.engine.dispose()
