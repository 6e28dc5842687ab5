"""The resident pages: labelled fields, a language switch, a lookup form on the home page."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pytest

from tests.intake_web.conftest import GOOD, jpeg_with_gps


class _Controls(HTMLParser):
    """Form controls a person fills in, and the labels pointing at them."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[str] = []
        self.labelled: set[str] = set()
        self.buttons: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in ("input", "select", "textarea") and found.get("type") not in (
            "hidden",
            "submit",
            "radio",
        ):
            self.controls.append(found.get("id") or f"<{tag} name={found.get('name')}>")
        if tag == "label" and found.get("for"):
            self.labelled.add(found["for"])


@pytest.mark.parametrize("url", ["/", "/report", "/status", "/report?lang=es", "/status?lang=es"])
def test_every_field_has_a_label_and_the_page_a_language_switch(client, url: str) -> None:
    page = client.get(url).get_data(as_text=True)
    parser = _Controls()
    parser.feed(page)
    assert parser.controls, "a form is on the page"
    unlabelled = [c for c in parser.controls if c not in parser.labelled]
    assert unlabelled == []
    assert re.search(r'<a href="\?lang=(en|es)" lang="(en|es)">', page)
    assert '<a class="skip" href="#main">' in page


def test_the_home_page_finds_a_case(client) -> None:
    page = client.get("/").get_data(as_text=True)
    assert 'action="/status"' in page and "Follow your case" in page
    spanish = client.get("/?lang=es").get_data(as_text=True)
    assert "Siga su caso" in spanish and "Reportar un problema" in spanish


def test_the_report_page_works_without_scripts_and_loads_no_map_at_first(client) -> None:
    page = client.get("/report").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page
    assert 'name="action" value="check"' in page  # the no-JS way to see the place and nearby
    assert "leaflet" not in re.sub(r'data-leaflet-(js|css)="[^"]+"', "", page)
    assert re.findall(r"<script[^>]*src=\"([^\"]+)\"", page) == ["/static/js/report.js"]


def test_a_photo_chosen_before_the_check_step_is_asked_for_again(client) -> None:
    data = {**GOOD, "action": "check", "photo": (io.BytesIO(jpeg_with_gps()), "a.jpg")}
    page = client.post("/report", data=data, content_type="multipart/form-data").get_data(
        as_text=True
    )
    assert "Choose your photo again before sending" in page


def test_the_language_follows_the_browser_until_the_resident_switches(client) -> None:
    mexican = {"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"}
    page = client.get("/report", headers=mexican).get_data(as_text=True)
    assert 'lang="es"' in page and "¿Qué tipo de problema?" in page
    assert "Venta de drogas" in page  # category names come in Spanish too
    switched = client.get("/report?lang=en", headers=mexican).get_data(as_text=True)
    assert 'lang="en"' in switched and "What kind of problem?" in switched
    kept = client.get("/status", headers=mexican).get_data(as_text=True)
    assert 'lang="en"' in kept  # the choice is remembered for the visit
