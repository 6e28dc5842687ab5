"""Before sending: open problems of the same kind near the chosen place, as counts only."""

from __future__ import annotations

from community.extensions import db
from community.hotspots.recluster import recluster
from community.models import Category, ConcernStatus, Hotspot
from tests.helpers import placed_concerns
from tests.intake_web.conftest import DOWNTOWN, LAKE_DR

POINT = f"{LAKE_DR[0]:.6f},{LAKE_DR[1]:.6f}"


def _category_id(code: str) -> int:
    return db.session.scalar(db.select(Category.id).filter_by(code=code))


def test_nearby_counts_recent_open_reports_of_the_same_kind_within_a_block(client) -> None:
    placed_concerns(5, around=LAKE_DR)  # drug activity, 2 days ago, within ~40 m
    placed_concerns(2, around=LAKE_DR, category_id=_category_id("loitering"))  # same group
    placed_concerns(3, around=LAKE_DR, category_id=_category_id("graffiti"))  # other group
    placed_concerns(4, around=LAKE_DR, days_ago=75)  # too old
    for done in placed_concerns(2, around=LAKE_DR):
        done.status = ConcernStatus.RESOLVED
    db.session.commit()
    placed_concerns(6, around=DOWNTOWN)  # far away
    data = client.get(f"/report/nearby?point={POINT}&category=drug_activity&format=json").json
    assert data["nearby"]["concern_count"] == 7
    assert data["nearby"]["days"] == 60 and data["nearby"]["radius_m"] == 150
    page = client.get(f"/report/nearby?point={POINT}&category=drug_activity").get_data(as_text=True)
    assert "7 neighbours reported drug activity or similar problems within a block" in page
    spanish = client.get(f"/report/nearby?point={POINT}&category=drug_activity&lang=es")
    assert "7 vecinos reportaron venta de drogas o problemas parecidos" in spanish.get_data(
        as_text=True
    )


def test_an_active_hotspot_is_shown_by_its_label_with_the_house_number_generalised(
    client,
) -> None:
    placed_concerns(4, around=LAKE_DR, text="<script>alert('x')</script> secret words")
    recluster()
    hotspot = db.session.scalar(db.select(Hotspot))
    hotspot.label = "Drug activity near 2263 N Lake Dr"
    db.session.commit()
    data = client.get(f"/report/nearby?point={POINT}&category=drug_activity&format=json").json
    assert data["nearby"]["hotspots"] == [
        {
            "label": "Drug activity near 2200 block of N Lake Dr",
            "status": "new",
            "status_label": "Reported; waiting for review",
            "concern_count": 4,
            "distance_m": data["nearby"]["hotspots"][0]["distance_m"],
        }
    ]
    page = client.get(f"/report/nearby?point={POINT}&category=drug_activity").get_data(as_text=True)
    assert "Drug activity near 2200 block of N Lake Dr" in page
    assert "secret words" not in page and "<script>" not in page


def test_nothing_nearby_says_so_and_a_resolved_hotspot_does_not_count(client) -> None:
    placed_concerns(4, around=LAKE_DR, days_ago=80)
    recluster()
    for hotspot in db.session.scalars(db.select(Hotspot)):
        hotspot.status = "resolved"
    db.session.commit()
    page = client.get(f"/report/nearby?point={POINT}&category=drug_activity").get_data(as_text=True)
    assert "No open reports of this kind near here yet" in page


def test_nearby_outside_the_city_or_without_a_category(client) -> None:
    outside = client.get("/report/nearby?point=43.05,-88.05&category=drug_activity")
    assert outside.status_code == 400
    assert "outside the City of Milwaukee" in outside.get_data(as_text=True)
    assert client.get(f"/report/nearby?point={POINT}").get_data(as_text=True).strip() == ""
    assert client.get(f"/report/nearby?point={POINT}&format=json").json == {"nearby": None}


def test_old_reports_are_outside_the_window(client) -> None:
    placed_concerns(3, around=LAKE_DR, days_ago=59)
    placed_concerns(3, around=LAKE_DR, days_ago=61)
    data = client.get(f"/report/nearby?point={POINT}&category=drug_activity&format=json").json
    assert data["nearby"]["concern_count"] == 3
