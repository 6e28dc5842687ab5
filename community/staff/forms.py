"""Staff workflow forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from community.models import ActionKind, AssignmentRole


class AssignForm(FlaskForm):
    agency_id = SelectField("Agency", coerce=int, validators=[DataRequired()])
    role = SelectField(
        "Role",
        choices=[(r.value, r.value.title()) for r in AssignmentRole],
        validators=[DataRequired()],
    )
    reason = TextAreaField("Why (optional)", validators=[Optional(), Length(max=1000)])


class ActionForm(FlaskForm):
    agency_id = SelectField("Agency", coerce=int, validators=[DataRequired()])
    kind = SelectField(
        "What was done",
        choices=[(k.value, k.value.replace("_", " ").capitalize()) for k in ActionKind],
        validators=[DataRequired()],
    )
    notes = TextAreaField("Staff notes", validators=[Optional(), Length(max=4000)])
    public_note = TextAreaField(
        "Public note (residents see this)", validators=[Optional(), Length(max=500)]
    )


class ResolveForm(FlaskForm):
    reason = TextAreaField(
        "How was it resolved?",
        validators=[DataRequired("Say how the problem was resolved."), Length(max=1000)],
    )
