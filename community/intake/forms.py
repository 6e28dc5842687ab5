"""The resident's web form (Flask-WTF: CSRF and validation); every message is translated."""

from __future__ import annotations

import uuid

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp


class ReportForm(FlaskForm):
    # One key per form page: a double-click or a re-sent POST makes one concern, not two.
    submission = HiddenField(
        default=lambda: uuid.uuid4().hex,
        validators=[Optional(), Regexp(r"^[0-9a-f]{32}$", message=_l("Reload the page."))],
    )
    # The service checks the code against the active categories (one message for every channel).
    category = SelectField(
        _l("What kind of problem?"),
        validators=[DataRequired(_l("Choose what kind of problem this is."))],
        validate_choice=False,
    )
    text = TextAreaField(
        _l("What is happening?"),
        # The length limit (CONCERN_TEXT_MAX) is the intake service's: one rule for every channel.
        validators=[DataRequired(_l("Tell us what is happening."))],
    )
    location = StringField(
        _l("Where? An address, a block or cross streets"),
        validators=[Optional(), Length(max=300, message=_l("Please shorten the place."))],
    )
    # "lat,lon" from a suggestion, a tap on the map or the phone's location; checked by the server.
    point = HiddenField(
        validators=[
            Optional(),
            Length(
                max=40, message=_l("We could not read that point on the map. Tap the map again.")
            ),
        ]
    )
    occurred = StringField(
        _l("When does it happen? (optional)"),
        validators=[Optional(), Length(max=200, message=_l("Please shorten this answer."))],
    )
    photo = FileField(_l("Photo (optional)"))
    phone = StringField(
        _l("Phone number for text updates (optional)"),
        validators=[
            Optional(),
            Length(max=40, message=_l("Enter a phone number such as 414-555-0123.")),
        ],
    )
    consent = BooleanField(_l("Yes, text me updates about this case. Reply STOP to end."))

    def validate(self, extra_validators: dict | None = None) -> bool:
        """Also require a place, and consent when a phone number is given."""
        ok = super().validate(extra_validators)
        if not (self.location.data or "").strip() and not (self.point.data or "").strip():
            self.location.errors = [
                *self.location.errors,
                _l("Tell us where it is happening."),
            ]
            ok = False
        if self.phone.data and not self.consent.data:
            self.consent.errors = [
                *self.consent.errors,
                _l("Tick the box to agree to text updates, or leave the phone empty."),
            ]
            ok = False
        return ok
