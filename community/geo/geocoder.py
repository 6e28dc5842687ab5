"""Free text -> Place for a city package: the entry point the app calls to locate a concern.

The message is read for every kind of place it may name (addresses, blocks, intersections,
landmarks, areas). Each mention gives one or more readings; the most specific, most certain
reading wins and the others become its alternatives. A mention with several readings far
apart ("2847 35th St": north or south?) is never confident: the resident is asked to choose.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from community.geo.address import STREET_TYPES, format_address
from community.geo.citypkg import CityPackage, to_lonlat
from community.geo.context import annotate, area_locator
from community.geo.distance import metres
from community.geo.intersections import corner_lot, meet
from community.geo.landmarks import Landmark, landmark_index
from community.geo.mentions import (
    AddressMention,
    BetweenMention,
    CornerMention,
    StreetRef,
    find_addresses,
    find_corners,
    find_streets,
)
from community.geo.message import message_tokens
from community.geo.place import Place
from community.geo.streets import StreetIndex, StreetKey, street_index
from community.geo.text import Token

SPECIFICITY = {
    "address": 6,
    "interpolated": 5,
    "intersection": 4,
    "block": 3,
    "landmark": 2,
    "area": 1,
}
AMBIGUOUS_CONFIDENCE = 0.5
HINT_NEAR_M = 2000.0  # a named area this close to one reading (and not the others) settles it
SAME_PLACE_M = 150.0
# Two street places (addresses, blocks, corners) this far apart, neither much surer: ask which.
STREET_PLACES = frozenset({"address", "interpolated", "intersection", "block"})
TWO_PLACES_M = 600.0
TWO_PLACES_MARGIN = 0.25
TWO_PLACES_CONFIDENCE = 0.45  # below the ambiguous 0.5: the resident is asked which one
MAX_ALTERNATIVES = 4
US_STATES = frozenset(
    [
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CO",
        "CT",
        "DE",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IN",
        "IA",
        "KS",
        "KY",
        "LA",
        "ME",
        "MD",
        "MA",
        "MI",
        "MN",
        "MS",
        "MO",
        "MT",
        "NE",
        "NV",
        "NH",
        "NJ",
        "NM",
        "NY",
        "NC",
        "ND",
        "OH",
        "OK",
        "OR",
        "PA",
        "RI",
        "SC",
        "SD",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "WA",
        "WV",
        "WY",
        "DC",
        "ILLINOIS",
        "MINNESOTA",
        "MICHIGAN",
        "IOWA",
        "CALIFORNIA",
        "TEXAS",
        "FLORIDA",
    ]
)
DISTRICT_WORDS = frozenset({"DISTRICT", "DISTRITO", "DIST"})


def geocode(city: CityPackage, text: str) -> Place:
    """Locate free text in the city; Place.none() when it names no place we can find."""
    if not text or not text.strip():
        return Place.none()
    tokens = message_tokens(text)
    if not tokens or _elsewhere(tokens, city):
        return Place.none()
    groups = _readings(city, tokens)
    if not groups:
        return Place.none()
    return annotate(city, _choose(groups))


def _readings(city: CityPackage, tokens: list[Token]) -> list[list[Place]]:
    """Every mention's readings, each list best first."""
    index = street_index(city)
    streets = find_streets(tokens, index)
    groups: list[list[Place]] = []
    for mention in find_addresses(tokens, streets):
        groups.append(_address(city, index, mention))
    corners, betweens = find_corners(tokens, streets)
    for between in betweens:
        groups.append(_between(city, index, between))
    for corner in corners:
        groups.append(_corner(city, index, corner))
    groups.extend(_landmarks(city, tokens))
    groups.extend(_schools_on(city, tokens, streets))
    groups.extend(_districts(city, tokens))
    hints = [g[0] for g in groups if g and g[0].kind in ("landmark", "area")]
    return [_rank(city, group, hints) for group in groups if group]


