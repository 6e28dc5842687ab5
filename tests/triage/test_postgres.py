"""The triage map's queries on PostgreSQL+PostGIS: filters, cells, points, heat, placing."""

from __future__ import annotations

import pytest
from flask_migrate import upgrade

from community.demo.reference import load_reference_data
from community.extensions import db
from community.models import AreaKind, AssignmentRole, Concern, ConcernStatus, GeocodeStatus
from community.places.areas import load_areas
from community.places.city import current_city
from community.workflow.service import assign
from tests.conftest import make_app, sign_in
from tests.factories import ConcernFactory, agency, make_staff
from tests.helpers import CORNER, ELSEWHERE, placed_concerns
from tests.triage.conftest import PHONE, XSS_TEXT
from tests.workflow.conftest import area_id, make_hotspot

pytestmark = pytest.mark.postgres

CITY_BBOX = "-88.08,42.91,-87.85,43.20"
CORNER_BBOX = "-87.962,43.064,-87.954,43.071"


def test_triage_map_on_postgres(postgres_database: str) -> None:
    app = make_app(postgres_database)
    with app.app_context():
        upgrade()
        load_areas(current_city())
        load_reference_data()
        users = make_staff()
        drugs = make_hotspot(6, text=f"{XSS_TEXT} call {PHONE}")
        other = make_hotspot(7, around=ELSEWHERE, district="7")
        assign(drugs, agency("MPD-D3"), AssignmentRole.LEAD, users["prosecutor"])
        db.session.commit()
        placed_concerns(2, around=(43.10, -87.95))
        client = app.test_client()
        sign_in(client, "prosecutor@example.org", "prosecutor-pass")

        def ids(query: str) -> list[int]:
            data = client.get(f"/staff/triage/hotspots.geojson?{query}").get_json()
            return sorted(f["properties"]["id"] for f in data["features"])

        assert ids("") == sorted([drugs.id, other.id])
        assert ids("agency=MPD-D3&category=drug_activity") == [drugs.id]
        assert ids(f"area={area_id(AreaKind.POLICE_DISTRICT, '7')}") == [other.id]
        assert ids(f"priority={max(drugs.priority, other.priority) + 1}") == []

        cells = client.get(f"/staff/triage/concerns.geojson?zoom=11&bbox={CITY_BBOX}").get_json()
        assert cells["properties"]["kind"] == "grid"
        assert sum(f["properties"]["count"] for f in cells["features"]) == 15
        points = client.get(f"/staff/triage/concerns.geojson?zoom=16&bbox={CORNER_BBOX}")
        texts = {f["properties"]["text"] for f in points.get_json()["features"]}
        assert texts == {f"{XSS_TEXT} call [phone]"}
        heat = client.get("/staff/triage/heat.geojson").get_json()
        assert sum(f["properties"]["count"] for f in heat["features"]) == 15
        assert client.get("/staff/triage/").status_code == 200
        assert client.get("/staff/triage/?since=nope").status_code == 400

        waiting = ConcernFactory(
            status=ConcernStatus.NEEDS_LOCATION, geocode_status=GeocodeStatus.FAILED
        )
        placed = client.post(
            f"/staff/triage/locate/{waiting.id}", data={"lat": CORNER[0], "lon": CORNER[1]}
        )
        assert placed.status_code == 302
        db.session.expire_all()
        assert db.session.get(Concern, waiting.id).hotspot_id == drugs.id
        db.session.remove()
        db.engine.dispose()
