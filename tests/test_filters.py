"""Template filters: phone numbers masked in resident text, times shown in the city's zone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from community import filters
from community.extensions import db
from community.hotspots.recluster import recluster
from community.models import Hotspot
from tests.conftest import sign_in
from tests.helpers import placed_concerns

REPORTED = datetime(2026, 6, 1, 3, 30, tzinfo=UTC)  # 22:30 the evening before in Milwaukee


@pytest.fixture
def filtered_app(app):
    """The app with the filters registered (create_app does this once it calls filters.init_app)."""
    if "local" not in app.jinja_env.filters:
        filters.init_app(app)
    return app


@pytest.mark.parametrize(
    "text", ["call me at 414-555-0123", "call me at (414) 555-0123", "call me at +14145550123"]
)
def test_phone_numbers_in_resident_text_are_masked(text: str) -> None:
    assert filters.redact_phones(text) == "call me at [phone]"


def test_redaction_keeps_case_numbers_and_handles_none_and_html() -> None:
    assert filters.redact_phones("case MKE-7K3Q, 2847 N 35th St") == "case MKE-7K3Q, 2847 N 35th St"
    assert filters.redact_phones(None) == ""
    assert filters.redact_phones("<b>414-555-0123</b>") == "<b>[phone]</b>"


def test_redacted_text_is_still_escaped(filtered_app) -> None:
    render = filtered_app.jinja_env.from_string("{{ t|redact_phones }}").render
    assert render(t="<img src=x> 414-555-0123") == "&lt;img src=x&gt; [phone]"


def test_local_uses_the_city_package_zone(filtered_app) -> None:
    assert filters.local(REPORTED) == "2026-05-31 22:30"
    assert filters.local(REPORTED, "%Y-%m-%d %H:%M %Z") == "2026-05-31 22:30 CDT"
    assert filters.local(None) == ""
    render = filtered_app.jinja_env.from_string("{{ t|local('%d/%m %H:%M') }}").render
    assert render(t=REPORTED) == "31/05 22:30"


def test_city_timezone_setting_overrides_the_package(filtered_app) -> None:
    filtered_app.config["CITY_TIMEZONE"] = "America/New_York"
    assert filters.local(REPORTED) == "2026-05-31 23:30"


@pytest.fixture
def hotspot_id(filtered_app) -> int:
    concerns = placed_concerns(4, text="call me at 414-555-0123 about the blue house")
    hotspot_id = recluster().created[0]
    concerns[0].reported_at = REPORTED
    db.session.get(Hotspot, hotspot_id).last_reported_at = REPORTED
    db.session.commit()
    return hotspot_id


@pytest.mark.parametrize(
    ("email", "password"),
    [("viewer@example.org", "viewer-pass"), ("prosecutor@example.org", "prosecutor-pass")],
)
def test_staff_pages_mask_phones_and_show_local_times(
    client, users, hotspot_id, email: str, password: str
) -> None:
    sign_in(client, email, password)
    page = client.get(f"/staff/hotspots/{hotspot_id}").get_data(as_text=True)
    assert "call me at [phone] about the blue house" in page
    for number in ("414-555-0123", "4145550123", "(414) 555-0123"):
        assert number not in page
    assert "2026-05-31 22:30" in page and "2026-06-01" not in page
    assert " UTC " not in page
    listing = client.get("/staff/?status=all").get_data(as_text=True)
    assert "2026-05-31" in listing and "2026-06-01" not in listing


def test_staff_pages_mask_e_mail_addresses_too() -> None:
    from community.filters import redact_phones

    assert redact_phones("me@example.org or 414-555-0123 or 555-0199") == (
        "[email] or [phone] or [phone]"
    )
