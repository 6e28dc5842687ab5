"""The flask commands a deployer and a newcomer run."""

from __future__ import annotations

import sqlalchemy as sa

from community.extensions import db
from community.models import (
    Agency,
    Area,
    Assignment,
    Concern,
    ConcernStatus,
    Hotspot,
    Resident,
    User,
)


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_load_city_is_idempotent(app) -> None:
    runner = app.test_cli_runner()
    areas, agencies = _count(Area), _count(Agency)
    result = runner.invoke(args=["load-city"])
    assert result.exit_code == 0, result.output
    assert "190 neighborhood" in result.output and "7 police_district" in result.output
    assert "0 agencies, 0 categories" in result.output
    assert (_count(Area), _count(Agency)) == (areas, agencies) == (560, 14)


def test_demo_builds_a_living_system(app) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "--concerns", "300", "--seed", "7"])
    assert result.exit_code == 0, result.output
    assert _count(Concern) == 300
    located = db.session.scalar(
        sa.select(sa.func.count(Concern.id)).where(Concern.lat.is_not(None))
    )
    assert located / 300 > 0.85  # real WIBR addresses through the real geocoder
    assert _count(Hotspot) >= 5 and _count(Assignment) > 0
    assert db.session.scalar(
        sa.select(sa.func.count(Concern.id)).where(Concern.status == ConcernStatus.RESOLVED)
    )
    spanish = db.session.scalars(sa.select(Concern.text).where(Concern.language == "es")).all()
    assert spanish and all("{addr}" not in text for text in spanish)
    assert {u.role for u in db.session.scalars(sa.select(User))} == {
        "admin",
        "prosecutor",
        "agency_staff",
        "viewer",
    }
    assert all(r.phone_last4 for r in db.session.scalars(sa.select(Resident)))
    again = runner.invoke(args=["demo", "--if-empty"])
    assert "nothing to do" in again.output and _count(Concern) == 300


def test_demo_logins_are_printed(app) -> None:
    output = app.test_cli_runner().invoke(args=["demo-logins"]).output
    assert "prosecutor@demo.example.org" in output and "demo-prosecutor" in output


def test_demo_refuses_production(app) -> None:
    app.config["ENV_NAME"] = "production"
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code != 0 and "never loaded in production" in result.output
    assert _count(Concern) == 0


def test_locate_recluster_and_sweep_commands(app) -> None:
    runner = app.test_cli_runner()
    assert "0 of 0 placed" in runner.invoke(args=["locate"]).output
    assert "recluster: 0 concerns" in runner.invoke(args=["recluster"]).output
    assert (
        "sweep: 0 locate_concern, 0 recluster, 0 process_sms"
        in runner.invoke(args=["sweep"]).output
    )


def test_worker_needs_redis(app) -> None:
    result = app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code != 0 and "REDIS_URL is not set" in result.output


def test_geocode_prints_the_json_contract(app) -> None:
    import json

    result = app.test_cli_runner().invoke(args=["geocode", "shots fired by 35th and Burleigh"])
    assert result.exit_code == 0, result.output
    place = json.loads(result.output)
    assert place["kind"] == "intersection" and place["label"] == "N 35th St & W Burleigh St"
    assert abs(place["lat"] - 43.0748) < 0.002 and abs(place["lon"] + 87.9577) < 0.002
    assert place["neighborhood"] and place["aldermanic_district"]
    assert isinstance(place["alternatives"], list) and 0 < place["confidence"] <= 1


def test_geocode_file_keeps_order_and_survives_bad_lines(app, tmp_path) -> None:
    import json

    lines = [
        "2263 N Lake Dr",
        "",
        "<script>alert(1)</script>",
        "x" * 5000,
        "venden drogas en la 16 y National",
    ]
    path = tmp_path / "messages.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["geocode", "--file", str(path)])
    assert result.exit_code == 0, result.output
    places = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [p["kind"] for p in places] == ["address", "none", "none", "none", "intersection"]
    assert places[0]["label"] == "2263 N Lake Dr" and places[0]["lat"] is not None
    assert places[1]["lat"] is None and places[1]["alternatives"] == []


def test_geocode_needs_text_or_file(app) -> None:
    result = app.test_cli_runner().invoke(args=["geocode"])
    assert result.exit_code == 2 and "give either TEXT or --file" in result.output


def test_commands_on_an_unmigrated_database_say_what_to_do(tmp_path) -> None:
    from tests.conftest import make_app

    app = make_app(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    with app.app_context():
        for command in (["load-city"], ["demo"], ["locate"], ["recluster"], ["sweep"]):
            result = app.test_cli_runner().invoke(args=command)
            assert result.exit_code == 1
            assert "run `flask db upgrade` first" in result.output
