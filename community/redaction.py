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

# A number marked as a home's: "#2853", "house 2853", "casa #2853" (two digits or more).
MARKED_NUMBER_RE = re.compile(
    r"(?:#\s?|\b(?:house|home|casa|apt|apartment|unit|no\.?|number|numero|n[uú]mero)\s+#?\s?)"
    r"(?P<number>[1-9]\d{1,5})(?!\d|[:.,]\d|\s+block\b)",
    re.IGNORECASE,
)
# A local number without its area code: 555-0123.
LOCAL_PHONE_RE = re.compile(r"(?<![\w-])\d{3}[-.\s]\d{4}(?![\w-])")


def block_of(number: int) -> int:
    """The hundred block a house number is on (2417 -> 2400)."""
    return number // 100 * 100


def _house_numbers(text: str) -> set[int]:
    """House numbers of the addresses the geocoder reads in text (blocks left alone)."""
    from community.geo.mentions import HOUSE_NUMBER, find_addresses, find_streets
    from community.geo.message import message_tokens
    from community.geo.text import Token

    tokens = message_tokens(text)
    index = _street_index()
    numbers = {m.number for m in find_addresses(tokens, find_streets(tokens, index)) if not m.block}
    # Punctuation ends an address for the geocoder ("2847, N 35th" is two phrases); to hide a
    # home, read it once more as one phrase, where the street is plainly one ("10:30" is not).
    if any(t.stop and HOUSE_NUMBER.fullmatch(t.text) for t in tokens):
        relaxed = [Token(t.text) for t in tokens]
        numbers |= {
            m.number
            for m in find_addresses(relaxed, find_streets(relaxed, index))
            if not m.block and not m.street.bare_number
        }
    # "house #2853", "casa 2853": a home's number even where no street follows it.
    numbers |= {int(m.group("number")) for m in MARKED_NUMBER_RE.finditer(text)}
    return numbers


def _street_index():
    """The current app's city streets; outside an app (scripts), the configured package's."""
    from flask import has_app_context

    from community.geo.citypkg import load_city
    from community.geo.streets import street_index

    if has_app_context():
        from community.places.city import current_city

        return street_index(current_city())
    from config import config_for

    return street_index(load_city(config_for(None).CITY_PACKAGE))


def redact_house_numbers(text: str, *, language: str = "en") -> str:
    """House numbers replaced by their hundred block, wherever the geocoder reads an address.

    The geocoder's own mention finder (community.geo.mentions) says which numbers are house
    numbers, so every form it understands ("2851N 35th St", "house #2853", "2847, N 35th",
    "la 16 sur"...) is redacted too; each such number is then replaced wherever it is written
    (with a "#" before it, a range or a unit letter after it).
    """
    if not text or not any(ch.isdigit() for ch in text):
        return text or ""
    numbers = _house_numbers(text)
    if not numbers:
        return text
    alternatives = "|".join(str(n) for n in sorted(numbers, reverse=True))
    pattern = re.compile(
        rf"(?<![\w#/.-])(?:#\s?)?0*(?:(?P<first>\d{{1,5}})-)?(?P<number>{alternatives})"
        rf"(?:-\d{{1,5}})?(?P<letter>[A-Za-z](?![\w'])|(?=[^\w]|$))(?P<comma>,(?=\s+\w))?"
    )

    def generalise(match: re.Match[str]) -> str:
        # "2417-19 W Center St" (a duplex): the geocoder reads 19; the block is 2417's.
        block = block_of(int(match.group("first") or match.group("number")))
        letter = match.group("letter") or ""
        # A glued direction ("2851N") stays as the street's direction; a unit letter goes.
        after = f" {letter}" if letter.upper() in "NSEW" and letter else ""
        if language == "es":
            return f"cuadra {block} de{after}"
        return f"{block} block of{after}"

    return pattern.sub(generalise, text)


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
