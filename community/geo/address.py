"""Street addresses: normalise and parse them out of free text, and match them exactly."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
import pandas as pd

from community.geo.citypkg import CityPackage, load_address_points, load_city
from community.geo.place import Place

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

MAX_NAME_TOKENS = 5
_TOKEN = re.compile(r"[A-Z0-9]+|[,;:!?()\[\]<>\"\n]|\.")
_HOUSE_NUMBER = re.compile(r"([1-9][0-9]{0,5})([A-Z])?")
_ORDINAL = re.compile(r"([0-9]{1,3})(ST|ND|RD|TH)?")
_BOUNDARY = set(',;:!?()[]<>"\n')


@dataclass(frozen=True)
class ParsedAddress:
    """A street address as parsed from text, in the City's (MAI) vocabulary; '' when absent."""

    number: int
    suffix: str = ""
    direction: str = ""
    street: str = ""
    street_type: str = ""

    @property
    def label(self) -> str:
        """The address formatted for people, e.g. '2847 N 35th St'."""
        return format_address(
            self.number, self.suffix, self.direction, self.street, self.street_type
        )


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


def _tokenize(text: str) -> tuple[list[str], list[bool]]:
    """Split text into word tokens and flag, per token, whether a boundary follows it."""
    tokens: list[str] = []
    breaks: list[bool] = []
    for tok in _TOKEN.findall(_clean(text)):
        if tok == ".":
            # A full stop ends a phrase unless it closes an abbreviation (N. / St. / Ave.).
            if tokens and not (len(tokens[-1]) <= 2 or tokens[-1] in STREET_TYPES):
                breaks[-1] = True
        elif tok in _BOUNDARY:
            if tokens:
                breaks[-1] = True
        else:
            tokens.append(tok)
            breaks.append(False)
    return tokens, breaks


def _candidates(tokens: list[str], breaks: list[bool], start: int, known: Collection[str] | None):
    """Yield (score, ParsedAddress) readings of the address whose house number is tokens[start]."""
    match = _HOUSE_NUMBER.fullmatch(tokens[start])
    if not match or breaks[start]:
        return
    number, suffix = int(match.group(1)), match.group(2) or ""
    first = start + 1
    readings = [("", first)]
    if first < len(tokens) and tokens[first] in DIRECTIONS and not breaks[first]:
        readings.insert(0, (DIRECTIONS[tokens[first]], first + 1))
    for direction, begin in readings:
        for end in range(begin + 1, min(begin + MAX_NAME_TOKENS, len(tokens)) + 1):
            name_tokens = tokens[begin:end]
            if direction == "" and begin == first and len(name_tokens[0]) == 1:
                break  # "2847 N" read as street "N" makes no sense
            name = normalize_name(name_tokens)
            street_type = ""
            if end < len(tokens) and tokens[end] in STREET_TYPES and not breaks[end - 1]:
                street_type = STREET_TYPES[tokens[end]]
            score = (3.0 if street_type else 0.0) + (1.0 if direction else 0.0)
            if known is not None:
                if name not in known:
                    if breaks[end - 1]:
                        break
                    continue
                score += 4.0 + 0.1 * len(name_tokens)
            else:
                score -= 0.1 * len(name_tokens)
            yield score, ParsedAddress(number, suffix, direction, name, street_type)
            if breaks[end - 1] or (street_type and known is None):
                break


def parse_address(text: str, known_streets: Collection[str] | None = None) -> ParsedAddress | None:
    """Find the most plausible street address inside free text; None when there is none.

    With ``known_streets`` (normalised names, e.g. from an AddressIndex) only readings whose
    street exists are accepted, which settles where a name without a street type ends.
    """
    if not text:
        return None
    tokens, breaks = _tokenize(text)
    best: tuple[float, ParsedAddress] | None = None
    for i, tok in enumerate(tokens):
        if not tok[0].isdigit():
            continue
        for score, parsed in _candidates(tokens, breaks, i, known_streets):
            if best is None or score > best[0]:
                best = (score, parsed)
    return best[1] if best else None


