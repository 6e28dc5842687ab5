"""Human-safe case numbers such as MKE-7K3Q: short, unambiguous when read aloud or typed."""

from __future__ import annotations

import re
import secrets

# Crockford-style alphabet without 0/O, 1/I/L and U: nothing a resident can misread.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CASE_RE = re.compile(r"^[A-Z]{2,5}-[2-9A-HJKMNP-TV-Z]{4,8}$")


def new_case_number(prefix: str, length: int = 4) -> str:
    """A random case number; the caller retries on the (rare) collision."""
    return f"{prefix}-" + "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalize_case_number(text: str, prefix: str) -> str | None:
    """The case number a resident typed ("mke 7k3q", "MKE7K3Q", "7K3Q"), or None."""
    cleaned = re.sub(r"[^A-Z0-9]", "", (text or "").upper())
    code = cleaned[len(prefix) :] if cleaned.startswith(prefix) else cleaned
    candidate = f"{prefix}-{code}"
    return candidate if CASE_RE.match(candidate) else None
