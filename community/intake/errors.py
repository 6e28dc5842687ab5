"""The error every intake channel raises for input a resident must fix."""

from __future__ import annotations


class IntakeError(ValueError):
    """Input a resident must fix; `field` names the form field, the message says how.

    The message may be a lazy translation: it is rendered in the page's language.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
