"""Metrics against values computed by hand on a small fixed data set (see the comments)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from community.extensions import db
from community.metrics import compute
from community.metrics.service import build_metrics
from community.models import (
    Action,
    ActionKind,
    Agency,
    Area,
    AreaKind,
    Assignment,
    AssignmentRole,
    Category,
    Event,
    EventKind,
    Hotspot,
    HotspotStatus,
)
from tests.conftest import fresh_app, sign_in
from tests.factories import ConcernFactory

T0 = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
NOW = T0 + timedelta(days=55)  # 2026-03-01 12:00 UTC
DAY = 24.0  # hours


def day(n: float) -> datetime:
    return T0 + timedelta(days=n)


@pytest.fixture
def fixed(app) -> dict:
    return build_fixed()


def build_fixed() -> dict:
    """Four hotspots with known times (days after T0):

    H1 drug_activity  reported 0, lead MPD-D3 at 1, actions at 2 (site visit) and 5 (arrest),
                      resolved at 10
    H2 drug_activity  reported 0, lead MPD-D3 at 2, action at 6 (citation), resolved at 20
    H3 drug_activity  reported 0, lead DNS at 0, action at 1 (nuisance letter), still open
    H4 noise          reported 30, no lead, no action, still open

    Both categories get a 30-day service level (the reference data's vary).
    """
    agencies = {a.code: a for a in db.session.scalars(db.select(Agency))}
    categories = {c.code: c for c in db.session.scalars(db.select(Category))}
    for code in ("drug_activity", "noise"):
        categories[code].service_level_days = 30

    def hotspot(category: str, reported: float, status: HotspotStatus, resolved: float | None):
        h = Hotspot(
            label="Hotspot",
            category_id=categories[category].id,
            centroid_lat=43.0676,
            centroid_lon=-87.9584,
            status=status,
            first_reported_at=day(reported),
            last_reported_at=day(reported),
            created_at=day(reported),
            resolved_at=day(resolved) if resolved is not None else None,
        )
        db.session.add(h)
        db.session.flush()
        if resolved is not None:
            db.session.add(
                Event(
                    kind=EventKind.STATUS_CHANGED,
                    actor="test",
                    hotspot_id=h.id,
                    from_status="in_progress",
                    to_status="resolved",
                    created_at=day(resolved),
                    data={"outcome": "problem_stopped", "lead": "Milwaukee Police District 3"},
                )
            )
        return h

    h1 = hotspot("drug_activity", 0, HotspotStatus.RESOLVED, 10)
    h2 = hotspot("drug_activity", 0, HotspotStatus.RESOLVED, 20)
    h3 = hotspot("drug_activity", 0, HotspotStatus.IN_PROGRESS, None)
    hotspot("noise", 30, HotspotStatus.NEW, None)  # H4
    for h, code, start in ((h1, "MPD-D3", 1), (h2, "MPD-D3", 2), (h3, "DNS", 0)):
        db.session.add(
            Assignment(
                hotspot_id=h.id,
                agency_id=agencies[code].id,
                role=AssignmentRole.LEAD,
                created_at=day(start),
            )
        )
    for h, code, kind, when in (
        (h1, "MPD-D3", ActionKind.SITE_VISIT, 2),
        (h1, "MPD-D3", ActionKind.ARREST, 5),
        (h2, "MPD-D3", ActionKind.CITATION, 6),
        (h3, "DNS", ActionKind.NUISANCE_LETTER, 1),
    ):
        db.session.add(
            Action(
                hotspot_id=h.id,
                agency_id=agencies[code].id,
                kind=kind,
                occurred_at=day(when),
                notes="Staff only: informant at 2849",
            )
        )
    # Concerns: three at one address within 10 days (a repeat), two at another, and three
    # at a third spread 40 days apart (not a repeat within 30 days).
    neighborhood = db.session.scalar(db.select(Area).filter_by(kind=AreaKind.NEIGHBORHOOD))
    for label, offsets in (
        ("2847 N 35th St", (20, 25, 29)),
        ("100 E Main St", (21, 22)),
        ("500 W Spread St", (1, 41, 54)),
    ):
        for offset in offsets:
            ConcernFactory(
                location_label=label,
                lat=43.07,
                lon=-87.95,
                reported_at=day(offset),
                neighborhood_id=neighborhood.id,
            )
    db.session.commit()
    return {"neighborhood": neighborhood}


def test_percentile_interpolates_between_ranks() -> None:
    assert compute.percentile([1, 2, 6], 0.5) == 2
    assert compute.percentile([1, 2, 6], 0.9) == pytest.approx(5.2)
    assert compute.percentile([10, 20], 0.5) == 15
    assert compute.percentile([7], 0.9) == 7
    assert compute.percentile([], 0.5) is None


def test_times_per_category_match_the_hand_computed_values(fixed) -> None:
    m = build_metrics(days=90, now=NOW)
    drugs = next(r for r in m.categories if r.name == "Drug activity")
    # First actions from the first report: H1 2 d, H2 6 d, H3 1 d -> [1, 2, 6] d.
    assert drugs.first_action.count == 3
    assert drugs.first_action.median_h == pytest.approx(2 * DAY)
    assert drugs.first_action.p90_h == pytest.approx(5.2 * DAY)
    # Resolutions: H1 10 d, H2 20 d -> median 15 d, p90 10 + 0.9 * 10 = 19 d.
    assert drugs.resolution.count == 2
    assert drugs.resolution.median_h == pytest.approx(15 * DAY)
    assert drugs.resolution.p90_h == pytest.approx(19 * DAY)
    assert drugs.backlog == 1  # H3
    noise = next(r for r in m.categories if r.name == "Noise")
    assert noise.backlog == 1 and noise.first_action.count == 0


def test_times_per_agency_match_the_hand_computed_values(fixed) -> None:
    m = build_metrics(days=90, now=NOW)
    police = next(r for r in m.agencies if r.name == "Milwaukee Police District 3")
    # From becoming the lead: first action H1 2-1 = 1 d, H2 6-2 = 4 d -> median 2.5, p90 3.7.
    assert police.first_action.median_h == pytest.approx(2.5 * DAY)
    assert police.first_action.p90_h == pytest.approx(3.7 * DAY)
    # Resolution: H1 10-1 = 9 d, H2 20-2 = 18 d -> median 13.5, p90 9 + 0.9 * 9 = 17.1.
    assert police.resolution.median_h == pytest.approx(13.5 * DAY)
    assert police.resolution.p90_h == pytest.approx(17.1 * DAY)
    assert police.backlog == 0
    dns = next(r for r in m.agencies if r.name == "Department of Neighborhood Services")
    assert dns.first_action.median_h == pytest.approx(1 * DAY)
    assert dns.resolution.count == 0
    assert dns.backlog == 1


def test_backlog_trend_overdue_and_outcomes(fixed, app) -> None:
    app.config["SERVICE_LEVEL_DEFAULT_DAYS"] = 30
    m = build_metrics(days=90, now=NOW)
    assert m.backlog_total == 2  # H3 and H4
    # H3: DNS lead since day 0, due day 30 < day 55: overdue. H4: due day 60: not yet.
    # (No due date on the assignments: the service level applies.)
    assert m.overdue_total == 1
    dns = next(r for r in m.agencies if r.name == "Department of Neighborhood Services")
    assert dns.overdue == 1
    # Weekly points end at NOW (day 55): ..., day 20, 27, 34, 41, 48, 55.
    assert m.trend_moments[-1] == NOW
    by_day = {(t - T0).days: n for t, n in zip(m.trend_moments, m.trend_total, strict=True)}
    assert by_day[6] == 3  # H1, H2, H3 (H4 not yet reported)
    assert by_day[13] == 2  # H1 resolved on day 10
    assert by_day[20] == 1  # H2 resolved at day 20 exactly: no longer open
    assert by_day[34] == 2  # H3 and H4
    assert m.mix["Milwaukee Police District 3"] == {"site_visit": 1, "arrest": 1, "citation": 1}
    assert m.mix["Department of Neighborhood Services"] == {"nuisance_letter": 1}
    assert m.resolved_total == 2
    assert m.resolutions == {"Milwaukee Police District 3": {"problem_stopped": 2}}


def test_a_recorded_due_date_or_category_service_level_decides_overdue(fixed, app) -> None:
    app.config["SERVICE_LEVEL_DEFAULT_DAYS"] = 30
    lead = db.session.scalar(db.select(Assignment).join(Agency).where(Agency.code == "DNS"))
    lead.due_at = day(60)  # H3's due date moved past NOW (day 55)
    db.session.commit()
    assert build_metrics(days=90, now=NOW).overdue_total == 0
    noise = db.session.scalar(db.select(Category).filter_by(code="noise"))
    noise.service_level_days = 7  # H4 reported day 30, nobody leads: due day 37
    db.session.commit()
    m = build_metrics(days=90, now=NOW)
    assert m.overdue_total == 1
    assert next(r for r in m.categories if r.name == "Noise").overdue == 1


def test_concerns_per_area_and_repeat_locations(fixed) -> None:
    m = build_metrics(days=90, now=NOW)
    assert m.concerns_total == 8
    assert m.per_neighborhood == [(fixed["neighborhood"].name, 8)]
    assert [(r.label, r.reports, r.most_in_window) for r in m.repeats] == [("2847 N 35th St", 3, 3)]
    shorter = build_metrics(days=30, now=NOW)  # since day 25: 2847 has 2 left, Spread 2
    assert shorter.repeats == [] and shorter.concerns_total == 4


def test_a_handed_off_lead_counts_for_the_agency_that_resolved(app) -> None:
    hotspot = compute.HotspotFacts(1, "x", day(0), day(0), day(10), day(10))
    leads = [
        compute.LeadFacts(1, "A", day(0), day(4)),
        compute.LeadFacts(1, "B", day(4), None),
    ]
    result = compute.resolution_by_agency([hotspot], leads)
    assert set(result) == {"B"} and result["B"].median_h == pytest.approx(6 * DAY)


def test_the_staff_page_shows_tables_and_svg_charts(client, users, fixed) -> None:
    assert client.get("/metrics/").status_code == 302
    sign_in(client, "viewer@example.org", "viewer-pass")
    page = client.get("/metrics/?days=365").get_data(as_text=True)
    assert "<svg" in page and "Milwaukee Police District 3" in page
    assert "2847 N 35th St" in page  # staff see repeat addresses
    assert "informant" not in page.lower()  # staff notes never
    assert "<script" not in page
    assert client.get("/metrics/?days=7").status_code == 400


def test_the_public_page_needs_no_login_and_names_no_place(client, fixed) -> None:
    response = client.get("/metrics/public?days=365")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<svg" in page and "Drug activity" in page
    for private in ("2847", "Main St", "informant", "Overdue"):
        assert private not in page
    assert "cdn" not in page.lower()


def _public_total(client) -> int:
    page = client.get("/metrics/public?days=365").get_data(as_text=True)
    return int(re.search(r"<b>(\d+)</b>\s*concerns reported", page).group(1))


def test_the_public_summary_is_reused_for_a_minute(app, client, users, fixed) -> None:
    before = _public_total(client)
    ConcernFactory(reported_at=NOW - timedelta(days=1))
    db.session.commit()
    assert _public_total(client) == before  # a burst of visitors costs one computation
    sign_in(client, "viewer@example.org", "viewer-pass")
    staff = client.get("/metrics/?days=365").get_data(as_text=True)
    assert re.search(rf"<b>{before + 1}</b>\s*concerns reported", staff)  # staff: always fresh
    app.config["PUBLIC_METRICS_CACHE_S"] = 0
    assert _public_total(client) == before + 1


def test_the_public_page_is_rate_limited_per_client(sqlite_template, tmp_path) -> None:
    for application in fresh_app(
        sqlite_template, tmp_path, RATELIMIT_ENABLED=True, PUBLIC_METRICS_LIMIT="2 per minute"
    ):
        client = application.test_client()
        codes = [client.get("/metrics/public").status_code for _ in range(3)]
        assert codes == [200, 200, 429]
        assert "Too many requests" in client.get("/metrics/public").get_data(as_text=True)
        other = application.test_client()
        response = other.get("/metrics/public", environ_base={"REMOTE_ADDR": "10.0.0.9"})
        assert response.status_code == 200
