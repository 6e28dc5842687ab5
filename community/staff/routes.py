"""Staff views: list hotspots, open one, assign, log an action, resolve."""

from __future__ import annotations

import re

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from community.auth.session import roles_required
from community.extensions import db
from community.jobs import enqueue
from community.models import (
    ActionKind,
    Agency,
    AssignmentRole,
    Event,
    Hotspot,
    HotspotStatus,
    Role,
)
from community.sms.media import concern_photos, media_folder
from community.staff.forms import ActionForm, AssignForm, ResolveForm
from community.workflow.service import WorkflowError, assign, log_action, resolve
from community.workflow.states import HOTSPOT_ACTIVE

bp = Blueprint("staff", __name__)
MEDIA_NAME = re.compile(r"[0-9]+-[0-9]+\.[a-z0-9]{2,5}")

STAFF = (Role.ADMIN, Role.PROSECUTOR, Role.AGENCY_STAFF, Role.VIEWER)
TRIAGERS = (Role.ADMIN, Role.PROSECUTOR)
WORKERS = (Role.ADMIN, Role.PROSECUTOR, Role.AGENCY_STAFF)


@bp.route("/")
@roles_required(*STAFF)
def hotspots():
    status = request.args.get("status", "active")
    query = db.select(Hotspot).order_by(Hotspot.priority.desc(), Hotspot.id)
    if status == "active":
        query = query.where(Hotspot.status.in_(HOTSPOT_ACTIVE))
    elif status in set(HotspotStatus):
        query = query.where(Hotspot.status == status)
    elif status != "all":
        abort(400, description="Unknown status filter.")
    if current_user.role == Role.AGENCY_STAFF:
        query = query.where(
            Hotspot.assignments.any(agency_id=current_user.agency_id, ended_at=None)
        )
    rows = db.session.scalars(query.limit(200)).all()
    return render_template("staff/hotspots.html", hotspots=rows, status=status)


def _hotspot_or_404(hotspot_id: int) -> Hotspot:
    hotspot = db.session.get(Hotspot, hotspot_id)
    if hotspot is None:
        abort(404)
    if current_user.role == Role.AGENCY_STAFF and not any(
        a.active and a.agency_id == current_user.agency_id for a in hotspot.assignments
    ):
        abort(403)
    return hotspot


def _forms(hotspot: Hotspot) -> dict:
    agencies = db.session.scalars(db.select(Agency).filter_by(active=True).order_by(Agency.name))
    choices = [(a.id, a.name) for a in agencies]
    assign_form, action_form = AssignForm(prefix="assign"), ActionForm(prefix="action")
    assign_form.agency_id.choices = choices
    if current_user.role == Role.AGENCY_STAFF:
        action_form.agency_id.choices = [(current_user.agency_id, current_user.agency.name)]
    else:
        assigned = {a.agency_id for a in hotspot.assignments if a.active}
        action_form.agency_id.choices = [c for c in choices if c[0] in assigned]
    return {
        "assign_form": assign_form,
        "action_form": action_form,
        "resolve_form": ResolveForm(prefix="resolve"),
    }


def _page(hotspot: Hotspot, forms: dict | None = None, code: int = 200) -> Response:
    events = db.session.scalars(
        db.select(Event).filter_by(hotspot_id=hotspot.id).order_by(Event.created_at, Event.id)
    ).all()
    page = render_template(
        "staff/hotspot.html",
        hotspot=hotspot,
        events=events,
        photos=concern_photos([c.id for c in hotspot.concerns]),
        **(forms or _forms(hotspot)),
    )
    return make_response(page, code)


@bp.route("/media/<name>")
@roles_required(*STAFF)
def media(name: str):
    """A photo a resident sent by MMS (staff only; never on a public page)."""
    if not MEDIA_NAME.fullmatch(name):
        abort(404)
    return send_from_directory(media_folder(), name, max_age=3600)


@bp.route("/hotspots/<int:hotspot_id>")
@roles_required(*STAFF)
def hotspot(hotspot_id: int):
    return _page(_hotspot_or_404(hotspot_id))


def _apply(hotspot: Hotspot, forms: dict, form_name: str, change):
    """Validate one form, apply the change, commit; 400 with the reasons otherwise."""
    form = forms[form_name]
    if not form.validate_on_submit():
        return _page(hotspot, forms, 400)
    try:
        message = change(form)
        db.session.commit()
    except WorkflowError as error:
        db.session.rollback()
        form.form_errors.append(str(error))
        return _page(hotspot, forms, 400)
    except StaleDataError:
        db.session.rollback()
        form.form_errors.append(
            "Someone else changed this hotspot while you were working. "
            "Your change was not saved: check the page and try again."
        )
        return _page(db.session.get(Hotspot, hotspot.id), forms, 409)
    flash(message)
    return redirect(url_for("staff.hotspot", hotspot_id=hotspot.id))


@bp.route("/hotspots/<int:hotspot_id>/assign", methods=["POST"])
@roles_required(*TRIAGERS)
def assign_agency(hotspot_id: int):
    hotspot = _hotspot_or_404(hotspot_id)

    def change(form: AssignForm) -> str:
        agency = db.session.get(Agency, form.agency_id.data)
        assign(hotspot, agency, AssignmentRole(form.role.data), current_user, form.reason.data)
        return f"{agency.name} is now {form.role.data} on this hotspot."

    response = _apply(hotspot, _forms(hotspot), "assign_form", change)
    if response.status_code == 302 and request.form.get("assign-role") == AssignmentRole.LEAD:
        enqueue("notify_hotspot", hotspot.id, "assigned")  # residents hear who owns it
    return response


@bp.route("/hotspots/<int:hotspot_id>/actions", methods=["POST"])
@roles_required(*WORKERS)
def add_action(hotspot_id: int):
    hotspot = _hotspot_or_404(hotspot_id)

    def change(form: ActionForm) -> str:
        agency = db.session.get(Agency, form.agency_id.data)
        log_action(
            hotspot,
            agency,
            ActionKind(form.kind.data),
            current_user,
            form.notes.data or None,
            form.public_note.data or None,
        )
        return "Action logged."

    return _apply(hotspot, _forms(hotspot), "action_form", change)


@bp.route("/hotspots/<int:hotspot_id>/resolve", methods=["POST"])
@roles_required(*WORKERS)
def resolve_hotspot(hotspot_id: int):
    hotspot = _hotspot_or_404(hotspot_id)
    lead = hotspot.lead
    if current_user.role == Role.AGENCY_STAFF and (
        lead is None or lead.agency_id != current_user.agency_id
    ):
        abort(403, description="Only the lead agency or a prosecutor can resolve this hotspot.")

    def change(form: ResolveForm) -> str:
        resolve(hotspot, current_user, form.reason.data)
        return "Hotspot resolved."

    response = _apply(hotspot, _forms(hotspot), "resolve_form", change)
    if response.status_code == 302:
        enqueue("notify_hotspot", hotspot.id, "resolved")
    return response
