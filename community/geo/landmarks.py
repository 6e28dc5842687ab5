"""Named places residents mention: schools, parks, business districts, neighbourhoods, districts.

Names are matched as whole word sequences in the message tokens. A school also answers to its
distinctive words next to a school word ("Hamilton High School", "la escuela Hamilton"), and
a park to the neighbourhood named after it ("fights at Washington Park").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from community.geo.address import DIRECTIONS, STREET_TYPES, normalize_street
from community.geo.citypkg import CityPackage, iter_areas, load_city, read_geojson
from community.geo.placenames import read_place_names
from community.geo.spanish import spanish_name
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
MAX_NAME_WORDS = 14  # the longest school names ("Carmen High School of ... Southeast Campus")
# Words a Spanish message loses before names are matched (some of community.geo.spanish.FILLER).
SPANISH_FILLER = frozenset(["DE", "DEL", "LA", "EL", "LOS", "LAS"])
# First words too common to name one school beside a school word ("la escuela Saint ...").
COMMON_FIRST_WORDS = frozenset(["SAINT", "ST", "OUR", "HOLY", "BLESSED", "SAN", "SANTA", "NEW"])


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
        self.longest: dict[str, int] = {}  # first word -> most words of a name it begins
        # A school's distinctive words without a school word ("South Division"): a guess.
        self.bare_nicknames: dict[tuple[str, ...], list[Landmark]] = {}

    def add(self, words: tuple[str, ...], landmark: Landmark) -> None:
        """Index a name under the ways residents write it ("Mc Govern" / "McGovern", no "The")."""
        for variant in _variants(words):
            self._note(variant)
            if landmark not in self.phrases.get(variant, []):
                self.phrases.setdefault(variant, []).append(landmark)

    def _note(self, words: tuple[str, ...]) -> None:
        """Remember how long a name beginning with this word can be (find looks no further)."""
        length = min(len(words), MAX_NAME_WORDS)
        if length > self.longest.get(words[0], 0):
            self.longest[words[0]] = length

    def add_school(self, landmark: Landmark) -> None:
        """Index a school by its name and the shorter names residents use beside a school word."""
        for words, whole in _school_names(landmark.name):
            if whole or any(w in SCHOOL_WORDS for w in words):
                self.add(words, landmark)  # not "38th Street" alone (a campus of a longer name)
            distinctive = tuple(w for w in words if w not in GENERIC_WORDS)
            if not distinctive or sum(len(w) for w in distinctive) < 4:
                continue
            if whole and _bare_nickname(distinctive):  # "la South Division": a guess to confirm
                self._note(distinctive)
                guess = replace(landmark, category="school_nickname")
                if guess not in self.bare_nicknames.setdefault(distinctive, []):
                    self.bare_nicknames[distinctive].append(guess)
            # "Bradley Tech": the first word; "Madison" for James Madison Academic Campus: the last
            plain = tuple(w for w in words if w not in SCHOOL_WORDS)  # "81st Street" (school)
            first = distinctive[:2] if distinctive[0] in COMMON_FIRST_WORDS else distinctive[:1]
            for variant in {distinctive, first, distinctive[:2], distinctive[-1:], plain}:
                if len(variant) == 1 and not variant[0].isalpha():
                    continue  # "38th" beside "school" is a street more often than a campus
                if (len(variant[0]) >= 4 or len(variant) > 1) and landmark not in (
                    self.school_nicknames.get(variant, [])
                ):
                    self._note(variant)
                    self.school_nicknames.setdefault(variant, []).append(landmark)

    def find(self, tokens: list[str]) -> list[tuple[int, int, list[Landmark]]]:
        """(start, end, landmarks) for every name found in the tokens, longest first."""
        found = []
        taken: set[int] = set()
        longest = [self.longest.get(word, 0) for word in tokens]
        for length in range(min(max(longest, default=0), len(tokens)), 0, -1):
            for start in range(len(tokens) - length + 1):
                if longest[start] < length:
                    continue  # no name of this length begins with this word
                span = set(range(start, start + length))
                if span & taken:
                    continue
                words = tuple(tokens[start : start + length])
                hits = list(self.phrases.get(words, []))
                if words in self.school_nicknames and _beside_school_word(tokens, start, length):
                    # "la escuela primaria Riverwest": the school word says which Riverwest
                    schools = [h for h in hits if h.category == "school"]
                    hits = schools + [s for s in self.school_nicknames[words] if s not in schools]
                if not hits and words in self.bare_nicknames:
                    hits = list(self.bare_nicknames[words])
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
    campus = _campus_nickname(whole)
    if campus:
        names.append((campus, True))
    parts = [_words(p) for p in re.split(r"\s+-+\s+|:|/", name) if p.strip()]
    names.extend((part, False) for part in parts if len(parts) > 1 and part)
    for words, is_whole in list(names):  # "Escuela Verde" as a Spanish message reads it
        spanish = spanish_name(words)
        if spanish != words and len(spanish) > 1 and (spanish, is_whole) not in names:
            names.append((spanish, is_whole))
    return names


# Campuses named for where they stand ("Carmen ... Southeast Campus" is "Carmen Southeast").
COMPASS_WORDS = frozenset(
    ["NORTH", "SOUTH", "EAST", "WEST", "NORTHWEST", "NORTHEAST", "SOUTHEAST", "SOUTHWEST"]
)


def _campus_nickname(words: tuple[str, ...]) -> tuple[str, ...]:
    """ "CARMEN SOUTHEAST" for "Carmen High School ... Southeast Campus"; () for other names."""
    if len(words) < 3 or words[-1] != "CAMPUS" or words[-2] not in COMPASS_WORDS:
        return ()
    first = next((w for w in words if w not in GENERIC_WORDS), "")
    if len(first) < 4 or first == words[-2]:
        return ()
    return (first, words[-2])


def _bare_nickname(words: tuple[str, ...]) -> bool:
    """Whether a school's distinctive words name it even without a school word: two or three
    words, letters only, long enough ("South Division", "Bruce Guadalupe"; not "Saint Rose")."""
    return (
        2 <= len(words) <= 3
        and all(w.isalpha() for w in words)
        and words[0] not in COMMON_FIRST_WORDS
        and sum(len(w) for w in words) >= 9
        and not _is_street_name(words)
    )


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
    for variant in list(variants):  # "el parque Walker Square": PARK where Spanish puts it
        if len(variant) > 1 and variant[-1] == "PARK":
            variants.add(("PARK", *variant[:-1]))
            if len(variant) > 2:  # community.geo.spanish puts it after the first word
                variants.add((variant[0], "PARK", *variant[1:-1]))
    for variant in list(variants):  # "HOSPITAL DE VETERANOS": Spanish messages drop "de"
        content = tuple(w for w in variant if w not in SPANISH_FILLER)
        if len(content) >= 2 and content != variant:
            variants.add(content)
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
                if not is_park and len(_words(part)) > 1:  # "el parque Bay View": its park
                    index.add((*_words(part), "PARK"), landmark)
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
