"""Admin views: invite and manage staff, edit routing rules and service levels."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from community.admin.forms import (
    InviteForm,
    RuleForm,
    ServiceLevelForm,
    UserForm,
    service_level_field,
)
from community.auth import accounts
from community.auth.forms import ConfirmForm
from community.auth.session import roles_required
from community.extensions import db
from community.models import Category, Role, RoutingRule, User
from community.routing.rules import RuleError, all_rules, save_rule
from community.staff.pages import active_agencies
from community.urls import absolute_url

bp = Blueprint("admin", __name__)


def _agency_choices(form, blank: str = "None") -> None:
    form.agency_id.choices = [(None, blank)] + [(a.id, a.name) for a in active_agencies()]


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/")
@roles_required(Role.ADMIN)
def index():
    return redirect(url_for("admin.users"))


def _users_page(form: InviteForm, code: int = 200, link: str | None = None):
    users = db.session.scalars(db.select(User).order_by(User.active.desc(), User.email)).all()
    return (
        render_template(
            "admin/users.html", users=users, form=form, link=link, confirm=ConfirmForm()
        ),
        code,
    )


@bp.route("/users")
@roles_required(Role.ADMIN)
def users():
    form = InviteForm()
    _agency_choices(form)
    return _users_page(form)


@bp.route("/users", methods=["POST"])
@roles_required(Role.ADMIN)
def invite():
    form = InviteForm()
    _agency_choices(form)
    if form.validate_on_submit():
        try:
            user, token = accounts.invite(
                form.email.data, form.name.data, Role(form.role.data), form.agency_id.data
            )
        except accounts.AccountError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            link = absolute_url("auth.accept_invite", token=token)
            flash(f"Invitation made for {user.email}. Send them this link; it works once.")
            return _users_page(_fresh_invite_form(), 201, link)
    return _users_page(form, 400)


def _fresh_invite_form() -> InviteForm:
    form = InviteForm(formdata=None)
    _agency_choices(form)
    return form


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def user(user_id: int):
    account = _user_or_404(user_id)
    form = UserForm(obj=account if request.method == "GET" else None)
    _agency_choices(form)
    code = 200
    if form.is_submitted():
        if form.validate():
            try:
                accounts.update(
                    account, current_user, form.name.data, Role(form.role.data), form.agency_id.data
                )
            except accounts.AccountError as error:
                db.session.rollback()
                form.form_errors.append(str(error))
            else:
                flash(f"{account.email} updated.")
                return redirect(url_for("admin.user", user_id=account.id))
        code = 400
    page = render_template("admin/user.html", account=account, form=form, confirm=ConfirmForm())
    return page, code


def _account_change(user_id: int, change, message: str):
    account = _user_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400, description="This form expired. Reload the page and try again.")
    try:
        result = change(account)
    except accounts.AccountError as error:
        db.session.rollback()
        flash(str(error))
        return redirect(url_for("admin.user", user_id=account.id)), 303
    flash(message.format(email=account.email))
    if isinstance(result, str):  # a new invitation link, shown once
        link = absolute_url("auth.accept_invite", token=result)
        page = render_template(
            "admin/user.html",
            account=account,
            form=_user_form(account),
            confirm=ConfirmForm(),
            link=link,
        )
        return page, 201
    return redirect(url_for("admin.user", user_id=account.id))


def _user_form(account: User) -> UserForm:
    form = UserForm(formdata=None, obj=account)
    _agency_choices(form)
    return form


@bp.route("/users/<int:user_id>/disable", methods=["POST"])
@roles_required(Role.ADMIN)
def disable_user(user_id: int):
    return _account_change(
        user_id,
        lambda u: accounts.set_active(u, current_user, False),
        "{email} is disabled and signed out everywhere.",
    )


@bp.route("/users/<int:user_id>/enable", methods=["POST"])
@roles_required(Role.ADMIN)
def enable_user(user_id: int):
    return _account_change(
        user_id, lambda u: accounts.set_active(u, current_user, True), "{email} is enabled."
    )


@bp.route("/users/<int:user_id>/unlock", methods=["POST"])
@roles_required(Role.ADMIN)
def unlock_user(user_id: int):
    """Lift every sign-in pause on the account (after too many wrong passwords anywhere)."""
    return _account_change(
        user_id, accounts.lift_sign_in_pauses, "{email} can sign in again from every device."
    )


@bp.context_processor
def _sign_in_pauses() -> dict:
    return {"sign_in_pauses": accounts.sign_in_pauses}


@bp.route("/users/<int:user_id>/reinvite", methods=["POST"])
@roles_required(Role.ADMIN)
def reinvite_user(user_id: int):
    return _account_change(
        user_id,
        accounts.reinvite,
        "New invitation for {email}: their old password and sessions no longer work.",
    )


# Routing rules ---------------------------------------------------------------------------


def _rule_form(rule: RoutingRule | None = None, from_request: bool = True) -> RuleForm:
    """The rule form, from the request or showing a stored rule (or a blank one)."""
    if from_request:
        form = RuleForm()
    else:
        form = RuleForm(formdata=None, obj=rule)
        if rule is not None:
            form.partner_ids.data = [p.id for p in rule.partners]
            form.area_kind.data = str(rule.area_kind) if rule.area_kind else ""
    categories = db.session.scalars(db.select(Category).order_by(Category.name_en)).all()
    form.category_id.choices = [(None, "Any category")] + [(c.id, c.name_en) for c in categories]
    agencies = [(a.id, a.name) for a in active_agencies()]
    form.lead_agency_id.choices = agencies
    form.partner_ids.choices = agencies
    return form


def _rules_page(form: RuleForm, code: int = 200):
    return render_template("admin/routing.html", rules=all_rules(), form=form), code


@bp.route("/routing")
@roles_required(Role.ADMIN)
def routing():
    return _rules_page(_rule_form(from_request=False))


def _save(rule: RoutingRule | None, form: RuleForm) -> str | None:
    """Save the rule from the form; the problem when it cannot be saved."""
    try:
        saved = save_rule(
            rule,
            category_id=form.category_id.data,
            area_kind=form.area_kind.data or None,
            area_code=form.area_code.data,
            lead_agency_id=form.lead_agency_id.data,
            partner_ids=form.partner_ids.data or [],
            note=form.note.data,
            active=form.active.data,
        )
        db.session.commit()
    except RuleError as error:
        db.session.rollback()
        return str(error)
    flash(f"Rule #{saved.id} saved: {saved.describe()}.")
    return None


@bp.route("/routing", methods=["POST"])
@roles_required(Role.ADMIN)
def create_rule():
    form = _rule_form()
    if form.validate_on_submit():
        problem = _save(None, form)
        if problem is None:
            return redirect(url_for("admin.routing"))
        form.form_errors.append(problem)
    return _rules_page(form, 400)


@bp.route("/routing/<int:rule_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def rule(rule_id: int):
    existing = db.session.get(RoutingRule, rule_id)
    if existing is None:
        abort(404)
    if request.method == "GET":
        return render_template(
            "admin/rule.html", rule=existing, form=_rule_form(existing, from_request=False)
        )
    form = _rule_form()
    if form.validate_on_submit():
        problem = _save(existing, form)
        if problem is None:
            return redirect(url_for("admin.routing"))
        form.form_errors.append(problem)
    return render_template("admin/rule.html", rule=existing, form=form), 400


# Service levels --------------------------------------------------------------------------


def _service_level_form(categories: list[Category], formdata: bool) -> ServiceLevelForm:
    class Form(ServiceLevelForm):
        pass

    for category in categories:
        setattr(Form, f"days_{category.id}", service_level_field(category.name_en))
    form = Form() if formdata else Form(formdata=None)
    if not formdata:
        for category in categories:
            form[f"days_{category.id}"].data = category.service_level_days
    return form


@bp.route("/service-levels", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def service_levels():
    categories = db.session.scalars(db.select(Category).order_by(Category.name_en)).all()
    form = _service_level_form(categories, request.method == "POST")
    if request.method == "POST":
        if form.validate_on_submit():
            for category in categories:
                category.service_level_days = form[f"days_{category.id}"].data
            db.session.commit()
            flash("Service levels saved. New assignments are due by them.")
            return redirect(url_for("admin.service_levels"))
        return render_template("admin/service_levels.html", form=form, categories=categories), 400
    return render_template("admin/service_levels.html", form=form, categories=categories)
