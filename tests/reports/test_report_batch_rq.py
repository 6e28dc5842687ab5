"""A meeting calendar's batch on a real Redis and a real `flask worker` process."""

from __future__ import annotations

from pathlib import Path

import pytest
from redis import Redis

from community.extensions import db
from community.models import MeetingReport, ReportBatch, ReportBatchStatus
from tests.conftest import service_url
from tests.jobsupport import run_worker
from tests.reports.conftest import pdf_text


@pytest.mark.redis
def test_a_batch_is_made_by_an_rq_worker_and_resumes_after_a_stop(demo_app) -> None:
    from community.models import AreaKind
    from community.reports.areas import AreaSelection, report_areas
    from community.reports.batch import _one, batch_folder, create_batch, start_batch

    url = service_url("TEST_REDIS_URL")
    Redis.from_url(url).flushdb()
    demo_app.config["REDIS_URL"] = url
    batch = create_batch("police_district", "es")
    # As if a first worker had made one report and died: the rerun must not make it twice.
    batch.status = ReportBatchStatus.RUNNING
    first = report_areas(AreaKind.POLICE_DISTRICT)[0]
    batch_folder(batch.id).mkdir(parents=True)
    _one(batch, AreaSelection(AreaKind.POLICE_DISTRICT, (first,)), batch_folder(batch.id))
    db.session.commit()
    assert batch.done == 1
    start_batch(batch)
    done = run_worker(
        demo_app.config["SQLALCHEMY_DATABASE_URI"],
        url,
        REPORTS_FOLDER=demo_app.config["REPORTS_FOLDER"],
    )
    assert done.returncode == 0, done.stderr[-2000:]
    db.session.expire_all()
    batch = db.session.get(ReportBatch, batch.id)
    assert (batch.status, batch.done, batch.failed, batch.total) == ("done", 7, 0, 7)
    reports = db.session.scalars(db.select(MeetingReport).filter_by(batch_id=batch.id)).all()
    assert len({r.area_key for r in reports}) == len(reports) == 7
    folder = Path(batch_folder(batch.id))
    district3 = next(r for r in reports if r.area_label == "Police District 3")
    text = " ".join(pdf_text(folder / district3.file_name).split())
    assert "Informe para la reunión comunitaria" in text and "cuadra 2400 de N 35th St" in text
    assert "2417" not in text
