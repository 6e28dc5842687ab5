"""A resident files a concern on a phone-sized screen: typed address, map tap, Spanish.

Screenshots at 360x740 land in the browser screenshots folder (tests/browser/screenshots/).
"""

from __future__ import annotations

import io
import re

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from tests.browser.conftest import Tab

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
CASE_NUMBER = re.compile(r"MKE-[2-9A-HJKMNP-TV-Z]{4}")
HOSTILE = "<img src=x onerror=alert(1)><script>alert(2)</script>"
LAKE_DR = (43.0595468, -87.8814075)
DOWNTOWN = (43.0389, -87.9065)


@pytest.fixture
def phone(tab: Tab, live_app: Flask) -> Tab:
    """The tab at phone size, with the geocoder's data loaded (as a worker loads it at start)."""
    from community.places.city import warm_caches

    with live_app.app_context():
        warm_caches()
    tab.page.set_viewport_size(PHONE)
    return tab


def _neighbours(app: Flask, count: int, around: tuple[float, float]) -> None:
    from community.extensions import db
    from tests.helpers import placed_concerns

    with app.app_context():
        placed_concerns(count, around=around, text="NEIGHBOUR'S OWN WORDS")
        db.session.remove()


def _photo() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (2000, 1500), (90, 90, 160)).save(out, format="JPEG")
    return out.getvalue()


def _case_from_thank_you(page: Page, heading: str) -> str:
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    case = page.get_by_test_id("case-number")
    expect(case).to_have_text(CASE_NUMBER)
    return case.inner_text()


def test_a_resident_types_an_address_sees_neighbours_and_follows_the_case(
    phone: Tab, live_app: Flask
) -> None:
    _neighbours(live_app, 12, LAKE_DR)
    page = phone.page
    page.goto("/")
    phone.screenshot("report-00-home-phone")
    page.get_by_role("link", name="Report a concern").first.click()
    expect(page.get_by_role("heading", name="Report a concern")).to_be_visible()
    phone.screenshot("report-01-empty-form-phone")

    page.get_by_label("What kind of problem?").select_option(label="Drug activity")
    page.get_by_label("What is happening?").fill(f"{HOSTILE} selling from the blue house")
    page.get_by_label("Where? An address, a block or cross streets").press_sequentially(
        "2263 lake", delay=40
    )
    suggestion = page.get_by_role("button", name="2263 N Lake Dr, Northpoint")
    expect(suggestion).to_be_visible()
    phone.screenshot("report-02-suggestions-phone")
    suggestion.click()
    expect(page.locator("#place-status")).to_contain_text("Place chosen: 2263 N Lake Dr")
    nearby = page.get_by_test_id("nearby")
    expect(nearby).to_contain_text(
        "12 neighbours reported drug activity or similar problems within a block of here in "
        "the last 60 days."
    )
    expect(nearby).to_contain_text("Add yours to it")
    expect(nearby).not_to_contain_text("NEIGHBOUR'S OWN WORDS")
    page.get_by_label("Photo (optional)").set_input_files(
        {"name": "porch.jpg", "mimeType": "image/jpeg", "buffer": _photo()}
    )
    phone.screenshot("report-03-nearby-hotspot-phone")
    page.get_by_role("button", name="Send report").click()

    case = _case_from_thank_you(page, "Thank you")
    expect(page.get_by_role("heading", name="What happens next")).to_be_visible()
    phone.screenshot("report-04-thank-you-phone")

    page.get_by_role("link", name="See the status of your case").click()
    expect(page).to_have_url(re.compile(f"/status/{case}$"))
    expect(page.get_by_test_id("case-category")).to_have_text("Drug activity")
    expect(page.get_by_test_id("case-agency")).to_have_text("Not assigned yet")
    own = page.get_by_test_id("own-text")
    expect(own).to_have_text(f"{HOSTILE} selling from the blue house")  # shown as text
    expect(page.locator("main img")).to_have_count(0)
    expect(page.get_by_test_id("timeline")).to_contain_text("Report received")
    phone.screenshot("report-05-status-phone")
    phone.assert_clean()


