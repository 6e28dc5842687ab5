"""Named places residents mention: schools, parks, business districts, neighbourhoods, districts.

Names are matched as whole word sequences in the message tokens. A school also answers to its
distinctive words next to a school word ("Hamilton High School", "la escuela Hamilton"), and
a park to the neighbourhood named after it ("fights at Washington Park").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from community.geo.address import STREET_TYPES
from community.geo.citypkg import CityPackage, iter_areas, load_city, read_geojson
from community.geo.text import clean

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

    def add(self, words: tuple[str, ...], landmark: Landmark) -> None:
        """Index a name under the ways residents write it ("Mc Govern" / "McGovern", no "The")."""
        for variant in _variants(words):
            if landmark not in self.phrases.get(variant, []):
                self.phrases.setdefault(variant, []).append(landmark)

    def add_school(self, landmark: Landmark) -> None:
        words = _words(landmark.name)
        self.add(words, landmark)
        distinctive = tuple(w for w in words if w not in GENERIC_WORDS)
        if distinctive and sum(len(w) for w in distinctive) >= 4:
            for variant in {distinctive, distinctive[:1]}:  # "Bradley Tech": the first word
                if len(variant[0]) >= 4 or len(variant) > 1:
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
                    hits += [s for s in self.school_nicknames[words] if s not in hits]
                if hits:
                    found.append((start, start + length, hits))
                    taken |= span
        return found


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
                index.add_school(Landmark("landmark", layer["kind"], str(name), point.x, point.y))
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
