"""A resident's message as tokens: upper-case ASCII words, with Spanish cues put in English.

Residents write "ppl selling drugs out the blue house 2847 n 35th st every nite" and "venden
drogas en la esquina de la 16 y National". The geocoder reads both as one token stream:
accents dropped, HTML removed, Spanish place words mapped to their English role
("esquina" -> CORNER, "y" -> AND, "cuadra" -> BLOCK), filler words dropped.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_MESSAGE_CHARS = 20_000  # longer messages are cut (time bound); texts and forms are far shorter

_TOKEN = re.compile(r"[A-Z0-9]+|[&@/]|[,;:!?()\[\]<>\"\n]|\.")
_BOUNDARY = set(',;:!?()[]<>"\n')

# Words that mark a message as Spanish (two or more: "venden drogas en la esquina ...").
SPANISH_CUES = frozenset(
    [
        "Y",
        "LA",
        "EL",
        "DE",
        "DEL",
        "EN",
        "CALLE",
        "ESQUINA",
        "CERCA",
        "VENDEN",
        "HAY",
        "CASA",
        "DROGAS",
        "DISPAROS",
        "CUADRA",
        "ENTRE",
        "NOCHE",
        "POR",
        "FAVOR",
        "QUE",
        "LOS",
        "LAS",
        "ESTA",
        "ESTAN",
        "CARROS",
        "BASURA",
        "CALLEJON",
        "FRENTE",
        "DETRAS",
        "ESCUELA",
        "PARQUE",
        "AVENIDA",
        "TODAS",
        "NOCHES",
        "GENTE",
        "PELEAS",
        "TIRARON",
        "CON",
        "DEL",
        "PARQUE",
    ]
)
# Spanish place words -> the English word the parser knows.
SPANISH_WORDS = {
    "Y": "AND", "CON": "AND", "ESQUINA": "CORNER", "ESQ": "CORNER", "CERCA": "NEAR",
    "JUNTO": "NEAR", "FRENTE": "NEAR", "ENFRENTE": "NEAR", "DETRAS": "BEHIND",
    "ATRAS": "BEHIND", "ENTRE": "BETWEEN", "CUADRA": "BLOCK", "ESCUELA": "SCHOOL",
    "PARQUE": "PARK", "NORTE": "N", "SUR": "S", "OESTE": "W", "AVENIDA": "AVENIDA",
}  # fmt: skip
# Words that carry no place in Spanish messages; dropped only when the message is Spanish.
SPANISH_FILLER = frozenset(
    ["DE", "DEL", "LA", "EL", "LOS", "LAS", "EN", "AL", "A", "CALLE", "NUMERO", "NO"]
)


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


def is_spanish(tokens: list[Token]) -> bool:
    return sum(1 for t in tokens if t.text in SPANISH_CUES) >= 2


# Spanish words that come before the name they describe: "avenida National" -> "National AVE",
# "parque Washington" -> "Washington PARK", "escuela Hamilton" -> "Hamilton SCHOOL".
SPANISH_PREFIX_TYPES = {"AVENIDA": "AVE", "BULEVAR": "BLVD", "PARQUE": "PARK", "ESCUELA": "SCHOOL"}


def englishify(tokens: list[Token]) -> list[Token]:
    """Spanish place words in English roles and English order."""
    if not is_spanish(tokens):
        return tokens
    out: list[Token] = []
    pending_type: str | None = None
    for token in spanish_numbers(tokens):
        if token.text in SPANISH_PREFIX_TYPES:
            pending_type = SPANISH_PREFIX_TYPES[token.text]
            continue
        word = SPANISH_WORDS.get(token.text, token.text)
        if word in SPANISH_FILLER:
            if token.stop and out:
                out[-1] = Token(out[-1].text, True)
            continue
        out.append(Token(word, token.stop and pending_type is None))
        if pending_type and word.isalpha() and word not in SPANISH_WORDS.values():
            out.append(Token(pending_type, token.stop))
            pending_type = None
    return out


SPANISH_UNITS = {
    "UNO": 1, "UNA": 1, "DOS": 2, "TRES": 3, "CUATRO": 4, "CINCO": 5, "SEIS": 6, "SIETE": 7,
    "OCHO": 8, "NUEVE": 9,
}  # fmt: skip
SPANISH_TEENS = {
    "DIEZ": 10, "ONCE": 11, "DOCE": 12, "TRECE": 13, "CATORCE": 14, "QUINCE": 15,
    "DIECISEIS": 16, "DIECISIETE": 17, "DIECIOCHO": 18, "DIECINUEVE": 19, "VEINTE": 20,
    "VEINTIUNO": 21, "VEINTIUNA": 21, "VEINTIDOS": 22, "VEINTITRES": 23, "VEINTICUATRO": 24,
    "VEINTICINCO": 25, "VEINTISEIS": 26, "VEINTISIETE": 27, "VEINTIOCHO": 28,
    "VEINTINUEVE": 29,
}  # fmt: skip
SPANISH_TENS = {
    "TREINTA": 30, "CUARENTA": 40, "CINCUENTA": 50, "SESENTA": 60, "SETENTA": 70,
    "OCHENTA": 80, "NOVENTA": 90,
}  # fmt: skip
STREET_CONTEXT_ES = frozenset({"LA", "CALLE", "Y", "CON", "ESQUINA", "DE"})


def spanish_numbers(tokens: list[Token]) -> list[Token]:
    """ "la trece" -> 13, "treinta y cinco" -> 35; a lone "dos" only after "la"/"calle"."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        word = tokens[i].text
        value, used = None, 1
        if word in SPANISH_TENS:
            value = SPANISH_TENS[word]
            if (
                i + 2 < len(tokens)
                and tokens[i + 1].text == "Y"
                and tokens[i + 2].text in SPANISH_UNITS
            ):
                value, used = value + SPANISH_UNITS[tokens[i + 2].text], 3
        elif word in SPANISH_TEENS:
            value = SPANISH_TEENS[word]
        elif word in SPANISH_UNITS and i > 0 and tokens[i - 1].text in STREET_CONTEXT_ES:
            value = SPANISH_UNITS[word]
        if value is None:
            out.append(tokens[i])
        else:
            out.append(Token(str(value), tokens[i + used - 1].stop))
        i += used
    return out


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
        elif (
            word.isdigit()
            and len(word) <= 2
            and i + 1 < len(tokens)
            and tokens[i + 1].text == "HUNDRED"
        ):
            value = int(word)  # "24 hundred block" -> 2400
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


def message_tokens(text: str) -> list[Token]:
    """The tokens the geocoder parses."""
    return englishify(spell_numbers(tokenize(text)))
