"""The same report on PostgreSQL + PostGIS, the database used at scale."""

from __future__ import annotations

import pytest

from community.extensions import db
from tests.conftest import make_app
from tests.factories import ConcernFactory
from tests.reports.conftest import DRUG_TEXTS, pdf_text


@pytest.mark.postgres
def test_report_on_postgres(postgres_database, tmp_path) -> None:
    from flask_migrate import upgrade

    from community.demo.reference import load_reference_data
    from community.hotspots.recluster import recluster
    from community.places.areas import load_areas
    from community.places.city import current_city
    from community.places.locate import locate_concern

    app = make_app(postgres_database)
    with app.app_context():
        upgrade()
        load_areas(current_city())
        load_reference_data()
        for text in DRUG_TEXTS:
            locate_concern(ConcernFactory(text=text).id)
        recluster()
        out = tmp_path / "pg.pdf"
        runner = app.test_cli_runner()
        result = runner.invoke(args=["report", "--area", "METCALFE PARK", "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert "5 concerns, 1 hotspots" in result.output
        flat = " ".join(pdf_text(out).split())
        assert "2400 block of N 35th St" in flat and "2417" not in flat
        again = runner.invoke(args=["report", "--area", "METCALFE PARK", "--out", str(out)])
        assert "0 concerns" in again.output  # since the last report, which just ended
        db.session.remove()
        db.engine.dispose()