def _choose(groups: list[list[Place]]) -> Place:
    """The best reading; the rest, nearest-duplicates removed, as alternatives."""
    groups.sort(key=lambda g: (g[0].confidence, SPECIFICITY[g[0].kind]), reverse=True)
    best = groups[0][0]
    if _two_places(best, [g[0] for g in groups[1:]]):  # "2847 N 35th St and 1500 W Lincoln"
        best = replace(best, confidence=min(best.confidence, TWO_PLACES_CONFIDENCE))
    others: list[Place] = []
    for place in [
        *groups[0][1:],
        *(g[0] for g in groups[1:]),
        *(p for g in groups[1:] for p in g[1:]),
    ]:
        if len(others) >= MAX_ALTERNATIVES:
            break
        if all(_apart(place, seen) for seen in [best, *others]):
            others.append(place)
    return best.with_alternatives(tuple(others))


def _two_places(best: Place, others: list[Place]) -> bool:
    """Whether the message names another street place, as sure and far away: ask which."""
    if best.kind not in STREET_PLACES:
        return False
    return any(
        other.kind in STREET_PLACES
        and other.confidence >= AMBIGUOUS_CONFIDENCE
        and other.confidence >= best.confidence - TWO_PLACES_MARGIN
        and _metres(best, other) > TWO_PLACES_M
        for other in others
    )


def _rank(city: CityPackage, group: list[Place], hints: list[Place]) -> list[Place]:
    """Best first; readings far apart make the mention ambiguous (never confident)."""
    # A mention's own reading is no hint about it ("la escuela Saint ...": one of 26 schools).
    hints = [h for h in hints if all(h is not p for p in group)]
    group = _distinct(sorted(group, key=lambda p: p.confidence, reverse=True))
    if len(group) < 2:
        return group
    if hints:  # "1518 35th St in Merrill Park": the named area settles it
        hint = hints[0]
        inside = [p for p in group if _inside(city, p, hint)]
        if len(inside) == 1:
            return inside + [p for p in group if p is not inside[0]]
        group.sort(key=lambda p: _metres(p, hint))
        near, far = _metres(group[0], hint), _metres(group[1], hint)
        if near < HINT_NEAR_M and far > 2 * near:
            return group
    group[0] = replace(group[0], confidence=min(group[0].confidence, AMBIGUOUS_CONFIDENCE))
    return group


def _inside(city: CityPackage, place: Place, hint: Place) -> bool:
    """Whether a reading lies in the area a hint names (a neighbourhood, a district)."""
    if not hint.areas:
        return False
    codes = area_locator(city).locate(place.lon, place.lat)
    return all(codes.get(kind) == code for kind, code in hint.areas.items())


def _distinct(group: list[Place]) -> list[Place]:
    kept: list[Place] = []
    for place in group:
        if all(_apart(place, other) for other in kept):
            kept.append(place)
    return kept


def _apart(a: Place, b: Place) -> bool:
    return _metres(a, b) > SAME_PLACE_M


def _metres(a: Place, b: Place) -> float:
    return metres(a.lat, a.lon, b.lat, b.lon)


def _place(
    city: CityPackage, kind: str, xy: tuple[float, float], label: str, confidence: float
) -> Place:
    lon, lat = to_lonlat(city, np.array([xy[0]]), np.array([xy[1]]))
    return Place(
        kind=kind,
        lat=float(lat[0]),
        lon=float(lon[0]),
        label=label,
        confidence=round(confidence, 3),
    )


def street_label(key: StreetKey) -> str:
    """'N 35th St' for ('N', '35TH', 'ST')."""
    direction, name, street_type = key
    label = format_address(0, "", direction, name, street_type)
    return label[2:] if label.startswith("0 ") else label


def _sureness(ref: StreetRef) -> float:
    """How much the way a street was written lowers confidence."""
    factor = 1.0
    if ref.fuzzy:
        factor *= 0.9
    if not ref.direction:
        factor *= 0.97
    if not ref.street_type:
        factor *= 0.97
    return factor


# -- addresses and blocks -----------------------------------------------------------------------


