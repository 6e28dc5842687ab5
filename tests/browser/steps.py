"""What a person does in the browser tests again and again, written once."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect


def sign_in(page: Page, email: str, password: str) -> None:
    """Sign in on /login as a person would, and land on the staff list."""
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/staff/$"))
