"""A small, realistic data set for reports, built once per session from the real pipeline.

Concerns go through the real geocoder and clustering, and agencies work the hotspots through
the real workflow, like the demo but with 250 concerns instead of 2,000 (the benchmark uses
the full demo). Metcalfe Park gets known cases: a drug house at 2417 N 35th St reported with a
phone number in the text, a vacant building that was boarded up and resolved.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from community.extensions import db
from community.models import (
    ActionKind,
    AssignmentRole,
    Category,
    Concern,
    ConcernSource,
    Resident,
    User,
    utcnow,
)
from tests.conftest import fresh_app, make_app
from tests.factories import ConcernFactory, agency, make_staff

OUTPUT = Path(__file__).resolve().parent / "output"
REPORTER_PHONE = "+14145550187"
DRUG_TEXTS = [
    "people selling drugs out of the house at 2417 N 35th St every night, call me 414-555-0187",
    "drug dealing in front of 2417 N 35th St, cars stopping all day. text me at 414 555 0187",
    "people selling drugs out of the house at 2417 N 35th St every night call me 414-555-0187!!",
    "hand to hand sales by 2417 N 35th St, kids walk past to school (neighbor@example.org)",
    "venden drogas en la casa de 2417 N 35th St todas las noches",
]
VACANT_TEXTS = [
    "abandoned house at 2650 N 35th St, doors open and people sleeping inside",
    "vacant house 2650 N 35th St is open again, kids going in",
    "the empty house at 2650 N 35th St has no doors",
]
STAFF_NOTE = "STAFF ONLY informant lives next door"
PUBLIC_NOTE = "Officers patrolled 2417 N 35th St every night this week."


def _category(code: str) -> int:
    return db.session.scalar(db.select(Category.id).filter_by(code=code))


def _resident() -> Resident:
    from flask import current_app

    from community.privacy import PhoneVault

    vault = PhoneVault.from_config(current_app.config)
    resident = Resident(
        phone_encrypted=vault.encrypt(REPORTER_PHONE),
        phone_hash=vault.lookup_hash(REPORTER_PHONE),
        phone_last4=REPORTER_PHONE[-4:],
        language="en",
    )
    db.session.add(resident)
    db.session.commit()
    return resident


def _sherman_park_cases() -> list[int]:
    resident = _resident()
    now = utcnow()
    made = []
    for i, text in enumerate(DRUG_TEXTS):
        made.append(
            ConcernFactory(
                text=text,
                source=ConcernSource.SMS,
                resident=resident,
                language="es" if text.startswith("venden") else "en",
                reported_at=now - timedelta(days=3 + i),
            )
        )
    for i, text in enumerate(VACANT_TEXTS):
        made.append(
            ConcernFactory(
                text=text,
                category_id=_category("vacant_building"),
                reported_at=now - timedelta(days=6 + i),
            )
        )
    return [concern.id for concern in made]


def _work_the_hotspots(ids: list[int]) -> None:
    from community.workflow.service import assign, log_action, resolve

    prosecutor = db.session.scalar(db.select(User).filter_by(email="prosecutor@example.org"))
    drug = db.session.get(Concern, ids[0]).hotspot
    vacant = db.session.get(Concern, ids[-1]).hotspot
    assert drug is not None and vacant is not None and drug.id != vacant.id
    assign(drug, agency("MPD-D3"), AssignmentRole.LEAD, prosecutor, "district")
    assign(drug, agency("SHERMAN-PARK-CA"), AssignmentRole.PARTNER, prosecutor, None)
    action = log_action(
        drug, agency("MPD-D3"), ActionKind.DIRECTED_PATROL, prosecutor, STAFF_NOTE, PUBLIC_NOTE
    )
    action.outcome = "follow_up_needed"
    assign(vacant, agency("DNS"), AssignmentRole.LEAD, prosecutor, "vacant building")
    boarded = log_action(
        vacant, agency("DNS"), ActionKind.BOARD_UP, prosecutor, STAFF_NOTE, "Boarded and secured."
    )
    boarded.outcome = "property_secured"
    db.session.commit()
    resolve(vacant, prosecutor, "boarded up; owner cited")
    db.session.commit()


@pytest.fixture(scope="session")
def reports_template(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The migrated city database plus staff, 250 demo concerns and the Sherman Park cases."""
    from community.demo.seed import seed_concerns
    from community.hotspots.recluster import recluster
    from community.places.city import current_city
    from community.places.locate import locate_concern
    from community.privacy import PhoneVault

    path = tmp_path_factory.mktemp("reports") / "reports.sqlite"
    shutil.copy(sqlite_template, path)
    app = make_app(f"sqlite:///{path}")
    with app.app_context():
        make_staff()
        vault = PhoneVault.from_config(app.config)
        ids = seed_concerns(current_city(), vault, 250, seed=9)
        ours = _sherman_park_cases()
        for concern_id in [*ids, *ours]:
            locate_concern(concern_id)
        for concern_id in ours:
            concern = db.session.get(Concern, concern_id)
            assert concern.neighborhood is not None, concern.text
            assert concern.neighborhood.name == "METCALFE PARK", (
                concern.text,
                concern.neighborhood.name,
            )
        recluster()
        _work_the_hotspots(ours)
        db.session.remove()
        db.engine.dispose()
    return path


@pytest.fixture
def demo_app(reports_template: Path, tmp_path: Path) -> Iterator[Flask]:
    """A fresh app on its own copy of the reports data set."""
    yield from fresh_app(reports_template, tmp_path, REPORTS_FOLDER=str(tmp_path / "reports"))


@pytest.fixture
def demo_client(demo_app: Flask) -> FlaskClient:
    return demo_app.test_client()


def pdf_text(path: Path) -> str:
    """What a person reads in the PDF (pdftotext, reading order)."""
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, timeout=60
    )
    return done.stdout.decode("utf-8")


def first_page_png(path: Path, name: str) -> Path:
    """Page 1 at 60 dpi, kept in tests/reports/output/ for a person to look at."""
    OUTPUT.mkdir(exist_ok=True)
    stem = OUTPUT / name
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile", str(path), str(stem)],
        check=True,
        timeout=60,
    )
    return stem.with_suffix(".png")


def page_count(path: Path) -> int:
    done = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    line = next(line for line in done.stdout.splitlines() if line.startswith("Pages:"))
    return int(line.split()[1])
