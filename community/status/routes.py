"""The public case status page and its lookup form (rate limited: no enumerating cases)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.exceptions import NotFound, TooManyRequests

from community.extensions import limiter
from community.intake.mycases import is_my_case
from community.status.forms import CaseLookupForm
from community.status.service import case_status, find_case

bp = Blueprint("status", __name__)


def _lookup_limit() -> str:
    return current_app.config["STATUS_LOOKUP_LIMIT"]


# Both routes count against one budget per client: a guessed number costs the same either way.
lookup_limit = limiter.shared_limit(_lookup_limit, scope="case-lookup")


@bp.route("/status")
@lookup_limit
def lookup():
    form = CaseLookupForm(request.args)
    if "case" not in request.args:
        return render_template("status/lookup.html", form=form)
    if form.validate():
        case_number = find_case(form.case.data)
        if case_number is not None:
            return redirect(url_for("status.case", case_number=case_number))
        form.case.errors = [_("That is not a case number. It looks like MKE-7K3Q.")]
    return render_template("status/lookup.html", form=form), 400


@bp.route("/status/<case_number>")
@lookup_limit
def case(case_number: str):
    normal = find_case(case_number)
    if normal is None:
        abort(404)
    if normal != case_number:
        return redirect(url_for("status.case", case_number=normal))
    status = case_status(case_number, str(get_locale()), mine=is_my_case(case_number))
    if status is None:
        abort(404)
    return render_template("status/case.html", case=status)


@bp.errorhandler(NotFound)
def _no_case(error: NotFound):
    form = CaseLookupForm(formdata=None)
    form.case.errors = [_("We could not find that case. Check the number and try again.")]
    return render_template("status/lookup.html", form=form), 404


@bp.errorhandler(TooManyRequests)
def _too_many(error: TooManyRequests):
    message = _("Too many case lookups from here. Please wait a while and try again.")
    return render_template("errors/error.html", code=429, message=message), 429
