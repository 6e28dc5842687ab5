"""A batch: one report per area of a kind (a meeting calendar), made by a background job.

Progress is written to the ReportBatch row after every report, so any page can show it. A
batch that stopped half way (a worker restarted) resumes where it stopped when run again:
areas that already have their report in the batch are skipped.
"""

from __future__ import annotations

import logging
import os
import threading
from datetime import date, datetime, timedelta
from pathlib import Path

from flask import Flask, current_app

from community.extensions import db
from community.filters import city_midnight
from community.models import AreaKind, MeetingReport, ReportBatch, ReportBatchStatus, utcnow
from community.reports.areas import REPORT_KINDS, AreaSelection, report_areas
from community.reports.build import file_name, make_report, report_pdf
from community.reports.i18n import LANGUAGES
from community.reports.service import (
    DEFAULT_DAYS,
    MAX_DAYS,
    Period,
    last_report_end,
    record_report,
)

log = logging.getLogger(__name__)
JOB_TIMEOUT = 3600  # seconds: a calendar of 190 reports takes minutes, not RQ's default 3


class BatchError(ValueError):
    """A batch that cannot be started; the message says why."""


def batch_folder(batch_id: int) -> Path:
    return Path(current_app.config["REPORTS_FOLDER"]) / f"batch-{batch_id}"


def create_batch(
    kind: str,
    language: str,
    since: date | None = None,
    until: date | None = None,
    user_id: int | None = None,
) -> ReportBatch:
    """Record a batch for every area of `kind` (not yet started)."""
    if kind not in {str(k) for k in REPORT_KINDS}:
        raise BatchError("Choose neighbourhoods, aldermanic districts or police districts.")
    if language not in LANGUAGES:
        raise BatchError("Choose English or Spanish.")
    now = utcnow()
    end = min(city_midnight(until + timedelta(days=1)), now) if until else now
    start = city_midnight(since) if since else None
    if start is not None and start >= end:
        raise BatchError("The period must start before it ends (and not in the future).")
    if start is not None and end - start > timedelta(days=MAX_DAYS):
        raise BatchError(f"A report covers at most {MAX_DAYS} days; choose a later start date.")
    batch = ReportBatch(
        area_kind=kind,
        language=language,
        since=start,
        until=end,
        total=len(report_areas(AreaKind(kind))),
        started_by_id=user_id,
    )
    db.session.add(batch)
    db.session.commit()
    return batch


def start_batch(batch: ReportBatch) -> None:
    """Run the batch in the background: on an RQ worker with Redis, else in a thread."""
    if current_app.config.get("REDIS_URL"):
        from community.jobs import get_queue

        # Enqueued here rather than through jobs.enqueue: the batch needs a longer timeout.
        get_queue().enqueue_call(
            "community.jobs.report_batch",
            args=(batch.id,),
            job_id=f"report_batch-{batch.id}",
            timeout=JOB_TIMEOUT,
            result_ttl=0,
            failure_ttl=86400,
        )
        return
    app = current_app._get_current_object()
    threading.Thread(
        target=_run_in_thread, args=(app, batch.id), name=f"report-batch-{batch.id}", daemon=True
    ).start()


def _run_in_thread(app: Flask, batch_id: int) -> None:
    with app.app_context():
        try:
            run_batch(batch_id)
        finally:
            db.session.remove()


def run_batch(batch_id: int, progress=None) -> ReportBatch | None:
    """Make every report of the batch that is not made yet; safe to run again."""
    batch = db.session.get(ReportBatch, batch_id)
    if batch is None or batch.status == ReportBatchStatus.DONE:
        return batch
    batch.status = ReportBatchStatus.RUNNING
    db.session.commit()
    folder = batch_folder(batch.id)
    folder.mkdir(parents=True, exist_ok=True)
    made = set(db.session.scalars(db.select(MeetingReport.area_key).filter_by(batch_id=batch.id)))
    try:
        for area in report_areas(AreaKind(batch.area_kind)):
            selection = AreaSelection(kind=AreaKind(batch.area_kind), areas=(area,))
            if selection.key in made:
                continue
            _one(batch, selection, folder)
            db.session.commit()
            if progress:
                progress(batch)
    except Exception as exc:  # the database went away: say so on the progress page
        db.session.rollback()
        batch = db.session.get(ReportBatch, batch_id)
        batch.status = ReportBatchStatus.FAILED
        batch.error = f"{type(exc).__name__}: {exc}"[:2000]
        db.session.commit()
        raise
    batch.status = ReportBatchStatus.DONE
    batch.finished_at = utcnow()
    db.session.commit()
    return batch


def _one(batch: ReportBatch, selection: AreaSelection, folder: Path) -> None:
    """One area's report written to the batch folder; a failure is counted, not fatal."""
    try:
        report = make_report(selection, _period(batch, selection), batch.language)
        name = file_name(report.facts)
        _write_atomically(folder / name, report_pdf(report))
        record_report(report.facts, batch.started_by_id, batch.id, name)
        batch.done += 1
    except Exception as exc:  # one bad area must not stop the other 189
        log.exception("report for %s in batch %s failed", selection.label, batch.id)
        db.session.rollback()
        batch.failed += 1
        batch.error = ((batch.error or "") + f"{selection.label}: {exc}\n")[-2000:]


def _period(batch: ReportBatch, selection: AreaSelection) -> Period:
    start: datetime | None = batch.since
    if start is None:
        start = last_report_end(selection)
        if start is None or start >= batch.until:
            start = batch.until - timedelta(days=DEFAULT_DAYS)
    start = max(start, batch.until - timedelta(days=MAX_DAYS))  # last report long ago
    return Period(start=start, end=batch.until)


def _write_atomically(path: Path, data: bytes) -> None:
    partial = path.with_suffix(".part")
    partial.write_bytes(data)
    os.replace(partial, path)


def batch_files(batch: ReportBatch) -> list[MeetingReport]:
    """The reports a batch has made so far, by area."""
    return list(
        db.session.scalars(
            db.select(MeetingReport)
            .filter_by(batch_id=batch.id)
            .where(MeetingReport.file_name.is_not(None))
            .order_by(MeetingReport.area_label)
        )
    )
