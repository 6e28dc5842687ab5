"""Web form intake: GET the form, POST a concern, show the case number."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import get_locale

from community.extensions import db, limiter
from community.intake.forms import ReportForm
from community.intake.service import ConcernInput, IntakeError, submit_concern
from community.jobs import enqueue
from community.models import Category, Concern, ConcernSource

bp = Blueprint("intake", __name__)


def _category_choices(lang: str) -> list[tuple[str, str]]:
    categories = db.session.scalars(
        db.select(Category).filter_by(active=True).order_by(Category.severity.desc(), Category.id)
    )
    return [("", "—")] + [(c.code, c.name(lang)) for c in categories]


@bp.route("/report", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def report():
    lang = str(get_locale())
    form = ReportForm()
    form.category.choices = _category_choices(lang)
    if form.is_submitted():
        if form.validate():
            try:
                concern = submit_concern(
                    ConcernInput(
                        text=form.text.data,
                        category_code=form.category.data,
                        source=ConcernSource.WEB,
                        location_text=form.location.data,
                        language=lang,
                        phone=form.phone.data or None,
                        occurred_text=form.occurred.data or None,
                        intake_key=f"web:{form.submission.data}" if form.submission.data else None,
                    )
                )
            except IntakeError as error:
                getattr(form, error.field).errors.append(error.message)
            else:
                enqueue("locate_concern", concern.id)
                return redirect(url_for("intake.submitted", case_number=concern.case_number))
        return render_template("intake/report.html", form=form), 400
    return render_template("intake/report.html", form=form)


@bp.route("/report/<case_number>")
def submitted(case_number: str):
    concern = db.session.scalar(db.select(Concern).filter_by(case_number=case_number))
    if concern is None:
        abort(404)
    return render_template("intake/submitted.html", concern=concern)
