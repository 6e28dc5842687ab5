"""Staff views: hotspot list, hotspot page and its workflow forms, the agency work queue.

Every view checks the role and the agency (community.workflow.permissions), not only the
template; every change goes through community.workflow.service.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time
from urllib.parse import urlencode

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
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from community.auth.session import roles_required
from community.evaluation.charts import before_after_chart
from community.evaluation.service import for_hotspot
from community.extensions import db
from community.filters import city_zone
from community.models import (
    Action,
    ActionKind,
    ActionOutcome,
    Agency,
    Area,
    Assignment,
    AssignmentRole,
    Hotspot,
    HotspotStatus,
    ResolutionOutcome,
    Role,
)
from community.routing.suggest import suggest
from community.staff import forms as f
from community.staff import photos, work_area
from community.staff.pages import (
    active_agencies,
    concern_page,
    history_page,
    latest_concerns,
    queue_agency,
    work_queue,
)
from community.workflow import permissions as may
from community.workflow import service
from community.workflow.service import StaleHotspotError, WorkflowError
from community.workflow.states import HOTSPOT_ACTIVE, HOTSPOT_TRANSITIONS, transition_name

bp = Blueprint("staff", __name__)

STAFF = tuple(Role)
WORKERS = (Role.ADMIN, Role.PROSECUTOR, Role.AGENCY_STAFF)
STALE = 409

LATEST_CONCERNS = 3  # on the hotspot page's first screen
FORMS = {
    "assign": f.AssignForm,
    "handoff": f.HandOffForm,
    "suggestion": f.SuggestionForm,
    "status": f.StatusForm,
    "due": f.DueDateForm,
    "partner": f.RemovePartnerForm,
    "action": f.ActionForm,
    "resolve": f.ResolveForm,
}


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
    return render_template(
        "staff/hotspots.html", hotspots=rows, status=status, overdue=service.overdue_now
    )


@bp.route("/media/<name>")
@roles_required(*STAFF)
def media(name: str):
    """A resident's photo (MMS or web form), for those who may view its hotspot only."""
    photo = photos.find_photo(name)
    if photo is None:
        abort(404)
    if not photos.may_see(current_user, photo):
        abort(403)
    response = send_from_directory(photo.folder, photo.name, max_age=3600)
    # send_file marks any max_age "public": a shared cache must never keep a resident's photo.
    response.cache_control.public = False
    response.cache_control.private = True
    return response


# What the hotspot page reads of every owner and action: loaded with the hotspot, not row by row.
HOTSPOT_PAGE_LOADS = (
    selectinload(Hotspot.assignments).joinedload(Assignment.agency),
    selectinload(Hotspot.actions).joinedload(Action.agency),
    joinedload(Hotspot.neighborhood).load_only(Area.name),  # not its outline (GeoJSON)
)


def _hotspot_or_404(hotspot_id: int) -> Hotspot:
    hotspot = db.session.get(Hotspot, hotspot_id, options=HOTSPOT_PAGE_LOADS)
    if hotspot is None:
        abort(404)
    if not may.can_view(current_user, hotspot):
        abort(403)
    return hotspot


def _status_choices(hotspot: Hotspot) -> list[tuple[str, str]]:
    targets = sorted(HOTSPOT_TRANSITIONS[hotspot.status] - {HotspotStatus.RESOLVED})
    return [
        (str(t), transition_name(hotspot.status, t))
        for t in targets
        if t != HotspotStatus.ASSIGNED and may.can_transition(current_user, hotspot, t)
    ]


def _forms(hotspot: Hotspot, submitted: str | None = None) -> dict:
    """Every form on the hotspot page; only the submitted one reads the request."""
    built = {
        name: cls(prefix=name, formdata=request.form if name == submitted else None)
        for name, cls in FORMS.items()
    }
    agencies = [(a.id, a.name) for a in active_agencies()]
    assigned = {a.agency_id for a in hotspot.assignments if a.active}
    lead = hotspot.lead
    built["assign"].agency_id.choices = agencies
    built["handoff"].agency_id.choices = [
        c for c in agencies if lead is None or c[0] != lead.agency_id
    ]
    if current_user.role == Role.AGENCY_STAFF:
        built["action"].agency_id.choices = [(current_user.agency_id, current_user.agency.name)]
    else:
        built["action"].agency_id.choices = [c for c in agencies if c[0] in assigned]
    built["status"].status.choices = _status_choices(hotspot)
    for name, form in built.items():
        if name != submitted:
            form.version.data = str(hotspot.version)
    return built


def _suggestion(hotspot: Hotspot):
    """The routing rule's owners, offered until the hotspot has a lead."""
    if hotspot.lead is not None or hotspot.status not in HOTSPOT_ACTIVE:
        return None
    return suggest(hotspot)


