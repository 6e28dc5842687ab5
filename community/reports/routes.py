"""Staff pages for meeting reports: pick area and period, preview, download, run a batch."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from community.auth.session import roles_required
from community.extensions import db
from community.models import AreaKind, ReportBatch, Role
from community.reports import i18n
from community.reports.areas import report_areas
from community.reports.batch import (
    BatchError,
    batch_files,
    batch_folder,
    create_batch,
    start_batch,
)
from community.reports.build import file_name, make_report, report_pdf
from community.reports.requests import ReportInputError, ReportRequest, parse_day, read_request
from community.reports.service import record_report
from community.security.headers import standalone_document

bp = Blueprint("reports", __name__)
STAFF = (Role.ADMIN, Role.PROSECUTOR, Role.AGENCY_STAFF, Role.VIEWER)
# Recording a report moves an area's "since last report" default and a batch renders every
# area's PDF: the unit's own staff decide those; every staff role may preview and download.
RECORDERS = (Role.ADMIN, Role.PROSECUTOR)


def _may_record() -> bool:
    return current_user.role in RECORDERS


def _page(template: str, status: int = 200, **context: object):
    """A staff page in the UI's language, its words from the reports' catalogue."""
    language = str(i18n.current_language())
    with i18n.report_locale(language):
        # rt/rngettext: the reports' catalogue; the base layout keeps the app's own `_`.
        html = render_template(
            template, rt=i18n.gettext, rngettext=i18n.ngettext, language=language, **context
        )
    return html, status


def _form_page(error: str | None = None, status: int = 200):
    areas = report_areas()
    groups = {kind: [a for a in areas if a.kind == kind] for kind in AreaKind}
    return _page(
        "reports/index.html",
        status,
        groups=groups,
        error=error,
        may_record=_may_record(),
        form=request.form if request.method == "POST" else request.args,
        batches=db.session.scalars(
            db.select(ReportBatch).order_by(ReportBatch.id.desc()).limit(10)
        ).all(),
    )


@bp.route("/")
@roles_required(*STAFF)
def index():
    return _form_page()


def _requested(form: MultiDict) -> ReportRequest:
    """The report form's area, period and language (ReportInputError when they are wrong)."""
    return read_request(
        [*form.getlist("area"), form.get("area_text", "")],
        form.get("since"),
        form.get("until"),
        form.get("language", "en"),
    )


@bp.route("/make", methods=["POST"])
@roles_required(*STAFF)
def make():
    """Preview (HTML) or download (PDF; recorded as the area's latest report for RECORDERS)."""
    form = request.form
    try:
        wanted = _requested(form)
    except ReportInputError as exc:
        return _form_page(str(exc), 400)
    preview = form.get("action") == "preview"
    report = make_report(wanted.selection, wanted.period, wanted.language, preview=preview)
    if preview:
        # The printable page carries its own stylesheet (WeasyPrint fetches nothing): a policy
        # for a standalone document, inline styles and no script at all.
        return standalone_document(make_response(report.html))
    data = report_pdf(report)
    if _may_record():
        record_report(report.facts, user_id=current_user.id)
    return Response(
        data,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{file_name(report.facts)}"'},
    )


@bp.route("/map", methods=["POST"])
@roles_required(*STAFF)
def download_map():
    """The report's area and period as a map file to hand over (HTML, opens with no network)."""
    from community.reports.areamap import area_map, download

    try:
        wanted = _requested(request.form)
    except ReportInputError as exc:
        return _form_page(str(exc), 400)
    return download(area_map(wanted.selection, wanted.period, wanted.language))


@bp.route("/batches", methods=["POST"])
@roles_required(*RECORDERS)
def start():
    form = request.form
    try:
        batch = create_batch(
            form.get("kind", ""),
            form.get("language", "en"),
            parse_day(form.get("since"), "start"),
            parse_day(form.get("until"), "end"),
            current_user.id,
        )
    except (BatchError, ReportInputError) as exc:
        return _form_page(str(exc), 400)
    start_batch(batch)
    return redirect(url_for("reports.batch", batch_id=batch.id))


def _batch_or_404(batch_id: int) -> ReportBatch:
    batch = db.session.get(ReportBatch, batch_id)
    if batch is None:
        abort(404)
    return batch


@bp.route("/batches/<int:batch_id>")
@roles_required(*STAFF)
def batch(batch_id: int):
    batch = _batch_or_404(batch_id)
    return _page("reports/batch.html", batch=batch, files=batch_files(batch))


@bp.route("/batches/<int:batch_id>/progress.json")
@roles_required(*STAFF)
def progress(batch_id: int):
    batch = _batch_or_404(batch_id)
    return jsonify(
        status=str(batch.status),
        total=batch.total,
        done=batch.done,
        failed=batch.failed,
    )


@bp.route("/batches/<int:batch_id>/files/<path:name>")
@roles_required(*STAFF)
def batch_file(batch_id: int, name: str):
    batch = _batch_or_404(batch_id)
    if name not in {report.file_name for report in batch_files(batch)}:
        abort(404)
    return send_from_directory(batch_folder(batch.id), name, as_attachment=True)
