"""The same evaluations on PostgreSQL: epoch seconds, window functions, the panel's queries."""

from __future__ import annotations

import pytest

from community.extensions import db
from tests.conftest import make_app
from tests.evaluation.history import build_history


@pytest.mark.postgres
def test_evaluations_on_postgres(postgres_database) -> None:
    from flask_migrate import upgrade

    from community.demo.reference import load_reference_data
    from community.evaluation.service import evaluate_since, for_hotspot
    from community.models import Hotspot

    app = make_app(postgres_database)
    with app.app_context():
        upgrade()
        load_reference_data()
        made = build_history()
        found = {e.response.response: e for e in evaluate_since(now=made.now)}
        first = found["first_action"].counts
        assert (first.before, first.after, first.ring_before, first.ring_after) == (14, 3, 4, 4)
        assert (first.control_before, first.control_after) == (100, 100)
        assert found["first_action"].figures.verdict == "fell"
        panel = for_hotspot(db.session.get(Hotspot, made.hotspot_id), now=made.now)
        assert [p.evaluation.counts for p in panel] == [first, found["resolution"].counts]
        assert sum(panel[0].before_weeks) == 14 and sum(panel[0].after_weeks) == 3
        db.session.remove()
        db.engine.dispose()