def _page_link(hotspot_id: int, name: str, anchor: str) -> Callable[[int], str]:
    """Links to other pages of one list on the hotspot page, keeping the other query args.

    The query string is built here, not by url_for: a query argument must never become a
    url_for keyword (hotspot_id, _external, _anchor ...).
    """
    base = url_for("staff.hotspot", hotspot_id=hotspot_id)
    kept = [(k, v) for k, v in request.args.items(multi=True) if k != name]

    def link(number: int) -> str:
        return f"{base}?{urlencode([*kept, (name, str(number))])}#{anchor}"

    return link


def _page(hotspot: Hotspot, forms: dict | None = None, code: int = 200) -> Response:
    """The hotspot page: one page of its concerns (?concerns_page=) and of its history
    (?history_page=), each newest first; photos only of the concerns shown."""
    forms = forms or _forms(hotspot)
    concerns = concern_page(
        hotspot,
        request.args.get("concerns_page"),
        with_residents=may.sees_contact_details(current_user),
    )
    suggestion = _suggestion(hotspot)
    page = render_template(
        "staff/hotspot.html",
        hotspot=hotspot,
        concerns=concerns,
        latest=latest_concerns(hotspot, LATEST_CONCERNS),
        steps=work_area.steps(current_user, hotspot, forms, suggested=suggestion is not None),
        opened=work_area.opened(forms),
        history=history_page(hotspot, request.args.get("history_page")),
        concerns_link=_page_link(hotspot.id, "concerns_page", "concerns"),
        history_link=_page_link(hotspot.id, "history_page", "history"),
        photos=photos.hotspot_photos([c.id for c in concerns.items]),
        evaluations=for_hotspot(hotspot),
        evaluation_chart=before_after_chart,
        suggestion=suggestion,
        may=may,
        overdue=service.overdue_now(hotspot),
        action_label=f.action_label,
        label=f.label,
        forms=forms,
        **{f"{name}_form": form for name, form in forms.items()},
    )
    return make_response(page, code)


@bp.route("/hotspots/<int:hotspot_id>")
@roles_required(*STAFF)
def hotspot(hotspot_id: int):
    return _page(_hotspot_or_404(hotspot_id))


def _change(
    hotspot_id: int,
    name: str,
    allowed: Callable[[Hotspot], bool],
    change: Callable[[object, Hotspot], str],
) -> Response:
    """Check access, validate one form, apply the change on the version the user saw, commit.

    Refusals re-show the page with the user's input and the reason: 400 for a rule, 409 when
    someone else changed the hotspot first (nothing of theirs or ours is lost).
    """
    hotspot = _hotspot_or_404(hotspot_id)
    if not allowed(hotspot):
        abort(403)
    forms = _forms(hotspot, submitted=name)
    form = forms[name]
    if not form.validate_on_submit():
        return _page(hotspot, forms, 400)
    try:
        service.check_version(hotspot, form.expected_version())
        message = change(form, hotspot)
        service.commit()
    except (StaleHotspotError, StaleDataError):
        service.rollback()
        return _stale(hotspot_id, name, form)
    except WorkflowError as error:
        service.rollback()
        form.form_errors.append(str(error))
        return _page(hotspot, forms, 400)
    flash(message)
    return redirect(url_for("staff.hotspot", hotspot_id=hotspot_id))


def _stale(hotspot_id: int, name: str, form) -> Response:
    """The current hotspot, with the user's unsaved input kept in their form."""
    hotspot = db.session.get(Hotspot, hotspot_id)
    forms = _forms(hotspot, submitted=name)
    forms[name] = form
    form.form_errors.append(str(StaleHotspotError(hotspot_id)))
    form.version.data = str(hotspot.version)  # sending it again applies it to what is there now
    return _page(hotspot, forms, STALE)


def _agency(agency_id: int) -> Agency:
    agency = db.session.get(Agency, agency_id)
    if agency is None:  # the form's choices already refuse unknown ids
        raise WorkflowError("Agency: no such agency.")
    return agency


def _triager(_: Hotspot) -> bool:
    return may.can_assign(current_user)


@bp.route("/hotspots/<int:hotspot_id>/assign", methods=["POST"])
@roles_required(*WORKERS)
def assign_agency(hotspot_id: int):
    def change(form: f.AssignForm, hotspot: Hotspot) -> str:
        agency = _agency(form.agency_id.data)
        service.assign(
            hotspot,
            agency,
            AssignmentRole(form.role.data),
            current_user,
            form.reason.data,
            due_on=form.due_on.data,
        )
        return f"{agency.name} is now {form.role.data} on this hotspot."

    return _change(hotspot_id, "assign", _triager, change)


