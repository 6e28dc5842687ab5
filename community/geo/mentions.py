"""Finding where a message talks about a place: addresses, blocks, intersections.

Works on the tokens of community.geo.text and the street names of a StreetIndex. A street is
only taken as a street where the words around it say so: a house number before it, a street
type or direction, or a connector to a second street ("35th and Center", "Center near 27th").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from community.geo.address import DIRECTIONS, STREET_TYPES, normalize_name
from community.geo.streets import StreetIndex
from community.geo.text import Token

HOUSE_NUMBER = re.compile(r"([1-9][0-9]{0,5})([A-Z])?")
NUMBERED_STREET = re.compile(r"([1-9][0-9]{0,2})(ST|ND|RD|TH)?")
BLOCK_WORDS = frozenset({"BLOCK", "BLK", "BLOCKS", "HUNDRED", "BLOQUE", "CUADRA"})
# Words that put the house number after the street ("la calle 24 sur numero 2315").
NUMBER_WORDS = frozenset({"NUMERO"})
# Types written before the name ("avenida National", "bulevar Sherman").
PREFIX_TYPES = {"AVENIDA": "AV", "BULEVAR": "BL"}
# Words joining two streets at a corner ("35th and Center", "Center near 27th", "27th/Wells").
JOINERS = frozenset({"AND", "&", "AT", "@", "/", "NEAR", "BY", "OFF", "X", "CROSS", "ON", "N"})
CORE_JOINERS = frozenset({"AND", "&", "AT", "@", "/", "NEAR", "BY", "OFF", "X", "CROSS", "CORNER"})
FILLER = frozenset({"THE", "OF", "CORNER", "CORNERS", "STREET", "ST", "AVE", "AV", "RIGHT"})
UNIT_WORDS = frozenset({"APT", "APARTMENT", "UNIT", "STE", "SUITE", "UPPER", "LOWER", "REAR", "FL"})
# Words too common to be a street on their own, without a type or direction next to them.
COMMON_WORDS = frozenset(
    [
        "THE",
        "A",
        "AN",
        "AND",
        "OR",
        "AT",
        "BY",
        "IN",
        "ON",
        "OF",
        "TO",
        "FROM",
        "NEAR",
        "OFF",
        "UP",
        "DOWN",
        "OVER",
        "HOUSE",
        "HOME",
        "CAR",
        "CARS",
        "PARK",
        "STREET",
        "CORNER",
        "BLOCK",
        "ALLEY",
        "LOT",
        "STORE",
        "GAS",
        "STATION",
        "SCHOOL",
        "CHURCH",
        "BAR",
        "GREEN",
        "COURT",
        "CIRCLE",
        "FRONT",
        "BACK",
        "SIDE",
        "GARDEN",
        "HOPE",
        "IRON",
        "BAY",
        "DEER",
        "DOVE",
        "ARROW",
        "HARVEST",
        "HERITAGE",
        "GLEN",
        "BOW",
        "ELM",
        "ASH",
        "OAK",
        "PINE",
        "CHERRY",
        "MAPLE",
        "CEDAR",
        "BIRCH",
        "WATER",
        "STATE",
        "MAIN",
        "CENTRAL",
        "CENTENNIAL",
        "COMMERCE",
        "INDUSTRIAL",
        "NORTH",
        "SOUTH",
        "EAST",
        "WEST",
        "HIGH",
        "HILL",
        "VIEW",
        "LAKE",
        "RIVER",
        "BRIDGE",
        "CANAL",
        "CAPE",
        "CHASE",
        "CROSS",
        "GRANT",
        "HALE",
        "HOLT",
        "HOPE",
        "JAMES",
        "JOSEPH",
        "MARY",
        "ROSE",
        "RUBY",
        "SILVER",
        "GOLD",
        "STAR",
        "DAY",
        "NIGHT",
        "TIME",
        "EVERY",
        "LIGHT",
    ]
)


@dataclass(frozen=True)
class StreetRef:
    """A street as written in the message, resolved to the City's name."""

    start: int
    end: int  # exclusive token index
    name: str
    direction: str = ""
    street_type: str = ""
    fuzzy: bool = False
    evidence: int = 0  # 0 weak (a bare word) .. 4 strong (direction + type + distinct name)

    @property
    def bare_number(self) -> bool:
        """A number alone ("35"), which may be a street or just a number."""
        return self.name[0].isdigit() and self.evidence == 0


