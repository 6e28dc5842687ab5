"""Fixtures for the triage map: a hotspot whose residents wrote HTML and a phone number."""

from __future__ import annotations

import pytest

from community.extensions import db
from community.models import Hotspot
from tests.workflow.conftest import make_hotspot

XSS_TEXT = "<img src=x onerror=alert(1)>"
XSS_LABEL = "<script>alert('label')</script> corner"
PHONE = "414-555-0199"


@pytest.fixture
def xss_hotspot(app) -> Hotspot:
    """A hotspot of concerns whose text is HTML with a phone number; its label holds a script."""
    hotspot = make_hotspot(5, text=f"{XSS_TEXT} call me {PHONE}")
    hotspot.label = XSS_LABEL
    db.session.commit()
    return hotspot