def test_a_resident_taps_the_map_and_uses_their_location(phone: Tab) -> None:
    page = phone.page
    page.goto("/report")
    page.get_by_label("What kind of problem?").select_option(label="Illegal dumping")
    page.get_by_label("What is happening?").fill("mattresses and tires dumped in the alley")
    assert page.evaluate("typeof window.L") == "undefined"  # Leaflet waits for "Show map"
    page.get_by_role("button", name="Show map").click()
    expect(page.locator("#map .leaflet-overlay-pane path").first).to_be_visible()
    expect(page.locator("#place-status")).to_have_text("Tap the map where it happens.")
    spot = page.evaluate(
        "([lat, lon]) => { const m = document.getElementById('map').leafletMap;"
        " m.setView([lat, lon], 15, {animate: false});"
        " const p = m.latLngToContainerPoint([lat, lon]); return {x: p.x, y: p.y}; }",
        list(DOWNTOWN),
    )
    page.locator("#map").click(position=spot)
    expect(page.locator("#place-status")).to_contain_text(
        re.compile(r"Place chosen: near \d+ E Wisconsin Ave")
    )
    expect(page.locator("#map .leaflet-marker-icon")).to_have_count(1)
    phone.screenshot("report-06-map-tap-phone")

    # "Use my location" takes the phone's position instead.
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": LAKE_DR[0], "longitude": LAKE_DR[1]})
    page.get_by_role("button", name="Use my location").click()
    expect(page.locator("#place-status")).to_contain_text(re.compile(r"near 22\d\d N Lake Dr"))

    # A tap outside the city is refused on the spot.
    outside = page.evaluate(
        "() => { const m = document.getElementById('map').leafletMap;"
        " m.setView([43.05, -88.05], 14, {animate: false});"
        " const p = m.latLngToContainerPoint([43.05, -88.05]); return {x: p.x, y: p.y}; }"
    )
    page.locator("#map").click(position=outside)
    expect(page.locator("#place-status")).to_contain_text("That point is outside the city")
    page.evaluate(
        "([lat, lon]) => document.getElementById('map').leafletMap.setView([lat, lon], 15,"
        " {animate: false})",
        list(DOWNTOWN),
    )
    page.locator("#map").click(position=spot)
    expect(page.locator("#place-status")).to_contain_text(re.compile(r"near \d+ E Wisconsin Ave"))
    page.get_by_role("button", name="Send report").click()
    case = _case_from_thank_you(page, "Thank you")
    page.goto(f"/status/{case}")
    expect(page.locator("dl.facts")).to_contain_text("Juneau Town")
    phone.assert_clean()


