"""The same map files on PostgreSQL + PostGIS, the database used at scale."""

from __future__ import annotations

import re

import pytest

from community.extensions import db
from tests.conftest import make_app
from tests.factories import ConcernFactory
from tests.reports.conftest import DRUG_TEXTS


@pytest.mark.postgres
def test_area_city_and_hotspot_maps_on_postgres(postgres_database, tmp_path) -> None:
    from flask_migrate import upgrade

    from community.demo.reference import load_reference_data
    from community.hotspots.recluster import recluster
    from community.models import Concern
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
        hotspot = db.session.scalar(db.select(Concern.hotspot_id).filter_by(text=DRUG_TEXTS[0]))
        runner = app.test_cli_runner()
        for args in (
            ["--area", "METCALFE PARK", "--lang", "es", "--heat"],
            ["--city"],
            ["--hotspot", str(hotspot)],
        ):
            out = tmp_path / "map.html"
            result = runner.invoke(args=["map", *args, "--out", str(out)])
            assert result.exit_code == 0, result.output
            assert "map: 1 hotspots, 5 concerns" in result.output, (args, result.output)
            html = out.read_text(encoding="utf-8")
            assert 'data-hotspots="1"' in html
            assert not re.search(r"(?<![\d.])2417(?!\d)", html)
        db.session.remove()
        db.engine.dispose()
