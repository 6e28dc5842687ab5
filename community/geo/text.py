"""A resident's message as tokens: upper-case ASCII words, numbers as digits.

Residents write "ppl selling drugs out the blue house 2847 n 35th st every nite": accents
dropped, HTML removed, numbers as voice-to-text spells them made digits. Spanish place words are
put in English roles by community.geo.spanish.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_MESSAGE_CHARS = 20_000  # longer messages are cut (time bound); texts and forms are far shorter

_TOKEN = re.compile(r"[A-Z0-9]+|[&@/]|[,;:!?()\[\]<>\"\n]|\.")
_BOUNDARY = set(',;:!?()[]<>"\n')


@dataclass(frozen=True)
class Token:
    """One word of the message; `stop` is True when punctuation ends a phrase after it."""

    text: str
    stop: bool = False


def clean(text: str) -> str:
    """Upper-case ASCII without HTML, accents or apostrophes."""
    text = unicodedata.normalize("NFKD", text[:MAX_MESSAGE_CHARS])
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).upper()
    text = re.sub(r"<[^<>]{0,200}>", " ", text)  # HTML tags
    text = re.sub(r"&(AMP|#38);", " & ", text)
    text = re.sub(r"&[A-Z]+;|&#[0-9]+;", " ", text)  # other HTML entities
    return text.replace("'", "").replace("\u2019", "")  # O'Connor -> OCONNOR


def tokenize(text: str) -> list[Token]:
    """Split a message into tokens, marking where punctuation ends a phrase."""
    words: list[str] = []
    stops: list[bool] = []
    for piece in _TOKEN.findall(clean(text or "")):
        if piece == ".":
            # A full stop ends a phrase unless it closes an abbreviation (N. / St. / Ave.).
            if words and len(words[-1]) > 3:
                stops[-1] = True
        elif piece in _BOUNDARY:
            if words:
                stops[-1] = True
        else:
            words.append(piece)
            stops.append(False)
    return [Token(w, s) for w, s in zip(words, stops, strict=True)]


ABBREVIATIONS = {
    "BTWN": "BETWEEN", "BTW": "BETWEEN", "BETW": "BETWEEN", "BTWEEN": "BETWEEN",
    "NR": "NEAR", "CNR": "CORNER", "CRNR": "CORNER", "INTERSECTION": "CORNER",
}  # fmt: skip
UNITS = {
    "ONE": 1, "TWO": 2, "THREE": 3, "FOUR": 4, "FIVE": 5, "SIX": 6, "SEVEN": 7, "EIGHT": 8,
    "NINE": 9,
}  # fmt: skip
TEENS = {
    "TEN": 10, "ELEVEN": 11, "TWELVE": 12, "THIRTEEN": 13, "FOURTEEN": 14, "FIFTEEN": 15,
    "SIXTEEN": 16, "SEVENTEEN": 17, "EIGHTEEN": 18, "NINETEEN": 19,
}  # fmt: skip
TENS = {
    "TWENTY": 20, "THIRTY": 30, "FORTY": 40, "FOURTY": 40, "FIFTY": 50, "SIXTY": 60,
    "SEVENTY": 70, "EIGHTY": 80, "NINETY": 90,
}  # fmt: skip
ORDINAL_UNITS = {
    "FIRST": 1, "SECOND": 2, "THIRD": 3, "FOURTH": 4, "FIFTH": 5, "SIXTH": 6, "SEVENTH": 7,
    "EIGHTH": 8, "NINTH": 9,
}  # fmt: skip
ORDINAL_TEENS = {
    "TENTH": 10, "ELEVENTH": 11, "TWELFTH": 12, "THIRTEENTH": 13, "FOURTEENTH": 14,
    "FIFTEENTH": 15, "SIXTEENTH": 16, "SEVENTEENTH": 17, "EIGHTEENTH": 18, "NINETEENTH": 19,
}  # fmt: skip
ORDINAL_TENS = {
    "TWENTIETH": 20, "THIRTIETH": 30, "FORTIETH": 40, "FIFTIETH": 50, "SIXTIETH": 60,
    "SEVENTIETH": 70, "EIGHTIETH": 80, "NINETIETH": 90,
}  # fmt: skip


_HUNDREDS = re.compile(r"([1-9][0-9]?)(ST|ND|RD|TH)?")


def _suffix(number: int) -> str:
    if 10 <= number % 100 <= 20:
        return "TH"
    return {1: "ST", 2: "ND", 3: "RD"}.get(number % 10, "TH")


def spell_numbers(tokens: list[Token]) -> list[Token]:
    """Numbers as voice-to-text writes them: "thirty fifth" -> 35TH, "twenty four hundred" -> 2400.

    Single units ("one guy", "first time") stay words unless a tens word comes before them.
    """
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        word = tokens[i].text
        value, ordinal, used = None, False, 1
        if word in TENS:
            value = TENS[word]
            nxt = tokens[i + 1].text if i + 1 < len(tokens) and not tokens[i].stop else ""
            if nxt in UNITS:
                value, used = value + UNITS[nxt], 2
            elif nxt in ORDINAL_UNITS:
                value, ordinal, used = value + ORDINAL_UNITS[nxt], True, 2
        elif word in TEENS:
            value = TEENS[word]
        elif word in ORDINAL_TEENS or word in ORDINAL_TENS:
            value, ordinal = ORDINAL_TEENS.get(word) or ORDINAL_TENS[word], True
        elif word in ORDINAL_UNITS and i + 1 < len(tokens) and tokens[i + 1].text in STREET_WORDS:
            value, ordinal = ORDINAL_UNITS[word], True  # "first street", "third ave"
        elif _HUNDREDS.fullmatch(word) and i + 1 < len(tokens) and tokens[i + 1].text == "HUNDRED":
            value = int(_HUNDREDS.fullmatch(word).group(1))  # "24 hundred", "37th hundred" -> 2400
        if value is None:
            out.append(Token(ABBREVIATIONS.get(word, word), tokens[i].stop))
            i += 1
            continue
        stop = tokens[i + used - 1].stop
        if not ordinal and i + used < len(tokens) and tokens[i + used].text == "HUNDRED":
            value, stop, used = value * 100, tokens[i + used].stop, used + 1
        out.append(Token(f"{value}{_suffix(value)}" if ordinal else str(value), stop))
        i += used
    return _between_slash(out)


STREET_WORDS = frozenset({"ST", "STREET", "AVE", "AV", "AVENUE", "PL", "PLACE", "AND", "&"})


def _between_slash(tokens: list[Token]) -> list[Token]:
    """ "b/w" (between) is written B / W, which would otherwise read as "west"."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        if [t.text for t in tokens[i : i + 3]] == ["B", "/", "W"]:
            out.append(Token("BETWEEN", tokens[i + 2].stop))
            i += 3
        else:
            out.append(tokens[i])
            i += 1
    return out
