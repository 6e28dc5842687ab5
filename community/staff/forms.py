"""Staff workflow forms; each hotspot form carries the version of the hotspot it was made from."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from community.filters import city_zone
from community.models import ActionKind, ActionOutcome, AssignmentRole, ResolutionOutcome
from community.workflow import sla

MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?]")
NOTE_MAX = 4000
REASON_MAX = 1000
ACTION_LABELS = {
    ActionKind.NUISANCE_LETTER: "Nuisance abatement letter",
    ActionKind.OWNER_MEETING: "Property owner meeting",
    ActionKind.CLEANUP: "Clean-up",
    ActionKind.BOARD_UP: "Board-up",
}


def label(value: str) -> str:
    return value.replace("_", " ").capitalize()


def action_label(kind: str) -> str:
    return ACTION_LABELS.get(kind, label(kind))


def no_markup(form: FlaskForm, field) -> None:
    """Staff text is plain text: markup is refused with a message rather than stored."""
    if field.data and MARKUP.search(field.data):
        raise ValidationError("Write plain text: HTML tags such as <script> are not accepted.")


def due_date_in_range(form: FlaskForm, field) -> None:
    if field.data and (problem := sla.due_date_problem(field.data)):
        raise ValidationError(problem)


def city_today() -> date:
    """Today in the city (after 6 pm in Milwaukee it is already tomorrow in UTC)."""
    return datetime.now(city_zone()).date()


def happened_recently(form: FlaskForm, field) -> None:
    today = city_today()
    earliest = today - timedelta(days=366)
    if field.data and not earliest <= field.data <= today:
        raise ValidationError(
            f"Pick a date between {earliest.isoformat()} and {today.isoformat()}."
        )


def reason_field(text: str, required: bool = False) -> TextAreaField:
    first = DataRequired("Say why.") if required else Optional()
    return TextAreaField(text, validators=[first, Length(max=REASON_MAX), no_markup])


class HotspotForm(FlaskForm):
    # The hotspot's version when the page was made: a change to a newer hotspot is refused.
    version = HiddenField(
        validators=[
            Optional(),
            Regexp(r"^[0-9]{1,9}$", message="This form is out of date: reload the page."),
        ]
    )

    def expected_version(self) -> int | None:
        text = (self.version.data or "").strip()
        return int(text) if text.isdigit() else None


class AssignForm(HotspotForm):
    agency_id = SelectField("Agency", coerce=int, validators=[DataRequired()])
    role = SelectField(
        "Role",
        choices=[(r.value, r.value.title()) for r in AssignmentRole],
        validators=[DataRequired()],
    )
    due_on = DateField("Due date (optional)", validators=[Optional(), due_date_in_range])
    reason = reason_field("Why (optional)")


class HandOffForm(HotspotForm):
    agency_id = SelectField("New lead agency", coerce=int, validators=[DataRequired()])
    reason = reason_field("Why is the lead moving?", required=True)


class SuggestionForm(HotspotForm):
    """Confirm the routing rule's suggestion as it stands."""


class StatusForm(HotspotForm):
    status = SelectField("New status", validators=[DataRequired("Choose a status.")])
    duplicate_of = IntegerField(
        "Duplicate of hotspot # (for duplicates)",
        validators=[Optional(), NumberRange(min=1, max=2**31 - 1)],
    )
    reason = reason_field("Why")


class DueDateForm(HotspotForm):
    due_on = DateField("Due date", validators=[InputRequired("Pick a date."), due_date_in_range])
    reason = reason_field("Why (optional)")


class RemovePartnerForm(HotspotForm):
    reason = reason_field("Why (optional)")


def _action_fields(cls):
    cls.kind = SelectField(
        "What was done",
        choices=[(k.value, action_label(k)) for k in ActionKind],
        validators=[DataRequired()],
    )
    cls.occurred_on = DateField(
        "When", default=city_today, validators=[Optional(), happened_recently]
    )
    cls.outcome = SelectField(
        "Outcome",
        choices=[("", "—")] + [(o.value, label(o)) for o in ActionOutcome],
        validators=[Optional()],
    )
    cls.notes = TextAreaField(
        "Staff notes", validators=[Optional(), Length(max=NOTE_MAX), no_markup]
    )
    return cls


@_action_fields
class ActionForm(HotspotForm):
    agency_id = SelectField("Agency", coerce=int, validators=[DataRequired()])
    public_note = TextAreaField(
        "Public note (residents see this)", validators=[Optional(), Length(max=500), no_markup]
    )


class ResolveForm(HotspotForm):
    outcome = SelectField(
        "Outcome",
        choices=[("", "Choose the outcome")] + [(o.value, label(o)) for o in ResolutionOutcome],
        validators=[DataRequired("Choose the outcome of the response.")],
    )
    reason = TextAreaField(
        "How was it resolved?",
        validators=[
            DataRequired("Say how the problem was resolved."),
            Length(max=REASON_MAX),
            no_markup,
        ],
    )


class BulkForm(FlaskForm):
    """Several of an agency's assignments at once; every row carries "hotspot_id:version"."""

    rows = SelectMultipleField("Hotspots", validators=[DataRequired("Tick at least one hotspot.")])
    operation = SelectField(
        "Change",
        choices=[
            ("start", "Start work (lead)"),
            ("action", "Log the same action on each"),
            ("due", "Set the due date"),
        ],
        validators=[DataRequired()],
    )
    due_on = DateField("Due date", validators=[Optional(), due_date_in_range])
    kind = SelectField(
        "What was done",
        choices=[("", "—")] + [(k.value, action_label(k)) for k in ActionKind],
        validators=[Optional()],
    )
    occurred_on = DateField("When", default=city_today, validators=[Optional(), happened_recently])
    outcome = SelectField(
        "Outcome",
        choices=[("", "—")] + [(o.value, label(o)) for o in ActionOutcome],
        validators=[Optional()],
    )
    notes = TextAreaField("Staff notes", validators=[Optional(), Length(max=NOTE_MAX), no_markup])
