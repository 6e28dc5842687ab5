"""`flask map`: one self-contained HTML file per area, city or hotspot, English or Spanish."""

from __future__ import annotations

import json
import re
from pathlib import Path

from flask import Flask

from community.extensions import db
from community.models import Concern
from community.reports.areamap import area_map
from community.reports.i18n import report_locale
from community.reports.requests import read_request
from community.reports.service import listed_hotspots
from tests.maps.conftest import AREA, CDN_LINK, without_leaflet
from tests.reports.conftest import DRUG_TEXTS


def _run(app: Flask, *args: str):
    return app.test_cli_runner().invoke(args=["map", *args])


def _data_hotspots(html: str) -> int:
    return int(re.search(r'data-hotspots="(\d+)"', html).group(1))


def test_an_area_map_is_one_file_with_the_reports_hotspots(demo_app: Flask, tmp_path: Path):
    out = tmp_path / "metcalfe.html"
    result = _run(demo_app, "--area", AREA, "--out", str(out))
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    wanted = read_request([AREA], None, None, "en")
    with report_locale("en"):
        _count, rows = listed_hotspots(wanted.selection, wanted.period, "en")
    assert rows, "the data set has hotspots in Metcalfe Park"
    assert _data_hotspots(html) == len(rows)
    assert f"map: {len(rows)} hotspots" in result.output and str(out) in result.output
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en">' in html
    assert "<title>Metcalfe Park</title>" in html and "Hotspot map" in html
    assert '<meta http-equiv="Content-Security-Policy" content="default-src \'none\';' in html
    # Leaflet inlined; none of folium's CDN links (Leaflet, jQuery, Bootstrap, Font Awesome).
    assert "Leaflet 1.9.4" in html
    assert not CDN_LINK.search(without_leaflet(html))  # Leaflet's own credit links to its site
    for cdn in ("cdn.jsdelivr.net", "code.jquery.com", "cdnjs.cloudflare.com", "bootstrapcdn"):
        assert cdn not in html
    # Numbered as the printed report numbers them, highest priority first.
    marks = json.loads(re.search(r"\}\)\(\w+, (\[.*?\]), \"hotspot\"\);", html, re.S).group(1))
    assert [m["text"] for m in marks] == [str(row.number) for row in rows]
    assert [m["title"] for m in marks] == [row.location for row in rows]


def test_the_spanish_file_is_spanish_throughout(demo_app: Flask, tmp_path: Path) -> None:
    out = tmp_path / "metcalfe-es.html"
    result = _run(demo_app, "--area", AREA, "--lang", "es", "--heat", "--out", str(out))
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert '<html lang="es">' in html
    for words in (
        "Mapa de puntos críticos",
        "Hecho el",
        "Puntos críticos, numerados por prioridad",
        "Prioridad muy alta",
        "Agencia responsable",
        "Tendencia",
        "Calles principales",
        "Calor: donde se concentran los reportes",
        "cuadra 2400 de N 35th St",
    ):
        assert words in html, words
    for english in ("Hotspot map", "Lead agency", "Main roads", "Highest priority", "block of"):
        assert english not in html, english


def test_city_and_hotspot_maps(demo_app: Flask, tmp_path: Path) -> None:
    city = tmp_path / "city.html"
    result = _run(demo_app, "--city", "--out", str(city))
    assert result.exit_code == 0, result.output
    assert "<title>Milwaukee</title>" in city.read_text(encoding="utf-8")
    drug = db.session.scalar(db.select(Concern.hotspot_id).filter_by(text=DRUG_TEXTS[0]))
    one = tmp_path / "one.html"
    result = _run(demo_app, "--hotspot", str(drug), "--lang", "es", "--out", str(one))
    assert result.exit_code == 0, result.output
    html = one.read_text(encoding="utf-8")
    assert _data_hotspots(html) == 1
    assert "Reportes, por cuadra" in html and "cuadra 2400 de N 35th St" in html


def test_without_out_the_file_is_named_for_the_area_and_day(
    demo_app: Flask, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = _run(demo_app, "--area", "metcalfe park", "--lang", "es")
    assert result.exit_code == 0, result.output
    [made] = list(tmp_path.glob("map-metcalfe-park-*-es.html"))
    assert made.stat().st_size > 100_000


def test_an_unknown_area_names_the_closest_and_exits_2(demo_app: Flask) -> None:
    result = _run(demo_app, "--area", "METCALF PRK", "--out", "never.html")
    assert result.exit_code == 2
    assert "No area called 'METCALF PRK'" in result.output and "METCALFE PARK" in result.output
    assert not Path("never.html").exists()


def test_bad_input_exits_2_or_asks_for_one_scope(demo_app: Flask) -> None:
    assert _run(demo_app, "--hotspot", "999999").exit_code == 2
    assert "No hotspot number 999999" in _run(demo_app, "--hotspot", "999999").output
    both = _run(demo_app, "--city", "--area", AREA)
    assert both.exit_code == 2 and "exactly one of" in both.output
    assert _run(demo_app).exit_code == 2
    backwards = _run(demo_app, "--city", "--since", "2026-05-01", "--until", "2026-04-01")
    assert backwards.exit_code == 2 and "start before it ends" in backwards.output


def test_an_empty_period_makes_a_map_that_says_so(demo_app: Flask, tmp_path: Path) -> None:
    for language, words in (
        ("en", "No concerns were reported here in this period."),
        ("es", "No se reportaron problemas aquí en este período."),
    ):
        out = tmp_path / f"empty-{language}.html"
        args = ["--area", AREA, "--since", "2020-01-01", "--until", "2020-01-31"]
        result = _run(demo_app, *args, "--lang", language, "--out", str(out))
        assert result.exit_code == 0, result.output
        html = out.read_text(encoding="utf-8")
        assert words in html and 'role="status"' in html


def test_the_evaluation_verdict_is_shown_once_one_is_given(demo_app: Flask) -> None:
    """No evaluation exists yet: the hook is `verdicts`, and nothing is shown without it."""
    wanted = read_request([AREA], None, None, "es")
    plain = area_map(wanted.selection, wanted.period, "es")
    assert "Evaluación" not in plain.html
    with report_locale("es"):
        _count, rows = listed_hotspots(wanted.selection, wanted.period, "es")
    judged = area_map(
        wanted.selection, wanted.period, "es", verdicts={rows[0].id: "Menos reportes que antes"}
    )
    assert "Evaluación" in judged.html and "Menos reportes que antes" in judged.html


def test_with_a_tile_server_the_file_may_fetch_its_tiles_and_nothing_else(
    demo_app: Flask,
) -> None:
    demo_app.config.update(
        TILE_URL="https://{s}.tiles.example.org/{z}/{x}/{y}.png", TILE_ATTRIBUTION="© Example"
    )
    wanted = read_request([AREA], None, None, "en")
    html = area_map(wanted.selection, wanted.period, "en").html
    assert "img-src data: https://*.tiles.example.org;" in html
    assert "tiles.example.org/{z}/{x}/{y}.png" in html and "\\u00a9 Example" in html