class AddressIndex:
    """Exact lookup of address points by (number, direction, street, type)."""

    def __init__(self, points: pd.DataFrame) -> None:
        """Build from a frame shaped like load_address_points() (number .. street_type, lon, lat)."""
        frame = points.reset_index(drop=True)
        for name in ("suffix", "direction", "street", "street_type"):
            frame[name] = frame[name].astype(str)
        self.lon = frame["lon"].to_numpy(dtype=float)
        self.lat = frame["lat"].to_numpy(dtype=float)
        self.number = frame["number"].to_numpy(dtype=np.int64)
        self.suffix = frame["suffix"].to_numpy(dtype=object)
        self.direction = frame["direction"].to_numpy(dtype=object)
        self.street = frame["street"].to_numpy(dtype=object)
        self.street_type = frame["street_type"].to_numpy(dtype=object)
        # key "number|street" -> row positions; rows without a suffix first.
        order = np.lexsort((np.arange(len(frame)), frame["suffix"].to_numpy() != ""))
        keys = frame["number"].astype(str) + "|" + frame["street"]
        self._rows: dict[str, list[int]] = {}
        for row, key in zip(order.tolist(), keys.to_numpy()[order].tolist(), strict=False):
            self._rows.setdefault(key, []).append(row)
        self.streets: frozenset[str] = frozenset(frame["street"].unique().tolist())
        self.known_streets: frozenset[str] = self.streets | {
            alias for alias, name in STREET_ALIASES.items() if name in self.streets
        }

    @classmethod
    def from_city(cls, city: CityPackage) -> AddressIndex:
        """Return the (cached) index of a city package's address points."""
        return _index_for(str(city.path))

    def __len__(self) -> int:
        """Number of address points indexed."""
        return len(self.lon)

    def parse(self, text: str) -> ParsedAddress | None:
        """Parse an address out of text, accepting only streets this index knows."""
        return parse_address(text, self.known_streets)

    def candidates(self, parsed: ParsedAddress) -> list[int]:
        """Row positions of distinct addresses agreeing with every part the resident gave."""
        street = STREET_ALIASES.get(parsed.street, parsed.street)
        rows = self._rows.get(f"{parsed.number}|{street}", [])
        seen: dict[tuple[str, str], int] = {}
        for row in rows:
            if parsed.direction and self.direction[row] != parsed.direction:
                continue
            if parsed.street_type and self.street_type[row] != parsed.street_type:
                continue
            if parsed.suffix and self.suffix[row] != parsed.suffix:
                continue
            seen.setdefault((self.direction[row], self.street_type[row]), row)
        return list(seen.values())

    def match(self, parsed: ParsedAddress | None) -> Place | None:
        """Exact match; when direction or type was omitted accept only a unique candidate."""
        if parsed is None:
            return None
        rows = self.candidates(parsed)
        if len(rows) != 1:
            return None
        row = rows[0]
        complete = bool(parsed.direction and parsed.street_type)
        label = format_address(
            int(self.number[row]),
            parsed.suffix,
            self.direction[row],
            self.street[row],
            self.street_type[row],
        )
        return Place(
            kind="address",
            lat=float(self.lat[row]),
            lon=float(self.lon[row]),
            label=label,
            confidence=0.95 if complete else 0.85,
        )

    def complete(self, parsed: ParsedAddress) -> ParsedAddress | None:
        """Fill in an omitted direction/type from the unique matching address, if any."""
        rows = self.candidates(parsed)
        if len(rows) != 1:
            return None
        row = rows[0]
        return replace(
            parsed,
            direction=self.direction[row],
            street=self.street[row],
            street_type=self.street_type[row],
        )


@lru_cache(maxsize=4)
def _index_for(path: str) -> AddressIndex:
    return AddressIndex(load_address_points(load_city(path)))
