"""The walking skeleton at scale: PostgreSQL+PostGIS, Redis and a real RQ worker process.

A resident's web report is saved by the web app, located and clustered by a separate worker
process, and a prosecutor assigns and resolves the hotspot: the same flow as `make run`, on
the parts a city deploys.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from redis import Redis

from community.demo.reference import load_reference_data
from community.extensions import db
from community.models import Concern, ConcernStatus, Event, GeocodeStatus, Hotspot, HotspotStatus
from community.places.areas import load_areas
from community.places.city import current_city
from tests.conftest import make_app, service_url, sign_in
from tests.factories import agency, make_staff
from tests.jobsupport import run_worker

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

ADDRESSES = ["2263 N Lake Dr", "2263 n lake drive", "2263 N. Lake Dr, Milwaukee WI 53202"]


def test_report_to_resolution_on_postgres_with_a_worker(postgres_database: str) -> None:
    redis_url = service_url("TEST_REDIS_URL")
    Redis.from_url(redis_url).flushdb()
    app = make_app(postgres_database, REDIS_URL=redis_url)
    with app.app_context():
        upgrade()
        load_areas(current_city())
        load_reference_data()
        make_staff()
        client = app.test_client()
        for address in ADDRESSES:
            response = client.post(
                "/report",
                data={"category": "shots_fired", "text": "shots fired", "location": address},
            )
            assert response.status_code == 302
        db.session.expire_all()
        pending = db.session.scalars(sa.select(Concern.geocode_status)).all()
        assert pending == [GeocodeStatus.PENDING] * 3  # the web request left the work queued

        done = run_worker(postgres_database, redis_url)
        assert done.returncode == 0, done.stderr
        db.session.expire_all()
        concerns = db.session.scalars(sa.select(Concern)).all()
        assert {c.status for c in concerns} == {ConcernStatus.OPEN}
        assert {c.location_label for c in concerns} == {"2263 N Lake Dr"}
        hotspot = db.session.scalar(sa.select(Hotspot))
        assert hotspot.concern_count == 3 and hotspot.status == HotspotStatus.NEW
        assert hotspot.priority_reasons.startswith("violent category, 3 concerns in 30 days")

        sign_in(client, "prosecutor@example.org", "prosecutor-pass")
        assert hotspot.label in client.get("/staff/").get_data(as_text=True)
        lead = agency("MPD-D1")
        response = client.post(
            f"/staff/hotspots/{hotspot.id}/assign",
            data={"assign-agency_id": lead.id, "assign-role": "lead"},
        )
        assert response.status_code == 302
        response = client.post(
            f"/staff/hotspots/{hotspot.id}/resolve",
            data={
                "resolve-reason": "shooter arrested; block club walking nightly",
                "resolve-outcome": "enforcement",
            },
        )
        assert response.status_code == 302
        db.session.expire_all()
        assert db.session.get(Hotspot, hotspot.id).status == HotspotStatus.RESOLVED
        statuses = db.session.scalars(sa.select(Concern.status)).all()
        assert statuses == [ConcernStatus.RESOLVED] * 3
        reported_at = db.session.scalar(sa.select(Concern.reported_at))
        assert reported_at.tzinfo is not None
        kinds = db.session.scalars(
            sa.select(Event.kind).where(Event.hotspot_id == hotspot.id).order_by(Event.id)
        ).all()
        assert kinds[-3:] == ["assigned", "status_changed", "status_changed"]
        db.session.remove()
        db.engine.dispose()
