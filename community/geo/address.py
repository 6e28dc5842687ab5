"""The words of street addresses: types, directions, aliases, ordinals, and their display form."""

from __future__ import annotations

import re
import unicodedata

# Street types as residents write them -> the City's (MAI) abbreviation.
STREET_TYPES: dict[str, str] = {
    "ST": "ST", "STR": "ST", "STREET": "ST", "STREETS": "ST",
    "AV": "AV", "AVE": "AV", "AVN": "AV", "AVENUE": "AV", "AVEN": "AV",
    "BL": "BL", "BLV": "BL", "BLVD": "BL", "BOULEVARD": "BL",
    "DR": "DR", "DRV": "DR", "DRIVE": "DR",
    "PL": "PL", "PLACE": "PL",
    "CT": "CT", "CRT": "CT", "COURT": "CT",
    "LA": "LA", "LN": "LA", "LANE": "LA",
    "TR": "TR", "TER": "TR", "TERR": "TR", "TERRACE": "TR",
    "PK": "PK", "PKY": "PK", "PKWY": "PK", "PARKWAY": "PK",
    "CR": "CR", "CIR": "CR", "CIRCLE": "CR",
    "WA": "WA", "WAY": "WA",
    "RD": "RD", "ROAD": "RD",
}  # fmt: skip
DIRECTIONS: dict[str, str] = {
    "N": "N", "NO": "N", "NORTH": "N",
    "S": "S", "SO": "S", "SOUTH": "S",
    "E": "E", "EAST": "E",
    "W": "W", "WEST": "W",
}  # fmt: skip
# Whole-name aliases residents use -> the City's street name.
STREET_ALIASES: dict[str, str] = {
    "MLK": "MARTIN L KING JR",
    "MARTIN LUTHER KING": "MARTIN L KING JR",
    "MARTIN LUTHER KING JR": "MARTIN L KING JR",
    "MARTIN L KING": "MARTIN L KING JR",
    "MCKINLEY": "MC KINLEY",
    "OCONNOR": "O CONNOR",
    "VEL PHILLIPS": "VEL R PHILLIPS",
    "CESAR CHAVEZ": "CESAR E CHAVEZ",
}
# Words inside street names residents spell out where the City abbreviates.
NAME_WORDS: dict[str, str] = {"MOUNT": "MT", "SAINT": "ST", "SNT": "ST"}
TYPE_LABELS: dict[str, str] = {
    "ST": "St", "AV": "Ave", "BL": "Blvd", "DR": "Dr", "PL": "Pl", "CT": "Ct", "LA": "Ln",
    "TR": "Ter", "PK": "Pkwy", "CR": "Cir", "WA": "Way", "RD": "Rd",
}  # fmt: skip

_TOKEN = re.compile(r"[A-Z0-9]+|[,;:!?()\[\]<>\"\n]|\.")
_ORDINAL = re.compile(r"([0-9]{1,3})(ST|ND|RD|TH)?")


def ordinal(number: int) -> str:
    """Return the ordinal street name for a number: 1 -> '1ST', 12 -> '12TH', 35 -> '35TH'."""
    if 10 <= number % 100 <= 20:
        return f"{number}TH"
    return f"{number}{ {1: 'ST', 2: 'ND', 3: 'RD'}.get(number % 10, 'TH') }"


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).upper()
    text = re.sub(r"<[^<>]{0,200}>", " ", text)  # HTML tags
    text = re.sub(r"&[A-Z]+;|&#[0-9]+;", " ", text)  # HTML entities
    return text.replace("'", "").replace("\u2019", "")  # O'Connor -> OCONNOR (alias)


def _name_token(token: str) -> str:
    match = _ORDINAL.fullmatch(token)
    if match and int(match.group(1)) > 0:
        return ordinal(int(match.group(1)))
    return NAME_WORDS.get(token, token)


def normalize_name(tokens: list[str] | str) -> str:
    """Normalise a bare street name (no direction or type): '35' -> '35TH', 'MLK' -> alias."""
    if isinstance(tokens, str):
        tokens = _TOKEN.findall(_clean(tokens))
        tokens = [t for t in tokens if t.isalnum()]
    name = " ".join(_name_token(t) for t in tokens)
    return STREET_ALIASES.get(name, name)


def normalize_street(text: str) -> str:
    """Normalise a street (direction, name, type) to MAI form: 'north 35th Street' -> 'N 35TH ST'."""
    tokens = [t for t in _TOKEN.findall(_clean(text)) if t.isalnum()]
    direction = street_type = ""
    if len(tokens) > 1 and tokens[-1] in STREET_TYPES:
        street_type = STREET_TYPES[tokens.pop()]
    if len(tokens) > 1 and tokens[0] in DIRECTIONS:
        direction = DIRECTIONS[tokens.pop(0)]
    return " ".join(p for p in (direction, normalize_name(tokens), street_type) if p)


def _title_word(word: str) -> str:
    if _ORDINAL.fullmatch(word):
        return word.lower()
    if word.startswith("MC") and len(word) > 3:
        return "Mc" + word[2:].title()
    return word.title() if len(word) > 1 else word


def format_address(number: int, suffix: str, direction: str, street: str, street_type: str) -> str:
    """Format MAI parts for display: (2847, '', 'N', '35TH', 'ST') -> '2847 N 35th St'."""
    name = " ".join(_title_word(w) for w in street.split())
    parts = [
        f"{number}{suffix}",
        direction,
        name,
        TYPE_LABELS.get(street_type, street_type.title()),
    ]
    return " ".join(p for p in parts if p)
