"""Web form intake: the form, its live helpers (suggestions, nearby reports), the case number."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import RequestEntityTooLarge, TooManyRequests

from community.extensions import db, limiter
from community.intake.errors import IntakeError
from community.intake.forms import ReportForm
from community.intake.mycases import is_my_case, remember_case
from community.intake.photos import megabytes, photo_limits
from community.intake.suggest import MIN_QUERY, name_point, suggestions
from community.intake.web import (
    LocationCheck,
    WebReport,
    active_category,
    check_location,
    nearby_for,
    other_problems,
    submit_web_report,
)
from community.intake.where import locate_report, parse_point
from community.models import Category, Concern

bp = Blueprint("intake", __name__)

HELPER_LIMIT = "30 per minute;300 per hour"  # suggestions and nearby: a debounced typist


def _lang() -> str:
    return str(get_locale())


def _category_choices(lang: str) -> list[tuple[str, str]]:
    categories = db.session.scalars(
        db.select(Category).filter_by(active=True).order_by(Category.severity.desc(), Category.id)
    )
    return [("", "—")] + [(c.code, c.name(lang)) for c in categories]


def _form(**kwargs: object) -> ReportForm:
    form = ReportForm(**kwargs)
    form.category.choices = _category_choices(_lang())
    return form


def _web_report(form: ReportForm) -> WebReport:
    return WebReport(
        text=form.text.data or "",
        category_code=form.category.data or "",
        location_text=(form.location.data or "").strip(),
        point=form.point.data or None,
        occurred_text=form.occurred.data or None,
        phone=form.phone.data or None,
        submission=form.submission.data or None,
        language=_lang(),
    )


def _render_form(
    form: ReportForm,
    status: int = 200,
    check: LocationCheck | None = None,
    photo_dropped: bool = False,
):
    max_bytes, _dimension = photo_limits()
    # A phone number is never shown back, not even to the person who typed it.
    phone_cleared = bool(form.phone.data)
    form.phone.data = ""
    return (
        render_template(
            "intake/report.html",
            form=form,
            check=check,
            photo_dropped=photo_dropped,
            phone_cleared=phone_cleared,
            photo_mb=megabytes(max_bytes),
        ),
        status,
    )


@bp.route("/report", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def report():
    form = _form()
    if not form.is_submitted():
        return _render_form(form)
    data = _web_report(form)
    if not form.validate():
        for problem in other_problems(data, form.photo.data):
            _add_error(form, problem)
        return _render_form(form, 400)
    try:
        if request.form.get("action") == "check":
            # A browser never re-sends a file: say so rather than lose the photo silently.
            dropped = bool(form.photo.data and form.photo.data.filename)
            return _render_form(form, check=check_location(data), photo_dropped=dropped)
        concern = submit_web_report(data, form.photo.data)
    except IntakeError as error:
        _add_error(form, error)
        return _render_form(form, 400)
    remember_case(concern.case_number)
    return redirect(url_for("intake.submitted", case_number=concern.case_number))


def _add_error(form: ReportForm, error: IntakeError) -> None:
    field = getattr(form, error.field)
    if error.message not in field.errors:
        field.errors = [*field.errors, error.message]


@bp.route("/report/<case_number>")
def submitted(case_number: str):
    """The thank-you page, for the browser that sent the report; others see the status page."""
    if not is_my_case(case_number):
        return redirect(url_for("status.case", case_number=case_number))
    concern = db.session.scalar(db.select(Concern).filter_by(case_number=case_number))
    if concern is None:
        return redirect(url_for("status.case", case_number=case_number))
    return render_template("intake/submitted.html", concern=concern)


@bp.route("/report/suggest")
@limiter.limit(HELPER_LIMIT)
def suggest():
    """Readings of what the resident has typed so far (JSON)."""
    text = (request.args.get("q") or "").strip()
    if len(text) < MIN_QUERY:
        return jsonify(error=_("Type at least %(n)s letters.", n=MIN_QUERY), results=[]), 400
    return jsonify(results=suggestions(text))


@bp.route("/report/point")
@limiter.limit(HELPER_LIMIT)
def point():
    """What a tapped point is next to (JSON)."""
    try:
        where = parse_point(request.args.get("point"))
    except IntakeError as error:
        return jsonify(error=str(error.message)), 400
    if where is None:
        return jsonify(error=_("Tap the map to choose a place.")), 400
    return jsonify(name_point(*where))


@bp.route("/report/nearby")
@limiter.limit(HELPER_LIMIT)
def nearby():
    """Open problems of the chosen kind near the chosen place, as an HTML fragment (or JSON)."""
    category = active_category(request.args.get("category"))
    try:
        located = locate_report(
            request.args.get("location"), parse_point(request.args.get("point"))
        )
    except IntakeError as error:
        if request.args.get("format") == "json":
            return jsonify(error=str(error.message)), 400
        return render_template("intake/_nearby.html", nearby=None, error=error.message), 400
    found = nearby_for(located, category.code, _lang()) if category else None
    if request.args.get("format") == "json":
        return jsonify(nearby=found.to_dict(_lang()) if found else None)
    return render_template("intake/_nearby.html", nearby=found, error=None)


def _is_helper() -> bool:
    return request.endpoint in ("intake.suggest", "intake.point", "intake.nearby")


@bp.errorhandler(CSRFError)
def _expired(error: CSRFError):
    """A replayed or stale form: say so in the page's language, with a fresh form."""
    form = _form()  # filled in from what was sent (its one-time key too: no second concern)
    form.form_errors.append(
        _("This form expired or was sent twice. Check your report and send it again.")
    )
    return _render_form(form, 400)


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error: RequestEntityTooLarge):
    form = _form(formdata=None)  # the body was not read: reading it again would fail again
    max_bytes, _dimension = photo_limits()
    limit = min(max_bytes, current_app.config.get("MAX_CONTENT_LENGTH") or max_bytes)
    form.form_errors.append(
        _(
            "That was too large to send. A photo can be up to %(mb)s MB: choose a smaller one.",
            mb=megabytes(limit),
        )
    )
    return _render_form(form, 413)


@bp.errorhandler(TooManyRequests)
def _too_many(error: TooManyRequests):
    message = _("Too many requests. Please wait a minute and try again.")
    if _is_helper():
        return jsonify(error=message), 429
    return render_template("errors/error.html", code=429, message=message), 429
