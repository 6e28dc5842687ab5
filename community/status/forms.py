"""The case lookup form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length


class CaseLookupForm(FlaskForm):
    """The case number a resident was given (a GET form: it changes nothing, so no CSRF)."""

    class Meta:
        csrf = False

    case = StringField(
        _l("Case number"),
        validators=[
            DataRequired(_l("Enter your case number.")),
            Length(max=20, message=_l("That is not a case number. It looks like MKE-7K3Q.")),
        ],
    )