@bp.route("/hotspots/<int:hotspot_id>/handoff", methods=["POST"])
@roles_required(*WORKERS)
def hand_off(hotspot_id: int):
    def change(form: f.HandOffForm, hotspot: Hotspot) -> str:
        agency = _agency(form.agency_id.data)
        service.hand_off(hotspot, agency, current_user, form.reason.data)
        return f"{agency.name} is now the lead on this hotspot."

    return _change(hotspot_id, "handoff", lambda h: may.can_hand_off(current_user, h), change)


@bp.route("/hotspots/<int:hotspot_id>/suggestion", methods=["POST"])
@roles_required(*WORKERS)
def confirm_suggestion(hotspot_id: int):
    def change(form: f.SuggestionForm, hotspot: Hotspot) -> str:
        suggestion = suggest(hotspot)
        if suggestion is None:
            raise WorkflowError("No routing rule applies to this hotspot: assign it by hand.")
        service.confirm_suggestion(hotspot, current_user, suggestion)
        return f"Owners set by routing rule {suggestion.rule_label}."

    return _change(hotspot_id, "suggestion", _triager, change)


@bp.route("/hotspots/<int:hotspot_id>/status", methods=["POST"])
@roles_required(*WORKERS)
def change_status(hotspot_id: int):
    def change(form: f.StatusForm, hotspot: Hotspot) -> str:
        target = HotspotStatus(form.status.data)
        if not may.can_transition(current_user, hotspot, target):
            abort(403)
        duplicate_of = None
        if form.duplicate_of.data:
            duplicate_of = db.session.get(Hotspot, form.duplicate_of.data)
            if duplicate_of is None:
                raise WorkflowError(f"There is no hotspot #{form.duplicate_of.data}.")
        service.change_status(hotspot, target, current_user, form.reason.data, duplicate_of)
        return f"The hotspot is now {target.replace('_', ' ')}."

    def allowed(hotspot: Hotspot) -> bool:
        return may.can_assign(current_user) or may.is_lead_staff(current_user, hotspot)

    return _change(hotspot_id, "status", allowed, change)


@bp.route("/hotspots/<int:hotspot_id>/due", methods=["POST"])
@roles_required(*WORKERS)
def set_due_date(hotspot_id: int):
    def change(form: f.DueDateForm, hotspot: Hotspot) -> str:
        service.set_due_date(hotspot, form.due_on.data, current_user, form.reason.data)
        return f"Due {form.due_on.data.isoformat()}."

    return _change(hotspot_id, "due", _triager, change)


@bp.route("/hotspots/<int:hotspot_id>/partners/<int:agency_id>/remove", methods=["POST"])
@roles_required(*WORKERS)
def remove_partner(hotspot_id: int, agency_id: int):
    def change(form: f.RemovePartnerForm, hotspot: Hotspot) -> str:
        agency = _agency(agency_id)
        service.remove_partner(hotspot, agency, current_user, form.reason.data)
        return f"{agency.name} is no longer a partner on this hotspot."

    return _change(hotspot_id, "partner", _triager, change)


def _occurred_at(day) -> datetime | None:
    """A date picked on the form as a time: now for today, else midday of that day.

    Both in the city's time zone: at 7 pm in Milwaukee it is already tomorrow in UTC.
    """
    zone = city_zone()
    if day is None or day == datetime.now(zone).date():
        return None
    return datetime.combine(day, time(12), tzinfo=zone)


@bp.route("/hotspots/<int:hotspot_id>/actions", methods=["POST"])
@roles_required(*WORKERS)
def add_action(hotspot_id: int):
    def change(form: f.ActionForm, hotspot: Hotspot) -> str:
        agency = _agency(form.agency_id.data)
        if not may.can_act_for(current_user, hotspot, agency):
            abort(403)
        service.log_action(
            hotspot,
            agency,
            ActionKind(form.kind.data),
            current_user,
            form.notes.data,
            form.public_note.data,
            occurred_at=_occurred_at(form.occurred_on.data),
            outcome=ActionOutcome(form.outcome.data) if form.outcome.data else None,
        )
        return "Action logged."

    def allowed(hotspot: Hotspot) -> bool:
        return may.can_assign(current_user) or may.agency_role(current_user, hotspot) is not None

    return _change(hotspot_id, "action", allowed, change)


@bp.route("/hotspots/<int:hotspot_id>/resolve", methods=["POST"])
@roles_required(*WORKERS)
def resolve_hotspot(hotspot_id: int):
    def change(form: f.ResolveForm, hotspot: Hotspot) -> str:
        service.resolve(
            hotspot, current_user, form.reason.data, ResolutionOutcome(form.outcome.data)
        )
        return "Hotspot resolved."

    def allowed(hotspot: Hotspot) -> bool:
        return may.can_transition(current_user, hotspot, HotspotStatus.RESOLVED)

    return _change(hotspot_id, "resolve", allowed, change)