@dataclass(frozen=True)
class AddressMention:
    number: int
    suffix: str
    street: StreetRef
    block: bool = False  # "2400 block of", "cuadra 2400"


@dataclass(frozen=True)
class CornerMention:
    first: StreetRef
    second: StreetRef


@dataclass(frozen=True)
class BetweenMention:
    """A stretch of one street between two cross streets ("on Center between 26th and 27th")."""

    street: StreetRef
    first: StreetRef
    second: StreetRef


def street_readings(tokens: list[Token], start: int, index: StreetIndex) -> list[StreetRef]:
    """Every reading of a street that begins at tokens[start], longest first."""
    readings: list[StreetRef] = []
    for begin, direction, street_type in _starts(tokens, start):
        limit = min(begin + index.max_name_words, len(tokens))
        for end in range(limit, begin, -1):
            words = [t.text for t in tokens[begin:end]]
            if any(t.stop for t in tokens[begin : end - 1]) or not all(w.isalnum() for w in words):
                continue
            for reading in _reading(
                tokens, start, begin, end, direction, words, index, street_type
            ):
                readings.append(reading)
    # Exact names before misspellings, then the most evidence, then the longest.
    readings.sort(key=lambda r: (r.fuzzy, -r.evidence, r.start - r.end))
    return readings


def _starts(tokens: list[Token], start: int) -> list[tuple[int, str, str]]:
    """Where the name may begin after a direction or a type written first ("avenida National")."""
    starts = [(start, "", "")]
    at, direction, street_type = start, "", ""
    for _ in range(2):
        word = tokens[at].text
        if at + 1 >= len(tokens) or tokens[at].stop:
            break
        if word in DIRECTIONS and not direction:
            direction = DIRECTIONS[word]
        elif word in PREFIX_TYPES and not street_type:
            street_type = PREFIX_TYPES[word]
        else:
            break
        at += 1
        starts.insert(0, (at, direction, street_type))
    return starts


def _post_direction(tokens: list[Token], at: int) -> str:
    """A direction written after the street ("la 16 sur", "35th St N"), or ""."""
    if at >= len(tokens) or tokens[at - 1].stop:
        return ""
    word = tokens[at].text
    if word not in DIRECTIONS or word in ("NO", "SO"):
        return ""
    after = tokens[at + 1].text if at + 1 < len(tokens) else ""
    if after == "OF":
        return ""  # "west of 35th" says where along the street, not which street
    return DIRECTIONS[word]


def _reading(
    tokens: list[Token],
    start: int,
    begin: int,
    end: int,
    direction: str,
    words: list[str],
    index: StreetIndex,
    street_type: str = "",
) -> list[StreetRef]:
    if words[0].isdigit() and len(words) == 1:
        match = NUMBERED_STREET.fullmatch(words[0])
        if not match or int(match.group(1)) > 140:
            return []
    elif words[0][0].isdigit() and not NUMBERED_STREET.fullmatch(words[0]):
        return []
    stop = end
    if end < len(tokens) and tokens[end].text in STREET_TYPES and not tokens[end - 1].stop:
        street_type = STREET_TYPES[tokens[end].text]
        stop = end + 1
    name = normalize_name(words)
    canonical = index.canonical_name(name)
    names = (canonical,) if canonical is not None else ()
    # Misspellings are only looked for where the words around say "a street is here".
    if (
        canonical is None
        and len(words) <= 2
        and all(w.isalpha() and w not in STREET_TYPES for w in words)
        and (street_type or direction or _street_context(tokens, start, end))
    ):
        names = index.fuzzy_names(" ".join(words))
    fuzzy = canonical is None
    evidence = (2 if street_type else 0) + (1 if direction else 0)
    if words[0][0].isdigit():
        evidence += 1 if not words[0].isdigit() else 0  # "35th" says street; "35" may not
    elif len(words) > 1 or name not in COMMON_WORDS:
        evidence += 1
    post = "" if direction else _post_direction(tokens, stop)
    found = []
    for canonical in names:  # equally close misspellings: each a reading, the corner settles it
        if post:
            found.append(
                StreetRef(start, stop + 1, canonical, post, street_type, fuzzy, evidence + 1)
            )
        found.append(StreetRef(start, stop, canonical, direction, street_type, fuzzy, evidence))
    return found


