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

MAX_MESSAGE_CHARS = 2000  # longer messages are cut: a place is never that far in

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


def englishify(tokens: list[Token]) -> list[Token]:
    """Spanish place words in English roles; "avenida National" -> "National AVE"."""
    if not is_spanish(tokens):
        return tokens
    out: list[Token] = []
    pending_type: str | None = None
    for token in tokens:
        word = SPANISH_WORDS.get(token.text, token.text)
        if word in SPANISH_FILLER:
            if token.stop and out:
                out[-1] = Token(out[-1].text, True)
            continue
        if word == "AVENIDA":
            pending_type = "AVE"
            continue
        out.append(Token(word, token.stop and pending_type is None))
        if pending_type and word.isalpha() and word not in SPANISH_WORDS.values():
            out.append(Token(pending_type, token.stop))
            pending_type = None
    return out


def message_tokens(text: str) -> list[Token]:
    """The tokens the geocoder parses."""
    return englishify(tokenize(text))
