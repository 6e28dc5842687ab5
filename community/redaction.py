"""Resident text made safe to publish: no contact details, no private house numbers.

Printed meeting reports, Open311 descriptions and public exports quote what residents wrote.
They must never say who wrote it or point at one home: phone numbers and e-mail addresses are
masked, and a house number is generalised to its block ("2417 N 35th St" -> "2400 block of
N 35th St"), the way police blotters publish addresses. The text stays plain text: callers
escape it when they put it in HTML.
"""

from __future__ import annotations

import re

from community.logging_setup import PHONE_RE

EMAIL_MASK = "[email]"
PHONE_MASK = "[phone]"

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)

# Street types in English and Spanish, as residents write them (abbreviated or not).
_STREET_TYPES = (
    r"st|street|str|ave|av|avenue|blvd|boulevard|dr|drive|rd|road|ct|court|pl|place|ln|lane"
    r"|way|pkwy|parkway|ter|terrace|cir|circle|hwy|highway|calle|avenida"
)
_DIRECTION = r"(?:n|s|e|w|north|south|east|west|norte|sur|este|oeste)\.?"
_NAME = r"[^\W\d_][\w'.-]*|\d{1,3}(?:st|nd|rd|th)"
# A house number (or a range such as 2417-19), then either a direction (Milwaukee addresses
# nearly always have one) and a street name, or, for numbers of two digits or more, a street
# name of one to four words ending in a street type. One-digit numbers need the direction:
# "3 kids on Center St" is not an address.
_NUMBER = r"(?P<number>\d{1,5})(?:-\d{1,5}|-?[a-z](?![\w']))?"
HOUSE_NUMBER_RE = re.compile(
    rf"(?<![\w#/.-])(?:{_NUMBER})"
    rf"(?P<street>\s+(?:{_DIRECTION}\s+(?:{_NAME})"
    rf"|(?<=\d\d\s)(?:(?:{_NAME})\s+){{1,4}}(?:{_STREET_TYPES})\b))",
    re.IGNORECASE | re.UNICODE,
)
# A local number without its area code: 555-0123.
LOCAL_PHONE_RE = re.compile(r"(?<![\w-])\d{3}[-.\s]\d{4}(?![\w-])")


def block_of(number: int) -> int:
    """The hundred block a house number is on (2417 -> 2400)."""
    return number // 100 * 100


def redact_house_numbers(text: str, *, language: str = "en") -> str:
    """House numbers replaced by their hundred block."""
    word = "cuadra" if language == "es" else "block of"

    def generalise(match: re.Match[str]) -> str:
        block = block_of(int(match.group("number")))
        if language == "es":
            return f"{word} {block} de{match.group('street')}"
        return f"{block} {word}{match.group('street')}"

    return HOUSE_NUMBER_RE.sub(generalise, text)


def redact_contacts(text: str) -> str:
    """E-mail addresses and phone numbers (with or without the area code) masked."""
    text = PHONE_RE.sub(PHONE_MASK, EMAIL_RE.sub(EMAIL_MASK, text))
    return LOCAL_PHONE_RE.sub(PHONE_MASK, text)


def public_text(text: str | None, *, language: str = "en") -> str:
    """A resident's words with contact details masked and house numbers generalised."""
    if not text:
        return ""
    # Contacts first: a phone number must not be mistaken for a house number.
    return redact_house_numbers(redact_contacts(text), language=language)
