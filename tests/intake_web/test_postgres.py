"""The web form, nearby counts and the status page on PostgreSQL + PostGIS."""

from __future__ import annotations

import io

import pytest

from community.extensions import db
from community.models import Concern, Photo
from tests.conftest import make_app
from tests.helpers import placed_concerns
from tests.intake_web.conftest import GOOD, LAKE_DR, OwnLocaleClient, jpeg_with_gps

pytestmark = pytest.mark.postgres


def test_a_web_report_with_a_photo_on_postgres(postgres_database: str, tmp_path) -> None:
    from flask_migrate import upgrade

    from community.demo.reference import load_reference_data
    from community.places.areas import load_areas
    from community.places.city import current_city

    app = make_app(postgres_database, MEDIA_FOLDER=str(tmp_path / "media"))
    app.test_client_class = OwnLocaleClient
    with app.app_context():
        upgrade()
        load_areas(current_city())
        load_reference_data()
        placed_concerns(3, around=LAKE_DR)
        client = app.test_client()
        point = f"{LAKE_DR[0]:.6f},{LAKE_DR[1]:.6f}"
        nearby = client.get(f"/report/nearby?point={point}&category=drug_activity&format=json")
        assert nearby.json["nearby"]["concern_count"] == 3
        data = {**GOOD, "point": point, "photo": (io.BytesIO(jpeg_with_gps()), "a.jpg")}
        response = client.post("/report?lang=es", data=data, content_type="multipart/form-data")
        assert response.status_code == 302
        case = response.headers["Location"].rsplit("/", 1)[-1]
        concern = db.session.scalar(db.select(Concern).filter_by(case_number=case))
        assert concern.language == "es" and concern.located
        assert db.session.scalar(db.select(Photo.concern_id)) == concern.id
        page = client.get(f"/status/{case}").get_data(as_text=True)
        assert "Venta de drogas" in page and "Northpoint" in page
        refused = client.post("/report", data={**GOOD, "location": "27th and College"})
        assert refused.status_code == 400
        assert db.session.scalar(db.select(db.func.count(Concern.id))) == 4
        db.session.remove()
        db.engine.dispose()


def test_the_same_form_sent_four_times_at_once_makes_one_concern(postgres_database: str) -> None:
    """Replays racing each other on PostgreSQL (SQLite, the embedded default, serialises them)."""
    import threading
    import uuid

    from flask_migrate import upgrade

    from community.demo.reference import load_reference_data
    from community.places.areas import load_areas
    from community.places.city import current_city

    app = make_app(postgres_database)
    with app.app_context():
        upgrade()
        load_areas(current_city())
        load_reference_data()
        db.session.remove()
    key = uuid.uuid4().hex
    start = threading.Barrier(4)
    answers: list[str] = []

    def send() -> None:
        client = app.test_client()
        start.wait()
        response = client.post("/report", data={**GOOD, "submission": key})
        answers.append(f"{response.status_code} {response.headers.get('Location')}")

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(answers) == 4 and len(set(answers)) == 1 and answers[0].startswith("302 ")
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Concern.id))) == 1
        db.session.remove()
        db.engine.dispose()
