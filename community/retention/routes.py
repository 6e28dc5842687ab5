"""Admin page: erase one resident's data at once, at their request, by phone number."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length

from community.auth.session import roles_required
from community.models import Role
from community.retention.purge import erase_resident, find_resident

bp = Blueprint("retention", __name__)


class EraseForm(FlaskForm):
    phone = StringField("Resident's phone number", validators=[DataRequired(), Length(max=40)])
    confirm = BooleanField(
        "I understand this cannot be undone", validators=[DataRequired("Tick to confirm.")]
    )


def _page(form: EraseForm, code: int = 200):
    return render_template("retention/erase.html", form=form), code


@bp.route("/residents/erase")
@roles_required(Role.ADMIN)
def erase_form():
    return _page(EraseForm())


@bp.route("/residents/erase", methods=["POST"])
@roles_required(Role.ADMIN)
def erase():
    form = EraseForm()
    if not form.validate_on_submit():
        return _page(form, 400)
    try:
        resident = find_resident(form.phone.data)
    except ValueError:
        form.phone.errors.append("That is not a phone number.")
        return _page(form, 400)
    if resident is None:
        form.phone.errors.append("No resident has that number (or their data was already erased).")
        return _page(form, 404)
    counts = erase_resident(resident, current_user)
    # The number is not repeated back, nor kept anywhere: the page shows only what was removed.
    flash(f"Erased: {counts.line()}. Their cases stay, with category, place and redacted words.")
    return redirect(url_for("retention.erase_form"))
