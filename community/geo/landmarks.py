"""Named places residents mention: schools, parks, business districts, neighbourhoods, districts.

Names are matched as whole word sequences in the message tokens. A school also answers to its
distinctive words next to a school word ("Hamilton High School", "la escuela Hamilton"), and
a park to the neighbourhood named after it ("fights at Washington Park").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from community.geo.address import DIRECTIONS, STREET_TYPES, normalize_street
from community.geo.citypkg import CityPackage, iter_areas, load_city, read_geojson
from community.geo.placenames import read_place_names
from community.geo.text import Token, clean, spell_numbers

# Words that say "a school" without naming one.
SCHOOL_WORDS = frozenset(
    [
        "SCHOOL",
        "TECH",
        "HIGH",
        "ELEMENTARY",
        "MIDDLE",
        "MID",
        "ACADEMY",
        "CHARTER",
        "CAMPUS",
        "PREPARATORY",
        "PREP",
        "INC",
        "K8",
    ]
)
GENERIC_WORDS = SCHOOL_WORDS | {"THE", "OF", "AND", "MILWAUKEE", "SCHOOLS", "CENTER", "STREET"}
MAX_NAME_WORDS = 7


@dataclass(frozen=True)
class Landmark:
    """A named place and the point that stands for it."""

    kind: str  # "landmark" or "area"
    category: str  # school, park, business_district, neighborhood, aldermanic_district, ...
    name: str
    lon: float
    lat: float
    area_kind: str | None = None
    area_code: str | None = None


def _words(name: str) -> tuple[str, ...]:
    return tuple(re.findall(r"[A-Z0-9]+", clean(name)))


class LandmarkIndex:
    """Word sequences -> landmarks; school nicknames only count beside a school word."""

    def __init__(self) -> None:
        self.phrases: dict[tuple[str, ...], list[Landmark]] = {}
        self.school_nicknames: dict[tuple[str, ...], list[Landmark]] = {}
        self.districts: dict[tuple[str, str], Landmark] = {}
        self.schools_on: dict[str, list[Landmark]] = {}  # street name -> schools on it

    def add(self, words: tuple[str, ...], landmark: Landmark) -> None:
        """Index a name under the ways residents write it ("Mc Govern" / "McGovern", no "The")."""
        for variant in _variants(words):
            if landmark not in self.phrases.get(variant, []):
                self.phrases.setdefault(variant, []).append(landmark)

    def add_school(self, landmark: Landmark) -> None:
        """Index a school by its name and the shorter names residents use beside a school word."""
        for words, whole in _school_names(landmark.name):
            if whole or any(w in SCHOOL_WORDS for w in words):
                self.add(words, landmark)  # not "38th Street" alone (a campus of a longer name)
            distinctive = tuple(w for w in words if w not in GENERIC_WORDS)
            if not distinctive or sum(len(w) for w in distinctive) < 4:
                continue
            # "Bradley Tech": the first word; "Madison" for James Madison Academic Campus: the last
            plain = tuple(w for w in words if w not in SCHOOL_WORDS)  # "81st Street" (school)
            for variant in {distinctive, distinctive[:1], distinctive[-1:], plain}:
                if len(variant) == 1 and not variant[0].isalpha():
                    continue  # "38th" beside "school" is a street more often than a campus
                if (len(variant[0]) >= 4 or len(variant) > 1) and landmark not in (
                    self.school_nicknames.get(variant, [])
                ):
                    self.school_nicknames.setdefault(variant, []).append(landmark)

    def find(self, tokens: list[str]) -> list[tuple[int, int, list[Landmark]]]:
        """(start, end, landmarks) for every name found in the tokens, longest first."""
        found = []
        taken: set[int] = set()
        for length in range(min(MAX_NAME_WORDS, len(tokens)), 0, -1):
            for start in range(len(tokens) - length + 1):
                span = set(range(start, start + length))
                if span & taken:
                    continue
                words = tuple(tokens[start : start + length])
                hits = list(self.phrases.get(words, []))
                if words in self.school_nicknames and _beside_school_word(tokens, start, length):
                    # "la escuela primaria Riverwest": the school word says which Riverwest
                    schools = [h for h in hits if h.category == "school"]
                    hits = schools + [s for s in self.school_nicknames[words] if s not in schools]
                if hits:
                    found.append((start, start + length, hits))
                    taken |= span
        return found


def _school_names(name: str) -> list[tuple[tuple[str, ...], bool]]:
    """A school's names as residents write them, each with whether it is a whole name.

    Whole: the name, hyphenated words joined ("Allenfield"), numbers as digits ("81st Street
    Elementary"). Parts of a "X - Y Campus" name are not whole: they count beside a school word.
    """
    whole = _words(name)
    names = [(whole, True)]
    for first, _ in re.findall(r"([A-Za-z]+)-([A-Za-z]+)", name):
        at = whole.index(_words(first)[0])
        names.append(((*whole[:at], whole[at] + whole[at + 1], *whole[at + 2 :]), True))
    spelled = tuple(t.text for t in spell_numbers([Token(w) for w in whole]))
    if spelled != whole:
        names.append((spelled, True))
    parts = [_words(p) for p in re.split(r"\s+-+\s+|:|/", name) if p.strip()]
    names.extend((part, False) for part in parts if len(parts) > 1 and part)
    return names


def _street_name(address: str) -> str:
    """The street name of "1749 N 16th St, Milwaukee, WI 53205": "16TH"."""
    street = re.sub(r"^\s*[0-9]+[A-Z]?\s+", "", address.split(",")[0].upper())
    parts = normalize_street(street).split()
    if parts and parts[0] in DIRECTIONS.values():
        parts = parts[1:]
    if len(parts) > 1 and parts[-1] in STREET_TYPES.values():
        parts = parts[:-1]
    return " ".join(parts)


def _variants(words: tuple[str, ...]) -> set[tuple[str, ...]]:
    variants = {words}
    if words[:1] == ("THE",) and len(words) > 1:
        variants.add(words[1:])
    for variant in list(variants):
        joined, i = [], 0
        while i < len(variant):  # "MC GOVERN" -> "MCGOVERN"
            if variant[i] in ("MC", "MAC", "O", "ST") and i + 1 < len(variant):
                joined.append(variant[i] + variant[i + 1])
                i += 2
            else:
                joined.append(variant[i])
                i += 1
        variants.add(tuple(joined))
    return {v for v in variants if v and not (len(v) == 1 and len(v[0]) < 4)}


def _beside_school_word(tokens: list[str], start: int, length: int) -> bool:
    window = tokens[max(0, start - 2) : start] + tokens[start + length : start + length + 2]
    return any(word in SCHOOL_WORDS for word in window)


def _is_street_name(words: tuple[str, ...]) -> bool:
    # A business district called "Downer Avenue" is the street: streets are matched as streets.
    return bool(words) and words[-1] in STREET_TYPES


def build_landmarks(city: CityPackage) -> LandmarkIndex:
    """Every named place of the city package."""
    index = LandmarkIndex()
    for layer in city.manifest.get("landmarks", []):
        for props, geometry in read_geojson(city.file(layer["file"])):
            name = props.get(layer["name_field"])
            if name and not geometry.is_empty:
                point = geometry.representative_point()
                landmark = Landmark("landmark", layer["kind"], str(name), point.x, point.y)
                index.add_school(landmark)
                street = _street_name(str(props.get("address") or ""))
                if street:  # "the elementary on Oklahoma"
                    index.schools_on.setdefault(street, []).append(landmark)
    nicknames, places = read_place_names(city)
    for place in places:
        landmark = Landmark("landmark", place.category, place.name, place.lon, place.lat)
        for name in (place.name, *place.aliases):
            index.add(_words(name), landmark)
    by_area = {code: [] for code in nicknames.values()}
    for nickname, code in nicknames.items():
        by_area[code].append(_words(nickname))
    for shape in iter_areas(city):
        point = shape.geometry.representative_point()
        words = _words(shape.name)
        if shape.kind == "neighborhood":
            is_park = words and words[-1] == "PARK"
            landmark = Landmark(
                "landmark" if is_park else "area",
                "park" if is_park else "neighborhood",
                shape.name, point.x, point.y, shape.kind, shape.code,
            )  # fmt: skip
            for part in shape.name.split("/"):  # "THE VALLEY / PIGSVILLE": either name
                index.add(_words(part), landmark)
            for nickname in by_area.get(shape.code, []):  # "Third Ward", "Bayview"
                index.add(nickname, landmark)
        elif shape.kind == "business_district" and not _is_street_name(words):
            index.add(words, Landmark("landmark", shape.kind, shape.name, point.x, point.y))
        elif shape.kind in ("aldermanic_district", "police_district"):
            code = shape.code.lstrip("0") or "0"
            index.districts[(shape.kind, code)] = Landmark(
                "area", shape.kind, shape.name, point.x, point.y, shape.kind, shape.code
            )
    return index


@lru_cache(maxsize=4)
def _landmarks_for(path: str) -> LandmarkIndex:
    return build_landmarks(load_city(path))


def landmark_index(city: CityPackage) -> LandmarkIndex:
    """The (cached) landmark index of a city package."""
    return _landmarks_for(str(city.path))