def _street_context(tokens: list[Token], start: int, end: int) -> bool:
    before = tokens[start - 1].text if start > 0 else ""
    after = tokens[end].text if end < len(tokens) else ""
    return (
        bool(HOUSE_NUMBER.fullmatch(before))
        or before in CORE_JOINERS
        or after in CORE_JOINERS
        or before in {"ON", "OF", "CORNER", "N"}
    )


def find_streets(tokens: list[Token], index: StreetIndex) -> dict[int, list[StreetRef]]:
    """All street readings by start position."""
    found = {}
    for i in range(len(tokens)):
        readings = street_readings(tokens, i, index)
        if readings:
            found[i] = readings
    return found


def find_addresses(
    tokens: list[Token], streets: dict[int, list[StreetRef]]
) -> list[AddressMention]:
    """House numbers followed by a street, and hundred blocks."""
    mentions: list[AddressMention] = []
    skip = -1
    for i, token in enumerate(tokens):
        match = HOUSE_NUMBER.fullmatch(token.text)
        after_block = i > 0 and tokens[i - 1].text in BLOCK_WORDS
        if i == skip or not match or (token.stop and not after_block):
            continue  # "la 12 norte, cuadra del 2400,": 12 is the street
        if mentions and mentions[-1].street.start <= i < mentions[-1].street.end:
            continue  # "bloque 6700 calle 108 norte": 108 is the street, not a house number
        split = _split_number(tokens, streets, i)
        if split is not None:  # "28 47 n 35", "28-47 n 35": one house number written in two
            mentions.extend(AddressMention(split, "", street) for street in streets[i + 2][:1])
            skip = i + 1
            continue
        number, suffix = int(match.group(1)), match.group(2) or ""
        after = i + 1
        block = False
        while after < len(tokens) and tokens[after].text in BLOCK_WORDS | {"OF", "THE"}:
            block = block or tokens[after].text in BLOCK_WORDS
            after += 1
        if after_block:
            block = True
            if number < 100 and not suffix and after in streets:
                number *= 100  # "la cuadra 13 de la 16": a block given in hundreds
        for street in streets.get(after, []):
            if street.bare_number and not block and not _street_follows(tokens, street):
                continue  # "6 gunshots at 35"? a bare number after a number is no address
            mentions.append(AddressMention(number, suffix, street, block))
            if not street.fuzzy:
                break
            # equally close misspellings ("Michell"): each a reading, far apart ones ask
            mentions.extend(
                AddressMention(number, suffix, other, block)
                for other in streets[after]
                if other.fuzzy and other is not street and (other.start, other.end, other.direction)
                == (street.start, street.end, street.direction)
            )  # fmt: skip
            break
        else:
            street = None
            if block and number >= 100:  # "N 35th St 3700 block", "la 16 sur, cuadra del 1300"
                street = _street_before(tokens, streets, i)
            elif i > 0 and tokens[i - 1].text in NUMBER_WORDS:  # "calle 24 sur numero 2315"
                street = _street_before(tokens, streets, i - 1)
            if street is not None:
                mentions.append(AddressMention(number, suffix, street, block))
    return mentions


