"""Reports built from the data set, read back as a person would: pdftotext and page images."""

from __future__ import annotations

import re
from pathlib import Path

from community.extensions import db
from community.models import Area, AreaKind, Concern, MeetingReport
from tests.reports.conftest import (
    PUBLIC_NOTE,
    STAFF_NOTE,
    first_page_png,
    page_count,
    pdf_text,
)


def _make(app, tmp_path, *args: str):
    out = tmp_path / "report.pdf"
    result = app.test_cli_runner().invoke(args=["report", *args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out, result.output


def test_english_report_names_hotspots_agencies_and_counts(demo_app, tmp_path) -> None:
    out, said = _make(demo_app, tmp_path, "--area", "METCALFE PARK")
    text = pdf_text(out)
    flat = " ".join(text.split())
    assert "Metcalfe Park" in flat and "Community meeting report" in flat
    assert "Hotspots, highest priority first" in flat
    assert "2400 block of N 35th St" in flat  # the drug house, as its block
    assert "Milwaukee Police District 3" in flat and "Sherman Park Community Association" in flat
    assert "Department of Neighborhood Services" in flat
    assert "Directed patrol" in flat and "Board-up" in flat and "Property secured" in flat
    assert "Officers patrolled 2400 block of N 35th St" in flat  # the public note, redacted
    assert f"Page 1 of {page_count(out)}" in flat
    concerns = int(re.search(r"(\d+) concerns", said).group(1))
    hotspots = int(re.search(r"(\d+) hotspots", said).group(1))
    assert concerns >= 8 and hotspots >= 2  # ours, plus whatever the seeded city put there
    headline = re.search(
        r"(\d+) (\d+) (\d+) (\d+) concerns reported hotspots resolved this period still open",
        flat,
    )
    assert headline, flat[:400]
    assert int(headline.group(1)) == concerns and int(headline.group(2)) == hotspots
    assert int(headline.group(3)) >= 1 and int(headline.group(4)) >= 1  # resolved, still open
    first_page_png(out, "metcalfe-park-en")


def test_no_reporter_phone_email_house_number_or_staff_note_is_printed(demo_app, tmp_path) -> None:
    out, _ = _make(demo_app, tmp_path, "--area", "METCALFE PARK")
    text = pdf_text(out)
    digits = re.sub(r"\D", "", text)
    assert "2417" not in text
    assert "5550187" not in digits and "555-0187" not in text and "0187" not in text
    assert "neighbor@example.org" not in text
    assert STAFF_NOTE not in text and "informant" not in text
    assert PUBLIC_NOTE not in text  # it had a house number: only its block is printed
    assert "What residents said" in text and "2400 block" in text


def test_similar_texts_are_quoted_once(demo_app, tmp_path) -> None:
    out, _ = _make(demo_app, tmp_path, "--area", "METCALFE PARK")
    flat = " ".join(pdf_text(out).split())
    assert flat.count("people selling drugs out of the house at 2400 block of N 35th St") == 1


def test_spanish_edition(demo_app, tmp_path) -> None:
    out, _ = _make(demo_app, tmp_path, "--area", "metcalfe park", "--lang", "es")
    flat = " ".join(pdf_text(out).split())
    assert "Informe para la reunión comunitaria" in flat
    assert "Puntos críticos, primero los de mayor prioridad" in flat
    assert "cuadra 2400 de N 35th St" in flat
    assert "Patrullaje dirigido" in flat and "Propiedad asegurada" in flat
    assert f"Página 1 de {page_count(out)}" in flat
    assert "Cómo reportar un problema" in flat and "Hotspots, highest" not in flat
    assert "2417" not in flat
    first_page_png(out, "metcalfe-park-es")


def _quiet_neighbourhood() -> str:
    """A neighbourhood where nobody in the data set reported anything."""
    used = db.select(Concern.neighborhood_id).where(Concern.neighborhood_id.is_not(None))
    return db.session.scalar(
        db.select(Area.name)
        .where(Area.kind == AreaKind.NEIGHBORHOOD, Area.id.not_in(used))
        .order_by(Area.name)
    )


def test_area_with_no_concerns_gets_a_short_friendly_report(demo_app, tmp_path) -> None:
    name = _quiet_neighbourhood()
    out, said = _make(demo_app, tmp_path, "--area", name)
    flat = " ".join(pdf_text(out).split())
    assert "0 concerns, 0 hotspots" in said
    assert "0 0 0 0 concerns reported hotspots resolved this period still open" in flat
    assert "No concerns were reported here in this period." in flat
    assert "Thank you for looking out for your neighbours." in flat
    assert "How to report a concern" in flat and "Hotspots, highest" not in flat
    assert page_count(out) == 1
    first_page_png(out, "no-concerns")


def test_a_quiet_period_still_lists_the_open_hotspots(demo_app, tmp_path) -> None:
    out, said = _make(
        demo_app,
        tmp_path,
        "--area",
        "METCALFE PARK",
        "--since",
        "2020-01-01",
        "--until",
        "2020-01-31",
    )
    flat = " ".join(pdf_text(out).split())
    assert "Jan 1, 2020 – Jan 31, 2020" in flat
    assert "0 concerns" in said
    assert "No concerns were reported in this period." in flat
    assert "2400 block of N 35th St" in flat and "In progress" in flat  # still being worked


def test_several_neighbourhoods_together(demo_app, tmp_path) -> None:
    out, _ = _make(demo_app, tmp_path, "--area", "METCALFE PARK", "--area", "SHERMAN PARK")
    flat = " ".join(pdf_text(out).split())
    assert "Metcalfe Park + Sherman Park" in flat
    assert "2400 block of N 35th St" in flat


def test_police_district_report(demo_app, tmp_path) -> None:
    out, _ = _make(demo_app, tmp_path, "--area", "Police District 3")
    flat = " ".join(pdf_text(out).split())
    assert "Police District 3" in flat and "Milwaukee Police District 3" in flat
    first_page_png(out, "police-district-3")


def test_unknown_area_lists_close_matches_and_exits_2(demo_app) -> None:
    result = demo_app.test_cli_runner().invoke(args=["report", "--area", "SHERMEN PARK"])
    assert result.exit_code == 2
    assert "No area called 'SHERMEN PARK'. Did you mean: SHERMAN PARK" in result.output


def test_district_and_neighbourhood_cannot_be_mixed(demo_app) -> None:
    result = demo_app.test_cli_runner().invoke(
        args=["report", "--area", "METCALFE PARK", "--area", "Police District 3"]
    )
    assert result.exit_code == 2
    assert "Only neighbourhoods can be put together" in result.output


def test_report_batch_command_makes_every_district(demo_app) -> None:
    result = demo_app.test_cli_runner().invoke(
        args=["report-batch", "--kind", "police_district", "--lang", "es"]
    )
    assert result.exit_code == 0, result.output
    assert "7 made, 0 failed" in result.output
    folder = next(Path(demo_app.config["REPORTS_FOLDER"]).glob("batch-*"))
    assert len(list(folder.glob("*.pdf"))) == 7


def test_html_preview_from_the_command_line(demo_app, tmp_path) -> None:
    out = tmp_path / "preview.html"
    result = demo_app.test_cli_runner().invoke(
        args=["report", "--area", "METCALFE PARK", "--html", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "2400 block of N 35th St" in html and "2417" not in html
    assert db.session.scalar(db.select(db.func.count(MeetingReport.id))) == 0  # not printed
