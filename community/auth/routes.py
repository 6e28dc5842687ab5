"""Sign in and out."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from community.extensions import db, limiter
from community.models import User, utcnow

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=200)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])


def _safe_next(target: str | None) -> str:
    # Only local paths: never redirect a signed-in user to another site.
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("staff.hotspots")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def login():
    form = LoginForm()
    if form.is_submitted():
        if form.validate():
            user = db.session.scalar(
                db.select(User).filter_by(email=form.email.data.strip().lower())
            )
            if user and user.active and user.check_password(form.password.data):
                user.last_login_at = utcnow()
                db.session.commit()
                login_user(user)
                return redirect(_safe_next(request.args.get("next")))
            form.password.errors.append("Wrong e-mail or password.")
        return render_template("auth/login.html", form=form), 400
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    flash("Signed out.")
    return redirect(url_for("public.home"))