_TWO_DIGITS = re.compile(r"[1-9][0-9]")


def _split_number(tokens: list[Token], streets: dict[int, list[StreetRef]], i: int) -> int | None:
    """A house number written as two pairs of digits before a street ("28 47 n 35"), or None."""
    if (
        i + 2 >= len(tokens)
        or tokens[i].stop
        or tokens[i + 1].stop
        or not _TWO_DIGITS.fullmatch(tokens[i].text)
        or not re.fullmatch(r"[0-9]{2}", tokens[i + 1].text)
    ):
        return None
    street = next(iter(streets.get(i + 2, [])), None)
    if street is None or (street.bare_number and not _street_follows(tokens, street)):
        return None
    if street.direction or street.street_type or street.bare_number or street.evidence >= 2:
        return int(tokens[i].text + tokens[i + 1].text)
    return None


def _street_before(
    tokens: list[Token], streets: dict[int, list[StreetRef]], at: int
) -> StreetRef | None:
    """The street written just before a block number (block words and a comma between)."""
    while at > 0 and tokens[at - 1].text in BLOCK_WORDS | {"THE", "OF", "IN", "ON"}:
        at -= 1
    ending = [r for readings in streets.values() for r in readings if r.end == at]
    ending = [r for r in ending if not r.bare_number or r.start == 0 or r.evidence]
    ending.sort(key=lambda r: (r.fuzzy, -r.evidence, r.start - r.end))
    return ending[0] if ending else None


def _street_follows(tokens: list[Token], street: StreetRef) -> bool:
    # "2847 35" is an address only when the message ends or a unit/boundary follows.
    return street.end >= len(tokens) or tokens[street.end - 1].stop


def find_corners(
    tokens: list[Token], streets: dict[int, list[StreetRef]]
) -> tuple[list[CornerMention], list[BetweenMention]]:
    """Pairs of streets joined by a corner word, and "X between A and B"."""
    corners: list[CornerMention] = []
    betweens: list[BetweenMention] = []
    for start, readings in streets.items():
        for first in readings:
            for second, joiners in _next_streets(tokens, streets, first.end):
                if "BETWEEN" in joiners:
                    continue
                if not (set(joiners) & CORE_JOINERS) and joiners != ["N"]:  # "27th n Oklahoma"
                    continue
                if first.evidence + second.evidence < 1 and not (
                    first.name[0].isdigit() or second.name[0].isdigit()
                ):
                    continue
                found = len(betweens)
                if start > 0 and tokens[start - 1].text == "BETWEEN":
                    _add_between(tokens, streets, start, first, second, betweens)
                    for street, _ in _next_streets(tokens, streets, second.end):
                        betweens.append(BetweenMention(street, first, second))  # "... on Center"
                if len(betweens) == found:  # "16th between Lincoln and Becher": no corner of those
                    corners.append(CornerMention(first, second))
    return corners, betweens


def _add_between(tokens, streets, start, first, second, betweens) -> None:
    # "<street> between <first> and <second>": the street is the one just before "between".
    for begin in range(max(0, start - 6), start - 1):
        for street in streets.get(begin, []):
            if street.end in (start - 1, start - 2):
                betweens.append(BetweenMention(street, first, second))


def _next_streets(
    tokens: list[Token], streets: dict[int, list[StreetRef]], position: int
) -> list[tuple[StreetRef, list[str]]]:
    """Streets that follow position after only joiner/filler words (at most three)."""
    found = []
    joiners: list[str] = []
    for offset in range(4):
        at = position + offset
        if at >= len(tokens):
            break
        if at > position and tokens[at - 1].stop:
            break
        if joiners and at in streets:
            found.extend((s, list(joiners)) for s in streets[at])
        word = tokens[at].text
        if word in JOINERS or word in FILLER or word == "BETWEEN":
            joiners.append(word)
            continue
        break
    return found
