"""Exports, Open311 and metrics on PostgreSQL+PostGIS: server-side batches, same answers."""

from __future__ import annotations

import csv
import io
import json

import pytest
from flask_migrate import upgrade

from community.demo.reference import load_reference_data
from community.extensions import db
from community.open311.keys import create_key
from tests.conftest import make_app, sign_in
from tests.factories import make_staff
from tests.helpers import placed_concerns

pytestmark = pytest.mark.postgres


def test_streamed_exports_open311_and_metrics_on_postgres(postgres_database: str) -> None:
    app = make_app(postgres_database, EXPORT_BATCH_SIZE=7)  # several server-side batches
    with app.app_context():
        upgrade()
        load_reference_data()
        make_staff()
        concerns = placed_concerns(25, text="Call 414-555-0199 about 2847 N 35th St")
        client = app.test_client()

        public = client.get("/exports/public/concerns.csv")
        rows = list(csv.DictReader(io.StringIO(public.get_data(as_text=True))))
        assert len(rows) == 25 and {r["case_number"] for r in rows} == {
            c.case_number for c in concerns
        }
        assert "414-555-0199" not in public.get_data(as_text=True)

        sign_in(client, "prosecutor@example.org", "prosecutor-pass")
        features = json.loads(client.get("/exports/concerns.geojson").get_data(as_text=True))
        assert len(features["features"]) == 25
        assert client.get("/metrics/").status_code == 200

        listing = client.get("/open311/v2/requests.json?page_size=10&page=3").get_json()
        assert len(listing) == 5
        _, token = create_key("Postgres client")
        posted = client.post(
            "/open311/v2/requests.json",
            data={"api_key": token, "service_code": "noise", "lat": "43.0676", "long": "-87.9584"},
        )
        assert posted.status_code == 200, posted.data
        db.session.remove()
        db.engine.dispose()
