"""The tokens the geocoder parses: a message in English or Spanish, read as one token stream."""

from __future__ import annotations

from community.geo.spanish import englishify
from community.geo.text import Token, spell_numbers, tokenize


def message_tokens(text: str) -> list[Token]:
    """Tokens of a message, numbers as digits and Spanish place words in English roles."""
    return englishify(spell_numbers(tokenize(text)))
