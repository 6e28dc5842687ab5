"""The first re-cluster by the problem-place rule on a database made by the old rule.

The old rule (DBSCAN 150 m, 3) chained a city's concerns into hotspots kilometres wide, and
staff owned and worked those. The new rule breaks them into places; nothing staff did is lost.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sklearn.cluster import DBSCAN

from community.extensions import db
from community.geo.citypkg import to_metres
from community.geo.problem_places import radius_p90
from community.hotspots.recluster import recluster
from community.models import (
    Action,
    ActionKind,
    Assignment,
    AssignmentRole,
    Category,
    Concern,
    Event,
    EventKind,
    Hotspot,
    utcnow,
)
from community.places.city import current_city
from community.workflow import history
from community.workflow.service import assign, log_action
from community.workflow.states import HOTSPOT_ACTIVE
from tests.factories import agency

SIZE = 20_000


def _old_rule_database() -> list[int]:
    """SIZE concerns where Milwaukee's incidents were, in hotspots made by DBSCAN(150 m, 3);
    returns the hotspot ids, widest first."""
    city = current_city()
    incidents = pd.read_csv(city.file("wibr_crime_2023_jan_sep.csv.gz"), usecols=["lat", "lon"])
    incidents = incidents.dropna().to_numpy()
    rng = np.random.default_rng(16)
    picked = incidents[rng.integers(0, len(incidents), SIZE)]
    lat = picked[:, 0] + rng.normal(0, 0.0002, SIZE)
    lon = picked[:, 1] + rng.normal(0, 0.0003, SIZE)
    categories = list(db.session.scalars(sa.select(Category.id)))
    now = utcnow()
    db.session.execute(
        sa.insert(Concern),
        [
            {
                "case_number": f"UP{i:06d}",
                "text": "upgrade test",
                "category_id": int(categories[i % len(categories)]),
                "source": "web",
                "status": "open",
                "language": "en",
                "reported_at": now - timedelta(days=float(rng.uniform(0, 120))),  # some older
                "geocode_status": "located",
                "location_kind": "block",
                "location_label": "somewhere",
                "lat": float(lat[i]),
                "lon": float(lon[i]),
                "located_at": now,
                "clustered_at": now,
            }
            for i in range(SIZE)
        ],
    )
    x, y = to_metres(city, lon, lat)
    labels = DBSCAN(eps=150, min_samples=3).fit_predict(np.column_stack([x, y]))
    ids = np.array(list(db.session.scalars(sa.select(Concern.id).order_by(Concern.id))))
    hotspots = {}
    for label in np.unique(labels[labels >= 0]).tolist():
        where = labels == label
        hotspot = Hotspot(
            label=f"old hotspot {label}",
            centroid_lat=float(lat[where].mean()),
            centroid_lon=float(lon[where].mean()),
            family="nuisance",
            concern_count=int(where.sum()),
        )
        db.session.add(hotspot)
        hotspots[label] = hotspot
    db.session.flush()
    db.session.execute(
        sa.update(Concern.__table__)
        .where(Concern.__table__.c.id == sa.bindparam("concern_id"))
        .values(hotspot_id=sa.bindparam("hotspot"))
        .execution_options(synchronize_session=False),
        [
            {"concern_id": int(ids[i]), "hotspot": hotspots[int(labels[i])].id}
            for i in np.flatnonzero(labels >= 0)
        ],
    )
    db.session.commit()
    widest = sorted(hotspots.values(), key=lambda h: -h.concern_count)
    return [h.id for h in widest]


def _work_on(hotspot_ids: list[int], users) -> None:
    """Staff own, act on and note the sprawling hotspots, as they did under the old rule."""
    for hotspot_id in hotspot_ids:
        hotspot = db.session.get(Hotspot, hotspot_id)
        assign(hotspot, agency("MPD-D3"), AssignmentRole.LEAD, users["prosecutor"])
        assign(hotspot, agency("DNS"), AssignmentRole.PARTNER, users["prosecutor"])
        log_action(hotspot, agency("MPD-D3"), ActionKind.SITE_VISIT, users["prosecutor"], "went")
        history.record(EventKind.NOTE, users["prosecutor"], hotspot_id=hotspot_id, reason="n")
    db.session.commit()


def _ids(model) -> set[int]:
    return set(db.session.scalars(sa.select(model.id)))


def test_the_first_run_breaks_sprawling_hotspots_into_places_and_loses_nothing(app, users) -> None:
    sprawling = _old_rule_database()[:3]  # at this volume the widest holds most of the city
    city = current_city()
    old_members = {
        h: set(db.session.scalars(sa.select(Concern.id).filter_by(hotspot_id=h))) for h in sprawling
    }
    assert len(old_members[sprawling[0]]) > SIZE / 2  # a blob, not a place
    _work_on(sprawling, users)
    assignments_before, actions_before = _ids(Assignment), _ids(Action)
    action_homes = dict(db.session.execute(sa.select(Action.id, Action.hotspot_id)).all())
    events_before = _ids(Event)

    result = recluster()

    # Nothing staff did is lost: every assignment, action and event is still there, on the
    # hotspot it was on (the sprawling hotspots live on as their largest place).
    assert assignments_before <= _ids(Assignment)
    assert actions_before == _ids(Action)
    assert dict(db.session.execute(sa.select(Action.id, Action.hotspot_id)).all()) == action_homes
    assert events_before <= _ids(Event)
    for hotspot_id in sprawling:
        hotspot = db.session.get(Hotspot, hotspot_id)
        assert hotspot.status in HOTSPOT_ACTIVE and hotspot.lead.agency.code == "MPD-D3"
        # ... and each place it broke into is traceable to it and owned as it was.
        pieces = list(db.session.scalars(sa.select(Hotspot).filter_by(split_from_id=hotspot_id)))
        if hotspot_id == sprawling[0]:
            assert len(pieces) > 50, "a blob of the whole city breaks into many places"
        for piece in pieces:
            owners = {
                (a.agency.code, a.role)
                for a in db.session.scalars(
                    sa.select(Assignment).filter_by(hotspot_id=piece.id, ended_at=None)
                )
            }
            assert owners == {("MPD-D3", AssignmentRole.LEAD), ("DNS", AssignmentRole.PARTNER)}
        said = db.session.scalars(
            sa.select(Event.reason).filter_by(hotspot_id=hotspot_id, kind=EventKind.SPLIT)
        ).all()
        assert len(said) == len(pieces) and all("problem place of their own" in r for r in said)
        # Every concern of the blob is in the blob's place, one of its pieces, another place
        # that took it, or (far from every place) in none.
        now_in = Counter(
            db.session.scalars(
                sa.select(Concern.hotspot_id).where(Concern.id.in_(old_members[hotspot_id]))
            )
        )
        assert sum(now_in.values()) == len(old_members[hotspot_id])
    assert result.split and result.left > 0

    # Every active hotspot is now a place, old concerns (older than the window) included:
    # 90% of its members within 80 m of their centre, none beyond 160 m.
    rows = db.session.execute(
        sa.select(Concern.hotspot_id, Concern.lon, Concern.lat)
        .join(Hotspot, Hotspot.id == Concern.hotspot_id)
        .where(Hotspot.status.in_(HOTSPOT_ACTIVE))
    ).all()
    hotspot, lon, lat = (np.array(column) for column in zip(*rows, strict=True))
    x, y = to_metres(city, lon.astype(float), lat.astype(float))
    widths = radius_p90(x, y, hotspot.astype(np.int64))
    assert max(widths.values()) <= 80.0
    for hotspot_id in np.unique(hotspot).tolist():
        members = hotspot == hotspot_id
        spread = np.hypot(x[members] - x[members].mean(), y[members] - y[members].mean())
        assert spread.max() <= 160.0
