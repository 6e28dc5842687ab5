"""Admin pages for Open311 API keys: list, create (the key is shown once), revoke."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from community.auth.session import roles_required
from community.errors import FRIENDLY
from community.extensions import db
from community.models import ApiKey, Role
from community.open311.keys import NAME_MAX, create_key, revoke_key

bp = Blueprint("keys", __name__)


@bp.errorhandler(403)
@bp.errorhandler(404)
def _html_error(error):
    # These are pages for people: the app's JSON answer for /open311/ paths is for the API.
    message = FRIENDLY.get(error.code, error.description)
    return render_template("errors/error.html", code=error.code, message=message), error.code


class KeyForm(FlaskForm):
    name = StringField("Client name", validators=[DataRequired(), Length(max=NAME_MAX)])


class RevokeForm(FlaskForm):
    pass


@bp.route("/", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def index():
    form = KeyForm()
    token = None
    status = 200
    if form.is_submitted():
        if form.validate():
            _, token = create_key(form.name.data, current_user)
            form = KeyForm(formdata=None)
        else:
            status = 400
    keys = db.session.scalars(db.select(ApiKey).order_by(ApiKey.active.desc(), ApiKey.id.desc()))
    response = render_template(
        "open311/keys.html", form=form, keys=keys.all(), token=token, revoke_form=RevokeForm()
    )
    # A freshly shown key must not linger in a shared cache or the back button's copy.
    return response, status, {"Cache-Control": "no-store"}


@bp.route("/<int:key_id>/revoke", methods=["POST"])
@roles_required(Role.ADMIN)
def revoke(key_id: int):
    key = db.session.get(ApiKey, key_id)
    if key is None:
        abort(404)
    if RevokeForm().validate_on_submit():
        revoke_key(key)
        flash(f"Key for {key.name} revoked.")
    return redirect(url_for("open311.keys.index"))