def test_a_spanish_speaker_fixes_mistakes_and_reports(phone: Tab, live_app: Flask) -> None:
    _neighbours(live_app, 5, (43.0678, -87.9573))  # 35th and Center
    page = phone.page
    page.goto("/report?lang=es")
    expect(page.get_by_role("heading", name="Reportar un problema")).to_be_visible()

    # Nothing filled in, a PDF named .jpg, a place outside the city: clear Spanish messages.
    page.get_by_label("¿Dónde? Una dirección, una cuadra o dos calles que se cruzan").fill(
        "27th and College"
    )
    page.get_by_label("Foto (opcional)").set_input_files(
        {"name": "foto.jpg", "mimeType": "image/jpeg", "buffer": b"%PDF-1.4 not a photo"}
    )
    page.get_by_role("button", name="Enviar reporte").click()
    expect(page.get_by_role("alert")).to_contain_text("Corrija los problemas marcados abajo.")
    expect(page.locator("#text-error")).to_have_text("Cuéntenos qué está pasando.")
    expect(page.locator("#category-error")).to_have_text("Elija qué tipo de problema es.")
    expect(page.locator("#location-error")).to_contain_text("fuera de la Ciudad de Milwaukee")
    expect(page.locator("#photo-error")).to_have_text(
        "Ese archivo no es una foto que podamos leer (JPEG, PNG o HEIC)."
    )
    phone.screenshot("report-07-errores-es-phone")
    page.get_by_label("¿Qué tipo de problema?").select_option(label="Venta de drogas")
    page.get_by_label("¿Qué está pasando?").fill("venden drogas en la esquina todas las noches")

    # Type the corner, pick it, see the neighbours, send.
    where = page.get_by_label("¿Dónde? Una dirección, una cuadra o dos calles que se cruzan")
    where.fill("")
    where.press_sequentially("35th and Center", delay=30)
    page.get_by_role("button", name=re.compile("N 35th St & W Center St")).click()
    expect(page.get_by_test_id("nearby")).to_contain_text(
        "5 vecinos reportaron venta de drogas o problemas parecidos a una cuadra de aquí"
    )
    page.get_by_label("Número de teléfono para recibir mensajes de texto (opcional)").fill(
        "414-555-0177"
    )
    page.get_by_label("Sí, envíenme mensajes de texto sobre este caso.").check()
    phone.screenshot("report-08-formulario-es-phone")
    page.get_by_role("button", name="Enviar reporte").click()
    case = _case_from_thank_you(page, "Gracias")
    expect(page.locator("main")).to_contain_text("También le enviaremos un mensaje de texto")
    expect(page.locator("body")).not_to_contain_text("0177")
    phone.screenshot("report-09-gracias-es-phone")
    page.get_by_role("link", name="Ver el estado de su caso").click()
    expect(page.get_by_test_id("case-category")).to_have_text("Venta de drogas")
    expect(page.locator("body")).not_to_contain_text("0177")
    phone.screenshot("report-10-estado-es-phone")

    # The lookup form finds it from the number as a person types it.
    page.goto("/status")
    page.get_by_label("Número de caso").fill(case.lower().replace("-", " "))
    phone.screenshot("report-11-buscar-caso-es-phone")
    page.get_by_role("button", name="Mostrar el estado").click()
    expect(page).to_have_url(re.compile(f"/status/{case}$"))
    # The refused send answered 400 on purpose (Chromium logs that status); nothing else.
    refused = [e for e in phone.console_errors if "status of 400" in e and "/report?lang=es" in e]
    assert len(refused) == 1
    phone.console_errors = [e for e in phone.console_errors if e not in refused]
    phone.assert_clean()


def test_the_form_works_without_javascript(browser, live_server: str, live_app: Flask) -> None:
    _neighbours(live_app, 4, LAKE_DR)
    context = browser.new_context(base_url=live_server, viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/report")
        expect(page.get_by_role("button", name="Show map")).to_be_hidden()
        page.get_by_label("What kind of problem?").select_option(label="Drug activity")
        page.get_by_label("What is happening?").fill("hand-to-hand sales at the corner")
        page.get_by_label("Where? An address, a block or cross streets").fill("2263 N Lake Dr")
        page.get_by_role("button", name="Check the place and nearby reports").click()
        expect(page.locator("#place-status")).to_contain_text("Place found: 2263 N Lake Dr")
        expect(page.get_by_test_id("nearby")).to_contain_text("4 neighbours reported")
        page.get_by_role("button", name="Send report").click()
        expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    finally:
        context.close()


def test_a_keyboard_user_picks_a_suggestion_and_sends(phone: Tab) -> None:
    page = phone.page
    page.goto("/report")
    page.get_by_label("What kind of problem?").select_option(label="Shots fired")
    page.get_by_label("What is happening?").fill("shots most nights around 11")
    where = page.get_by_label("Where? An address, a block or cross streets")
    where.press_sequentially("2263 lake", delay=40)
    expect(page.get_by_role("button", name="2263 N Lake Dr, Northpoint")).to_be_visible()
    page.keyboard.press("Tab")  # the first suggestion follows the field
    expect(page.get_by_role("button", name="2263 N Lake Dr, Northpoint")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#place-status")).to_contain_text("Place chosen: 2263 N Lake Dr")
    page.get_by_role("button", name="Send report").focus()
    page.keyboard.press("Enter")
    _case_from_thank_you(page, "Thank you")
    phone.assert_clean()