# The work queue -------------------------------------------------------------------------


def _queue_page(agency: Agency | None, form: f.BulkForm | None = None, code: int = 200):
    form = form or f.BulkForm()
    rows = work_queue(agency) if agency else []
    form.rows.choices = [(r.key, str(r.hotspot.id)) for r in rows]
    can_bulk = agency is not None and (
        may.can_assign(current_user)
        or (current_user.role == Role.AGENCY_STAFF and current_user.agency_id == agency.id)
    )
    page = render_template(
        "staff/queue.html",
        agency=agency,
        agencies=active_agencies(),
        rows=rows,
        form=form,
        can_bulk=can_bulk,
        can_set_due=may.can_assign(current_user),
        action_label=f.action_label,
    )
    return make_response(page, code)


@bp.route("/queue")
@roles_required(*STAFF)
def queue():
    agency = queue_agency(current_user, request.args.get("agency"))
    if request.args.get("agency") and agency is None:
        abort(404, description="There is no such agency.")
    return _queue_page(agency)


@bp.route("/queue", methods=["POST"])
@roles_required(*WORKERS)
def bulk_update():
    """Apply one change to several of the agency's hotspots: all of them, or none."""
    agency = queue_agency(current_user, request.args.get("agency"))
    if agency is None:
        abort(404, description="There is no such agency.")
    if current_user.role == Role.AGENCY_STAFF and agency.id != current_user.agency_id:
        abort(403)
    form = f.BulkForm()
    form.rows.choices = None  # rows are checked below, with their versions
    form.rows.validate_choice = False
    if not form.validate_on_submit():
        return _queue_page(agency, form, 400)
    problems, stale = _bulk_apply(form, agency)
    if problems:
        service.rollback()
        form.form_errors.extend(problems)
        return _queue_page(agency, form, STALE if stale else 400)
    try:
        service.commit()
    except StaleDataError:
        service.rollback()
        form.form_errors.append(str(StaleHotspotError(0)))
        return _queue_page(agency, form, STALE)
    count = len(set(form.rows.data))
    flash(f"{count} hotspot{'s' if count != 1 else ''} updated.")
    return redirect(url_for("staff.queue", agency=agency.id))


def _small_number(raw: str) -> bool:
    # "²".isdigit() is true and int() fails; 20 digits overflow the database's integer.
    return raw.isascii() and raw.isdigit() and len(raw) <= 9


def _bulk_apply(form: f.BulkForm, agency: Agency) -> tuple[list[str], bool]:
    """Apply the change to every ticked row; the problems found (none: all applied)."""
    problems, stale = [], False
    operation = form.operation.data
    if operation == "due" and not may.can_assign(current_user):
        abort(403)
    if operation == "due" and form.due_on.data is None:
        return ["Due date: pick a date."], False
    if operation == "action" and not form.kind.data:
        return ["What was done: choose the action."], False
    for key in dict.fromkeys(form.rows.data):
        hotspot_id, _, version = key.partition(":")
        hotspot = db.session.get(Hotspot, int(hotspot_id)) if _small_number(hotspot_id) else None
        if hotspot is None or not _small_number(version):
            problems.append(f"Hotspot {key!r}: not in this queue.")
            continue
        mine = next((a for a in hotspot.assignments if a.active and a.agency_id == agency.id), None)
        if mine is None or not may.can_act_for(current_user, hotspot, agency):
            problems.append(f"Hotspot #{hotspot.id}: not in {agency.name}'s queue.")
            continue
        try:
            service.check_version(hotspot, int(version))
            _bulk_one(form, operation, hotspot, agency, mine.role)
        except StaleHotspotError:
            stale = True
            problems.append(
                f"Hotspot #{hotspot.id} ({hotspot.label}) changed since you loaded the queue: "
                "reload and try again. Nothing was saved."
            )
        except WorkflowError as error:
            problems.append(f"Hotspot #{hotspot.id} ({hotspot.label}): {error}")
    return problems, stale


def _bulk_one(form: f.BulkForm, operation: str, hotspot: Hotspot, agency: Agency, role) -> None:
    if operation == "start":
        if role != AssignmentRole.LEAD and not may.can_assign(current_user):
            raise WorkflowError("only the lead agency starts the work.")
        service.change_status(hotspot, HotspotStatus.IN_PROGRESS, current_user)
    elif operation == "action":
        service.log_action(
            hotspot,
            agency,
            ActionKind(form.kind.data),
            current_user,
            form.notes.data,
            occurred_at=_occurred_at(form.occurred_on.data),
            outcome=ActionOutcome(form.outcome.data) if form.outcome.data else None,
        )
    else:
        service.set_due_date(hotspot, form.due_on.data, current_user)
