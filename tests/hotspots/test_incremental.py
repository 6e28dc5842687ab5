"""A just-located concern joins its hotspot at once; the full re-cluster is debounced."""

from __future__ import annotations

from redis import Redis
from rq import Queue
from rq.registry import ScheduledJobRegistry

from community.extensions import db
from community.hotspots.incremental import join_nearest
from community.hotspots.recluster import recluster
from community.jobs import QUEUE_NAME, enqueue
from community.models import Concern, ConcernStatus, GeocodeStatus, Hotspot, HotspotStatus
from community.workflow.service import transition_hotspot
from tests.conftest import service_url
from tests.hotspots.synthetic import concern_at


def _hotspot() -> Hotspot:
    for e, n in [(0, 0), (20, 10), (-15, 5), (5, -20)]:
        concern_at(e, n)
    db.session.commit()
    return db.session.get(Hotspot, recluster().created[0])


def test_a_located_concern_joins_the_nearest_hotspot_within_the_radius(app) -> None:
    hotspot = _hotspot()
    near = concern_at(70, 0, days_ago=0)  # 70 m from the place's centre
    far = concern_at(130, 0, days_ago=0)  # 120 m from its nearest member, but not the place
    db.session.commit()
    assert join_nearest(far.id) is None
    assert join_nearest(near.id) == hotspot.id
    hotspot = db.session.get(Hotspot, hotspot.id)
    assert db.session.get(Concern, near.id).hotspot_id == hotspot.id
    assert hotspot.concern_count == 5 and hotspot.recent_count == 5
    assert join_nearest(near.id) is None  # already in: nothing more


def test_a_finished_hotspot_takes_no_new_concerns_on_the_fast_path(app, users) -> None:
    hotspot = _hotspot()
    transition_hotspot(hotspot, HotspotStatus.NOT_ACTIONABLE, users["admin"], "private lot")
    db.session.commit()
    newcomer = concern_at(10, 0, days_ago=0)
    db.session.commit()
    assert join_nearest(newcomer.id) is None


def test_the_locate_job_places_then_joins_then_reclusters(app) -> None:
    from tests.helpers import placed_concerns

    placed_concerns(4)  # around 3500 W Center St
    recluster()
    concern = Concern(
        case_number="MKE-TEST-1",
        text="people dealing drugs at 3500 W Center St",
        category_id=placed_concerns(1)[0].category_id,
        source="web",
    )
    db.session.add(concern)
    db.session.commit()
    enqueue("locate_concern", concern.id)  # inline: no Redis in this app
    concern = db.session.get(Concern, concern.id)
    assert concern.geocode_status == GeocodeStatus.LOCATED
    assert concern.status == ConcernStatus.OPEN and concern.hotspot_id is not None
    assert concern.clustered_at is not None  # the full run followed


def test_a_burst_of_located_concerns_schedules_one_recluster(app) -> None:
    # A database of its own on the test Redis: other tests flush theirs.
    url = service_url("TEST_REDIS_URL").rsplit("/", 1)[0] + "/9"
    app.config["REDIS_URL"] = url
    redis = Redis.from_url(url)
    queue = Queue(QUEUE_NAME, connection=redis)
    registry = ScheduledJobRegistry(queue=queue)
    for job_id in registry.get_job_ids():
        registry.remove(job_id, delete_job=True)
    try:
        for _ in range(5):
            enqueue("recluster", delay=60)
        assert registry.get_job_ids() == ["recluster"]
        assert queue.count == 0  # nothing runs before the quiet period ends
    finally:
        for job_id in registry.get_job_ids():
            registry.remove(job_id, delete_job=True)
        redis.close()
