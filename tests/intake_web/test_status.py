"""The public case page: status, agency and public timeline; never staff notes or others' words."""

from __future__ import annotations

import pytest
from flask import Flask

from community.extensions import db
from community.hotspots.recluster import recluster
from community.models import ActionKind, AssignmentRole, Concern, Hotspot
from community.status.labels import hotspot_status_label
from community.workflow.service import assign, log_action
from tests.factories import agency
from tests.helpers import placed_concerns
from tests.intake_web.conftest import GOOD, LAKE_DR, OwnLocaleClient

HOSTILE = "<script>alert('pwned')</script> drugs sold from the porch"
OTHERS = "OTHER NEIGHBOUR private words about the yellow house"
STAFF_NOTE = "STAFF ONLY: informant says the dealer is home on Tuesdays"
PUBLIC_NOTE = (
    "<b>Extra patrols</b> at night since Monday; owner of 2263 N Lake Dr called 414-555-0177"
)


def _report(client, **fields) -> str:
    response = client.post("/report", data={**GOOD, **fields})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"].rsplit("/", 1)[-1]


@pytest.fixture
def worked_case(client, users) -> str:
    """A resident's case inside a hotspot that MPD District 1 leads and has acted on."""
    case = _report(client, text=HOSTILE, phone="414-555-0142", consent="y")
    placed_concerns(4, around=LAKE_DR, text=OTHERS)
    recluster()
    concern = db.session.scalar(db.select(Concern).filter_by(case_number=case))
    hotspot = db.session.get(Hotspot, concern.hotspot_id)
    prosecutor = users["prosecutor"]
    assign(hotspot, agency("MPD-D1"), AssignmentRole.LEAD, prosecutor)
    log_action(
        hotspot,
        agency("MPD-D1"),
        ActionKind.DIRECTED_PATROL,
        prosecutor,
        notes=STAFF_NOTE,
        public_note=PUBLIC_NOTE,
    )
    log_action(hotspot, agency("MPD-D1"), ActionKind.SITE_VISIT, prosecutor, notes=STAFF_NOTE)
    db.session.commit()
    return case


def test_the_case_page_shows_status_agency_and_public_timeline(client, worked_case) -> None:
    page = client.get(f"/status/{worked_case}").get_data(as_text=True)
    assert worked_case in page
    assert "Drug activity" in page and "Northpoint" in page
    assert "Milwaukee Police District 1" in page
    hotspot = db.session.scalar(db.select(Hotspot))
    assert hotspot.status in ("assigned", "in_progress")
    status = hotspot_status_label(hotspot.status)  # "An agency is working on it", or assigned
    assert f'data-testid="case-status"><strong>{status}</strong>' in page
    timeline = page.split('data-testid="timeline"')[1]
    for line in ("Report received", "Placed on the map", "Lead agency: Milwaukee Police"):
        assert line in timeline
    assert "Milwaukee Police District 1: Directed patrol" in timeline
    assert "&lt;b&gt;Extra patrols&lt;/b&gt; at night" in timeline  # a note is text, not HTML
    # An agency's public note is published redacted: the block, not the house; no phone.
    assert "2200 block of N Lake Dr" in timeline
    assert "2263" not in timeline and "0177" not in timeline
    assert "Site visit" not in timeline  # no public note: not on the public timeline


def test_the_case_page_never_shows_staff_notes_other_residents_or_phones(
    app: Flask, worked_case
) -> None:
    app.test_client_class = OwnLocaleClient
    stranger = app.test_client()
    page = stranger.get(f"/status/{worked_case}").get_data(as_text=True)
    assert "Milwaukee Police District 1" in page
    for secret in (STAFF_NOTE, "informant", OTHERS, "0142", "prosecutor@example.org"):
        assert secret not in page
    assert "drugs sold from the porch" not in page  # not this browser's case: no words at all
    assert "What you told us" not in page


def test_the_reporter_sees_their_own_words_escaped(client, worked_case) -> None:
    page = client.get(f"/status/{worked_case}").get_data(as_text=True)
    assert "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt; drugs sold from the porch" in page
    assert "<script>alert" not in page
    assert OTHERS not in page and "0142" not in page


def test_the_case_page_in_spanish(client, worked_case) -> None:
    page = client.get(f"/status/{worked_case}?lang=es").get_data(as_text=True)
    assert 'lang="es"' in page
    for words in ("Venta de drogas", "Agencia principal", "Reporte recibido", "Patrullaje"):
        assert words in page


def test_the_thank_you_page_says_what_happens_next_and_links_the_status(client) -> None:
    case = _report(client)
    page = client.get(f"/report/{case}").get_data(as_text=True)
    assert "What happens next" in page and f'href="/status/{case}"' in page
    spanish = client.get(f"/report/{case}?lang=es").get_data(as_text=True)
    assert "Qué pasa ahora" in spanish and "Su número de caso es" in spanish


def test_lookup_form_normalises_and_explains(client) -> None:
    case = _report(client)
    typed = case.lower().replace("-", " ")
    response = client.get(f"/status?case={typed}")
    assert response.status_code == 302 and response.headers["Location"] == f"/status/{case}"
    bad = client.get("/status?case=hello there")
    assert bad.status_code == 400 and "That is not a case number" in bad.get_data(as_text=True)
    unknown = client.get("/status/MKE-ZZZZ?lang=es")
    assert unknown.status_code == 404
    assert "No encontramos ese caso" in unknown.get_data(as_text=True)
    assert client.get("/status/<script>").status_code == 404
    assert 'name="case"' in client.get("/status").get_data(as_text=True)
