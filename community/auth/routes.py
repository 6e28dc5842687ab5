"""Sign in and out, one's own account, and accepting an invitation."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required, login_user

from community.auth import accounts
from community.auth.forms import ChangePasswordForm, ConfirmForm, LoginForm, SetPasswordForm
from community.auth.session import end_session, start_session
from community.extensions import limiter

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    # Only local paths: never redirect a signed-in user to another site. Browsers drop tabs
    # and newlines ("/\t/evil.com" becomes "//evil.com"), so any control character or space
    # refuses the target; urlsplit catches a scheme or a host written any other way.
    if target and _is_local_path(target):
        return target
    return url_for("staff.hotspots")


def _is_local_path(target: str) -> bool:
    if any(ch.isspace() or unicodedata.category(ch)[0] == "C" for ch in target):
        return False
    parts = urlsplit(target)
    return (
        not parts.scheme
        and not parts.netloc
        and target.startswith("/")
        and not target.startswith(("//", "/\\"))
    )


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    form = LoginForm()
    if form.is_submitted():
        if form.validate():
            result = accounts.authenticate(
                form.email.data, form.password.data, request.remote_addr or ""
            )
            if result.user is not None:
                start_session(result.user)
                return redirect(_safe_next(request.args.get("next")))
            form.password.errors.append(result.error)
        return render_template("auth/login.html", form=form), 400
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    end_session()
    flash("Signed out.")
    return redirect(url_for("public.home"))


@bp.route("/account")
@login_required
def account():
    return render_template(
        "auth/account.html", password_form=ChangePasswordForm(), everywhere_form=ConfirmForm()
    )


@bp.route("/account/password", methods=["POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(current_user, form.current.data, form.password.data)
        except accounts.AccountError as error:
            form.form_errors.append(str(error))
        else:
            # This browser stays signed in with the new token. The user itself, not the
            # current_user proxy: Flask-Login keeps what it is given as the current user.
            login_user(current_user._get_current_object())
            flash("Password changed. Every other browser is signed out.")
            return redirect(url_for("auth.account"))
    page = render_template("auth/account.html", password_form=form, everywhere_form=ConfirmForm())
    return page, 400


@bp.route("/account/logout-everywhere", methods=["POST"])
@login_required
def logout_everywhere():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    accounts.logout_everywhere(current_user)
    end_session()
    flash("Signed out on every device.")
    return redirect(url_for("public.home"))


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept_invite(token: str):
    user = accounts.user_for_invite(token)
    if user is None or not user.active:
        abort(
            404,
            description="This invitation link is not valid or has expired. "
            "Ask an admin for a new one.",
        )
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.accept_invite(token, form.password.data)
        except accounts.AccountError as error:
            form.password.errors.append(str(error).removeprefix("Password: "))
        else:
            end_session()
            flash("Your password is set. Sign in with it now.")
            return redirect(url_for("auth.login"))
    code = 400 if form.is_submitted() else 200
    return render_template("auth/invite.html", form=form, user=user), code