def _address(city: CityPackage, index: StreetIndex, mention: AddressMention) -> list[Place]:
    ref = mention.street
    keys = index.keys(ref.name, ref.direction, ref.street_type)
    sure = _sureness(ref)
    if mention.block:
        return _blocks(city, index, keys, mention.number // 100 * 100, 0.75 * sure, middle=True)
    found = _exact(city, index, keys, mention, 0.95 * sure)
    if not found and ref.direction and ref.street_type:
        longer = index.longer_keys(ref.name, ref.direction, ref.street_type)
        found = _exact(city, index, longer, mention, 0.95 * sure)
    if found:
        return found
    if mention.number % 100 == 0:  # "2400 N 12th St": the hundred-block style
        found = _blocks(city, index, keys, mention.number, 0.75 * sure, middle=False)
    else:
        found = _interpolated(city, index, keys, mention, 0.8 * sure)
    if ref.direction:  # a wrong direction ("2847 S 35th" where only N 35th has 2847)?
        others = [k for k in index.keys(ref.name, "", ref.street_type) if k not in keys]
        found = _exact(city, index, others, mention, 0.6 * sure) + found
    return found or _blocks(city, index, keys, mention.number // 100 * 100, 0.6 * sure, middle=True)


def _interpolated(
    city: CityPackage,
    index: StreetIndex,
    keys: list[StreetKey],
    mention: AddressMention,
    confidence: float,
) -> list[Place]:
    found = []
    for key in keys:
        xy = index.interpolate(key, mention.number)
        sure = confidence
        if xy is None:  # just past the last number the City has: the street still runs there
            xy, sure = index.position(key, mention.number, reach=60), confidence * 0.85
        if xy is not None:
            label = format_address(mention.number, mention.suffix, *key)
            found.append(_place(city, "interpolated", xy, label, sure))
    return found


def _exact(
    city: CityPackage,
    index: StreetIndex,
    keys: list[StreetKey],
    mention: AddressMention,
    confidence: float,
) -> list[Place]:
    return _on_each_street(
        city, index, keys, "address", confidence,
        position=lambda key: index.exact(key, mention.number, mention.suffix),
        label=lambda key: format_address(mention.number, mention.suffix, *key),
    )  # fmt: skip


def _on_each_street(
    city: CityPackage,
    index: StreetIndex,
    keys: list[StreetKey],
    kind: str,
    confidence: float,
    position: Callable[[StreetKey], tuple[float, float] | None],
    label: Callable[[StreetKey], str],
) -> list[Place]:
    """One reading per street of that name, the longest street first."""
    found = []
    for key in sorted(keys, key=lambda k: -index.streets[k].numbers.size):
        xy = position(key)
        if xy is not None:
            found.append(_place(city, kind, xy, label(key), confidence))
    return found


def _blocks(
    city: CityPackage,
    index: StreetIndex,
    keys: list[StreetKey],
    hundred: int,
    confidence: float,
    middle: bool,
) -> list[Place]:
    return _on_each_street(
        city, index, keys, "block", confidence,
        position=lambda key: index.block(key, hundred, middle),
        label=lambda key: f"{hundred} block of {street_label(key)}",
    )  # fmt: skip


# -- intersections ------------------------------------------------------------------------------


MAX_MEETS = 20_000  # street pairs remembered (residents name the same corners again and again)


def _meet(index: StreetIndex, key_a: StreetKey, key_b: StreetKey) -> list[tuple[float, float]]:
    """Where two streets meet, remembered on the street index (same streets, same corners)."""
    found = index.meets.get((key_a, key_b))
    if found is None:
        if len(index.meets) >= MAX_MEETS:
            index.meets.clear()
        found = index.meets[(key_a, key_b)] = meet(index.streets[key_a], index.streets[key_b])
    return found


def _corner_points(
    index: StreetIndex, first: StreetRef, second: StreetRef
) -> list[tuple[tuple[float, float], StreetKey, StreetKey]]:
    found = []
    by_size = lambda key: -index.streets[key].numbers.size  # noqa: E731 - main streets first
    for key_a in sorted(index.keys(first.name, first.direction, first.street_type), key=by_size):
        keys_b = index.keys(second.name, second.direction, second.street_type)
        for key_b in sorted(keys_b, key=by_size):
            if key_a[1] == key_b[1]:
                continue
            if index.numbered_parallel and key_a[1][0].isdigit() and key_b[1][0].isdigit():
                continue  # "26th and 27th": in this city numbered streets never meet
            for xy in _meet(index, key_a, key_b):
                found.append((xy, key_a, key_b))
    if not found:  # a renamed stretch ("Mitchell": HISTORIC MITCHELL), or a shared corner lot
        keys_a = _keys(index, first)
        keys_b = _keys(index, second)
        for key_a in keys_a:
            for key_b in keys_b:
                if key_a[1] == key_b[1] or (
                    index.numbered_parallel and key_a[1][0].isdigit() and key_b[1][0].isdigit()
                ):
                    continue
                found.extend((xy, key_a, key_b) for xy in _meet(index, key_a, key_b))
    if not found:
        for key_a in keys_a:
            for key_b in keys_b:
                if key_a[1] == key_b[1] or (
                    index.numbered_parallel and key_a[1][0].isdigit() and key_b[1][0].isdigit()
                ):
                    continue
                xy = corner_lot(index.streets[key_a], index.streets[key_b])
                if xy is not None:
                    found.append((xy, key_a, key_b))
    return found


def _keys(index: StreetIndex, ref: StreetRef) -> list[StreetKey]:
    """The streets a reference names, and the longer-named streets it may stand for."""
    keys = index.keys(ref.name, ref.direction, ref.street_type)
    longer = index.longer_keys(ref.name, ref.direction, ref.street_type)
    return keys + [k for k in longer if k not in keys]


def _corner(city: CityPackage, index: StreetIndex, mention: CornerMention) -> list[Place]:
    first, second = mention.first, mention.second
    confidence = 0.85 * _sureness(first) * _sureness(second)
    if first.bare_number or second.bare_number:
        confidence *= 0.95
    return [
        _place(city, "intersection", xy, f"{street_label(a)} & {street_label(b)}", confidence)
        for xy, a, b in _corner_points(index, first, second)
    ]


def _between(city: CityPackage, index: StreetIndex, mention: BetweenMention) -> list[Place]:
    """The middle of a street between two cross streets: a block."""
    ends_a = _corner_points(index, mention.street, mention.first)
    ends_b = _corner_points(index, mention.street, mention.second)
    found = []
    for xy_a, key, cross_a in ends_a:
        for xy_b, key_b, cross_b in ends_b:
            gap = np.hypot(xy_a[0] - xy_b[0], xy_a[1] - xy_b[1])
            if key == key_b and gap < 800:
                middle = ((xy_a[0] + xy_b[0]) / 2, (xy_a[1] + xy_b[1]) / 2)
                label = f"{street_label(key)} between {street_label(cross_a)} and {street_label(cross_b)}"
                found.append(_place(city, "block", middle, label, 0.8))
    return found


# -- landmarks and areas ------------------------------------------------------------------------

LANDMARK_CONFIDENCE = {
    "school": 0.75,
    "public": 0.75,
    "park": 0.7,
    "business_district": 0.6,
    "neighborhood": 0.45,
    "school_nickname": 0.45,  # "la South Division": no school word, so the resident confirms
}


def _landmarks(city: CityPackage, tokens: list[Token]) -> list[list[Place]]:
    words = [t.text for t in tokens]
    groups = []
    for start, end, hits in landmark_index(city).find(words):
        if end < len(words) and words[end] in STREET_TYPES:
            continue  # "Silver Spring Dr" is the street, not the neighbourhood
        if hits[0].category == "school_nickname" and street_index(city).canonical_name(
            " ".join(words[start:end])
        ):
            continue  # "la Forest Home" is the avenue more often than the school
        groups.append([_landmark_place(hit) for hit in hits])
    return groups


SCHOOL_ON = frozenset({"ON", "AT", "OFF", "BY", "NEAR"})
SCHOOL_KINDS = {"ELEMENTARY": ("ELEMENTARY",), "MIDDLE": ("MIDDLE", "MID"), "HIGH": ("HIGH",)}
SCHOOL_WORDS_ON = frozenset({*SCHOOL_KINDS, "SCHOOL"})


def _schools_on(
    city: CityPackage, tokens: list[Token], streets: dict[int, list[StreetRef]]
) -> list[list[Place]]:
    """ "the elementary on Oklahoma", "la escuela en la National": the schools on that street."""
    schools_on = landmark_index(city).schools_on
    groups = []
    for i, token in enumerate(tokens[:-1]):
        if token.text not in SCHOOL_WORDS_ON or token.stop:
            continue
        at = i + 1 + (tokens[i + 1].text in SCHOOL_ON)
        if at == i + 1 and tokens[at].text in SCHOOL_WORDS_ON:
            continue  # "high school": the word after says which kind, not where
        street = next(iter(streets.get(at, [])), None)
        if street is None:
            continue
        schools = [s for name in [street.name] for s in schools_on.get(name, [])]
        kind = SCHOOL_KINDS.get(token.text) or SCHOOL_KINDS.get(tokens[i - 1].text if i else "")
        if kind:
            schools = [s for s in schools if set(_words_of(s.name)) & set(kind)] or schools
        if schools:
            groups.append([replace(_landmark_place(s), confidence=0.7) for s in schools])
    return groups


def _words_of(name: str) -> list[str]:
    return re.findall(r"[A-Z0-9]+", name.upper())


def _landmark_place(hit: Landmark) -> Place:
    label = hit.name.title() if hit.name.isupper() else hit.name
    return Place(
        kind=hit.kind, lat=hit.lat, lon=hit.lon, label=label,
        confidence=LANDMARK_CONFIDENCE.get(hit.category, 0.4),
        areas={hit.area_kind: hit.area_code} if hit.area_kind else {},
    )  # fmt: skip


DISTRICT_KINDS = {
    "POLICE": "police_district", "MPD": "police_district", "POLICIA": "police_district",
    "ALDERMANIC": "aldermanic_district", "ALDER": "aldermanic_district",
    "ALDERMANICO": "aldermanic_district", "COUNCIL": "aldermanic_district",
}  # fmt: skip
_ORDINAL_NUMBER = re.compile(r"([0-9]{1,2})(ST|ND|RD|TH)?")


def _districts(city: CityPackage, tokens: list[Token]) -> list[list[Place]]:
    """ "aldermanic district 7", "police district 3", "distrito aldermanico 3", "15th district"."""
    districts = landmark_index(city).districts
    words = [t.text for t in tokens]
    groups = []
    for i, word in enumerate(words):
        if word not in DISTRICT_WORDS:
            continue
        number, kind_word = _district_number(words, i)
        if number is None:
            continue
        kinds = ["aldermanic_district", "police_district"]
        if DISTRICT_KINDS.get(kind_word) == "police_district":
            kinds.reverse()
        confidence = 0.35 if kind_word in DISTRICT_KINDS else 0.3
        group = []
        for kind in kinds:
            hit = districts.get((kind, number))
            if hit is not None:
                group.append(replace(_landmark_place(hit), confidence=confidence, label=hit.name))
                confidence = 0.3
        if group:
            groups.append(group)
    return groups


def _district_number(words: list[str], i: int) -> tuple[str | None, str]:
    """The number and kind word around "district" at i: after it, or an ordinal before it."""
    kind_word = next((w for w in words[max(0, i - 2) : i + 2] if w in DISTRICT_KINDS), "")
    for at in (i + 1, i + 2, i - 1, i - 2):
        if 0 <= at < len(words):
            match = _ORDINAL_NUMBER.fullmatch(words[at])
            if match and (at > i or match.group(2) or at == i - 1):
                return match.group(1).lstrip("0") or "0", kind_word
    return None, kind_word


# -- elsewhere ----------------------------------------------------------------------------------

_ZIP = re.compile(r"[0-9]{5}")


def _elsewhere(tokens: list[Token], city: CityPackage) -> bool:
    """The message names another state ("Springfield, IL 62701") or a ZIP code of elsewhere."""
    prefixes = tuple(city.manifest.get("zip_prefixes", []))
    home = city.manifest.get("state", "")
    words = [t.text for t in tokens]
    for i, word in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else ""
        after_comma = i > 0 and tokens[i - 1].stop
        ends_phrase = i == len(words) - 1 or tokens[i].stop
        if (
            word in US_STATES
            and word != home
            and (_ZIP.fullmatch(nxt) or (after_comma and ends_phrase))
        ):
            return True
        if prefixes and _ZIP.fullmatch(word) and not word.startswith(prefixes):
            before = words[i - 1] if i else ""
            if before in US_STATES or after_comma or i == len(words) - 1:
                return True
    return False
