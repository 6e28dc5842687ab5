"""Admin forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from community.models import AreaKind, Role
from community.staff.forms import no_markup

ROLE_CHOICES = [(r.value, r.value.replace("_", " ").capitalize()) for r in Role]


def _optional_int(value: object) -> int | None:
    if value in (None, "", "None"):
        return None
    return int(value)


class UserForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=120), no_markup])
    role = SelectField("Role", choices=ROLE_CHOICES, validators=[DataRequired()])
    agency_id = SelectField("Agency", coerce=_optional_int, validators=[Optional()])


class InviteForm(UserForm):
    email = EmailField(
        "E-mail",
        validators=[
            DataRequired(),
            Length(max=200),
            Regexp(
                r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$", message="Enter an e-mail address."
            ),
        ],
    )


class RuleForm(FlaskForm):
    category_id = SelectField("Category", coerce=_optional_int, validators=[Optional()])
    area_kind = SelectField(
        "Kind of area",
        choices=[("", "Any area")] + [(k.value, k.value.replace("_", " ")) for k in AreaKind],
        validators=[Optional()],
    )
    area_code = StringField(
        "Area code (e.g. police district 7: 7)", validators=[Optional(), Length(max=80), no_markup]
    )
    lead_agency_id = SelectField("Lead agency", coerce=int, validators=[DataRequired()])
    partner_ids = SelectMultipleField("Partner agencies", coerce=int, validators=[Optional()])
    note = StringField("Note", validators=[Optional(), Length(max=200), no_markup])
    active = BooleanField("Active", default=True)


class ServiceLevelForm(FlaskForm):
    """One field per category, named by its code, added in the view."""


def service_level_field(label: str) -> IntegerField:
    return IntegerField(
        label,
        validators=[
            InputRequired("Give a number of days."),
            NumberRange(min=1, max=365, message="Between 1 and 365 days."),
        ],
    )
