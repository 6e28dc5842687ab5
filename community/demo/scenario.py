"""What the demo's residents report, where and when: a city's worth of concerns, no database.

Drawn from Milwaukee's real incident addresses (WIBR, in the city package), so the demo has
the city's real spatial pattern, and shaped the way resident reports are:

- About half come from problem places: a chronic address (a drug house, a party house, a
  vacant lot, a stretch drivers race on) reported again and again, mostly at the same
  address, some at its neighbours' (next door, across the street). Places are anchored on
  real addresses, more often on those with repeat incidents; their sizes are heavy-tailed
  (many reported three to six times, a few dozens of times). One place is reported under
  related categories (a drug house as drug activity, nuisance property, loitering, shots
  fired), always within one problem family.
- The rest are a background spread like the city's incidents, in the categories that make
  the overall mix come out at CATEGORY_WEIGHTS.
- Over 90 days: some places are steady, some are new and rising, some fading (the trends
  prosecutors see rise and fall), some flared for a week; reports come more in the evening.
- English and Spanish: Spanish far more on the near south side; the neighbours who text
  about a place are the same few people, in their own language.

Deterministic for a seed (and a `now`). Pure computation: numpy, pandas, scipy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from community.demo.texts import TEXTS

# How residents' reports split across categories (not WIBR's crime mix).
CATEGORY_WEIGHTS = {
    "drug_activity": 22,
    "reckless_driving": 14,
    "illegal_dumping": 12,
    "vacant_building": 9,
    "nuisance_property": 9,
    "shots_fired": 8,
    "loitering": 6,
    "noise": 5,
    "violent_crime": 4,
    "streetlight_out": 4,
    "graffiti": 3,
    "prostitution": 2,
    "other": 2,
}


@dataclass(frozen=True)
class PlaceKind:
    """A kind of problem place: how common, how it is reported, how far reports spread."""

    share: float  # of the reports at problem places
    categories: dict[str, float]  # how its reports split (one problem family)
    at_anchor: float  # share reported at the anchor address itself
    spread_ft: float  # neighbours reported within this distance (WIBR feet)
    anchor: str  # where such places are: "violence", "damage" (real incidents) or "any"


# Every kind's categories are one problem family (community/demo/reference.py FAMILIES).
PLACE_KINDS = {
    "drug_house": PlaceKind(
        share=0.30,
        categories={
            "drug_activity": 50,
            "nuisance_property": 18,
            "loitering": 12,
            "shots_fired": 10,
            "noise": 5,
            "violent_crime": 5,
        },
        at_anchor=0.75,
        spread_ft=130,
        anchor="violence",
    ),
    "problem_corner": PlaceKind(
        share=0.10,
        categories={
            "loitering": 30,
            "drug_activity": 30,
            "shots_fired": 20,
            "violent_crime": 15,
            "prostitution": 5,
        },
        at_anchor=0.35,
        spread_ft=150,
        anchor="violence",
    ),
    "party_house": PlaceKind(
        share=0.06,
        categories={"noise": 45, "nuisance_property": 25, "violent_crime": 15, "shots_fired": 15},
        at_anchor=0.8,
        spread_ft=100,
        anchor="violence",
    ),
    "vice_stretch": PlaceKind(
        share=0.03,
        categories={"prostitution": 50, "loitering": 25, "drug_activity": 25},
        at_anchor=0.3,
        spread_ft=160,
        anchor="violence",
    ),
    "vacant_property": PlaceKind(
        share=0.12,
        categories={"vacant_building": 55, "illegal_dumping": 30, "graffiti": 15},
        at_anchor=0.7,
        spread_ft=100,
        anchor="damage",
    ),
    "dumping_spot": PlaceKind(
        share=0.12,
        categories={"illegal_dumping": 70, "graffiti": 15, "vacant_building": 15},
        at_anchor=0.5,
        spread_ft=130,
        anchor="damage",
    ),
    "tagged_wall": PlaceKind(
        share=0.02,
        categories={"graffiti": 80, "illegal_dumping": 20},
        at_anchor=0.6,
        spread_ft=100,
        anchor="damage",
    ),
    "speedway": PlaceKind(
        share=0.19,
        categories={"reckless_driving": 100},
        at_anchor=0.3,
        spread_ft=160,
        anchor="any",
    ),
    "dark_block": PlaceKind(
        share=0.06,
        categories={"streetlight_out": 100},
        at_anchor=0.4,
        spread_ft=130,
        anchor="any",
    ),
}
PLACE_SHARE = 0.5  # of all reports, at problem places
MAX_PLACE_REPORTS = 60
WINDOW_DAYS = 88.9  # reports fall inside the 90-day clustering window
TIME_PROFILES = {"steady": 0.35, "rising": 0.30, "falling": 0.25, "flare": 0.10}
SOURCES = {"sms": 0.55, "web": 0.40, "open311": 0.05}
# Responses built into the history, so that "did it work?" has answers to show: places where
# reports drop after the agency acts, places where nothing changes, and one place whose
# reports move to the next block (displacement); the biggest places first.
EFFECTS = ("moved", "drop", "none", "drop", "drop", "none", "drop", "none", "drop")
EFFECT_MIN_REPORTS = 12  # smaller places could not show an effect either way
EFFECT_AGES = (30.0, 50.0)  # days before now the agency acted: both windows of 4-7 weeks
AFTER_SHARE = {"drop": 0.15, "none": 1.0, "moved": 0.15}  # the rate after, of the rate before
MOVED_FT = (700, 1100)  # the next block: about 210-340 m from the place's address
# When residents report, by local hour (evenings and nights most).
HOUR_WEIGHTS = np.array([4, 3, 2, 1, 1, 1, 2, 3, 4, 4, 4, 4, 4, 4, 4, 5, 6, 7, 8, 8, 8, 8, 7, 5])
# Milwaukee's near south side (Clarke Square, Muskego Way, Lincoln Village, ...), where most
# of the city's Spanish speakers live: (min lat, max lat, min lon, max lon).
SPANISH_AREA = (42.985, 43.030, -87.975, -87.895)
SPANISH_INSIDE, SPANISH_OUTSIDE = 0.45, 0.05
# Fictional numbers only: 555-0100..0199 in each area code (414 first, then the region's).
AREA_CODES = ("414", "262", "920", "608", "715", "534", "312", "773", "847", "630")
SPANISH_RESIDENTS = 0.15

ADDRESS_RE = re.compile(r"^\d+ [NSEW] ")
VIOLENCE = ("AssaultOffense", "Robbery", "Homicide")  # WIBR offence columns
DAMAGE = ("CriminalDamage", "Burglary", "Arson")
STREET_TYPES = {
    "ST": "St",
    "AV": "Ave",
    "BL": "Blvd",
    "DR": "Dr",
    "PL": "Pl",
    "CT": "Ct",
    "LA": "Ln",
    "TR": "Ter",
    "PK": "Pkwy",
    "RD": "Rd",
    "WA": "Way",
    "CR": "Cir",
}
LONG_STREET_TYPES = {"ST": "Street", "AV": "Avenue", "BL": "Boulevard", "DR": "Drive"}
THIS_ADDRESS = {"en": "this address", "es": "esta dirección"}
DIRECTIONS = {"N": "North", "S": "South", "E": "East", "W": "West"}


@dataclass(frozen=True)
class Reporter:
    """A demo resident who texts: a fictional phone number and a language."""

    phone: str
    language: str


@dataclass(frozen=True)
class Report:
    """One concern as a resident sends it."""

    address: str  # the real incident address it is about, e.g. "2846 N 1ST ST"
    category: str
    language: str
    source: str  # a ConcernSource value
    reported_at: datetime  # UTC
    text: str
    location_text: str | None  # the web form's "where" field (Open311's address_string)
    reporter: int | None  # index into Scenario.reporters (texts only)
    place: int  # index of its problem place, or -1 for the background
    kind: str | None  # the problem place's kind


@dataclass(frozen=True)
class PlannedResponse:
    """A response built into the demo's history, with the effect its reports show."""

    place: int  # index of the problem place
    age_days: float  # how many days before now the agency first acted
    effect: str  # one of EFFECTS


@dataclass(frozen=True)
class Scenario:
    reports: list[Report]  # oldest first
    reporters: list[Reporter]
    places: int
    responses: list[PlannedResponse] = field(default_factory=list)


def incidents(path: str | Path, lon: str, lat: str) -> pd.DataFrame:
    """Real incident addresses (house number, direction, street) with their positions, and
    which offences were reported there (violence, damage) when the file says."""
    header = pd.read_csv(path, nrows=0).columns
    offences = [c for c in (*VIOLENCE, *DAMAGE) if c in header]
    frame = pd.read_csv(path, usecols=["Location", "RoughX", "RoughY", lon, lat, *offences])
    frame = frame.rename(columns={lon: "lon", lat: "lat"})
    frame = frame.dropna(subset=["Location", "RoughX", "RoughY", "lon", "lat"])
    frame["violence"] = frame[[c for c in VIOLENCE if c in offences]].sum(axis=1)
    frame["damage"] = frame[[c for c in DAMAGE if c in offences]].sum(axis=1)
    keep = frame["Location"].str.match(ADDRESS_RE) & ~frame["Location"].str.contains(" UNKNOWN ")
    columns = ["Location", "RoughX", "RoughY", "lon", "lat", "violence", "damage"]
    return frame.loc[keep, columns].reset_index(drop=True)


def build(
    frame: pd.DataFrame, count: int, seed: int, now: datetime, timezone: str = "America/Chicago"
) -> Scenario:
    """`count` reports over the 90 days before `now` (UTC), oldest first."""
    rng = np.random.default_rng(seed)
    addresses = _addresses(frame)
    reporters = _reporters(count, rng)
    places = _places(addresses, count, rng)
    responses = _plant_responses(places, addresses, np.random.default_rng([seed, 17]))
    background = _background(frame, addresses, count - len(places["address"]), places, rng)
    drafts = {key: [*places[key], *background[key]] for key in places}
    drafts["reported_at"] = _moments(np.array(drafts["age"]), now, ZoneInfo(timezone), rng)
    lat = addresses["lat"].to_numpy()[drafts["address"]]
    lon = addresses["lon"].to_numpy()[drafts["address"]]
    language = _languages(np.array(drafts["place"]), lat, lon, rng)
    sources = rng.choice(list(SOURCES), size=len(language), p=list(SOURCES.values()))
    reporter = _who_texts(np.array(drafts["place"]), language, sources, reporters, rng)
    names = addresses["Location"].to_numpy()
    reports = []
    for i in range(len(language)):
        address = str(names[drafts["address"][i]])
        typed = resident_style(address, rng)
        category, lang = drafts["category"][i], str(language[i])
        template = str(rng.choice(TEXTS[category][lang]))
        text = _words(template, typed, lang, by_text=sources[i] == "sms")
        reports.append(
            Report(
                address=address,
                category=category,
                language=lang,
                source=str(sources[i]),
                reported_at=drafts["reported_at"][i],
                text=text,
                location_text=None if sources[i] == "sms" else typed,
                reporter=reporter[i],
                place=drafts["place"][i],
                kind=drafts["kind"][i],
            )
        )
    reports.sort(key=lambda r: r.reported_at)
    return Scenario(reports, reporters, int(max(drafts["place"], default=-1)) + 1, responses)


def _words(template: str, typed: str, language: str, by_text: bool) -> str:
    """A text names the place in its words; a form (or an Open311 client) has a "where"
    field for it, so its description points at "this address" instead."""
    if by_text:
        return template.format(addr=typed)
    template = re.sub(r"(house|building) \{addr\}", r"\1 at {addr}", template)
    return template.format(addr=THIS_ADDRESS[language])


def resident_style(location: str, rng: np.random.Generator) -> str:
    """'2846 N 1ST ST' as a resident might type it: '2846 N 1st St', '2846 n 1st st',
    '2846 n 1st' or '2846 North 1st Street'."""
    words = location.split()
    roll = rng.random()
    if roll < 0.05 and len(words) > 2 and words[1] in DIRECTIONS:
        words[1] = DIRECTIONS[words[1]]
        words[-1] = LONG_STREET_TYPES.get(words[-1], STREET_TYPES.get(words[-1], words[-1]))
    elif words and words[-1] in STREET_TYPES:
        if roll < 0.15 and len(words) > 3:
            words = words[:-1]  # "2846 n 1st": no street type
        else:
            words[-1] = STREET_TYPES[words[-1]]
    text = " ".join(w if w.isdigit() else w.capitalize() for w in words)
    return text.lower() if 0.15 <= roll < 0.45 else text


def _addresses(frame: pd.DataFrame) -> pd.DataFrame:
    """Each distinct address once: its position and its real incidents (all, violent,
    damage) as how likely each kind of problem place is anchored there."""
    grouped = frame.groupby("Location", sort=True)
    incidents = grouped.size().to_numpy()
    # Capped at 4, so that a shopping centre's thefts do not make it every drug house in town.
    return pd.DataFrame(
        {
            "Location": grouped.size().index,
            "any": np.minimum(incidents, 4),
            "violence": np.minimum(grouped["violence"].sum().to_numpy(), 4),
            "damage": np.minimum(grouped["damage"].sum().to_numpy(), 4),
            "x": grouped["RoughX"].mean().to_numpy(),
            "y": grouped["RoughY"].mean().to_numpy(),
            "lat": grouped["lat"].first().to_numpy(),
            "lon": grouped["lon"].first().to_numpy(),
        }
    )


def _reporters(count: int, rng: np.random.Generator) -> list[Reporter]:
    """About one texting resident per 20 reports (60 to 1,000), some Spanish-speaking."""
    size = int(np.clip(count // 20, 60, 100 * len(AREA_CODES)))
    spanish = rng.random(size) < SPANISH_RESIDENTS
    spanish[:2] = [False, True]  # at least one of each
    return [
        Reporter(f"+1{AREA_CODES[i // 100]}555{100 + i % 100:04d}", "es" if spanish[i] else "en")
        for i in range(size)
    ]


def _places(addresses: pd.DataFrame, count: int, rng: np.random.Generator) -> dict[str, list]:
    """Reports at problem places: kind, size, anchor, neighbours, categories, ages."""
    out: dict[str, list] = {key: [] for key in ("address", "category", "age", "place", "kind")}
    wanted = round(count * PLACE_SHARE)
    kinds = list(PLACE_KINDS)
    # Each kind's share of the reports, drawn down as places are made: the mix comes out
    # right at any size (and the background can make up the rest of CATEGORY_WEIGHTS).
    quota = np.array([PLACE_KINDS[k].share for k in kinds]) * wanted
    sizes: list[int] = []
    chosen: list[str] = []
    while (left := wanted - sum(sizes)) > 0:
        room = np.maximum(quota, 0) if quota.max() > 0 else np.ones(len(kinds))
        k = int(rng.choice(len(kinds), p=room / room.sum()))
        size = min(_place_size(rng), left, max(3, int(np.ceil(quota[k]))))
        if size < 3 and sizes:
            sizes[-1] += size  # the last few reports join the place before
            break
        quota[k] -= size
        sizes.append(size)
        chosen.append(kinds[k])
    anchors = _anchors(addresses, chosen, rng)
    tree = cKDTree(addresses[["x", "y"]].to_numpy())
    for index, (size, kind_name, anchor) in enumerate(zip(sizes, chosen, anchors, strict=True)):
        kind = PLACE_KINDS[kind_name]
        near = [n for n in tree.query_ball_point(tree.data[anchor], kind.spread_ft) if n != anchor]
        at_anchor = rng.random(size) < kind.at_anchor
        for i in range(size):
            address = anchor if at_anchor[i] or not near else near[int(rng.integers(len(near)))]
            out["address"].append(int(address))
        codes = list(kind.categories)
        p = np.array(list(kind.categories.values()), dtype=float)
        out["category"].extend(str(c) for c in rng.choice(codes, size=size, p=p / p.sum()))
        out["age"].extend(_ages(size, rng).tolist())
        out["place"].extend([index] * size)
        out["kind"].extend([kind_name] * size)
    return out


def _plant_responses(
    places: dict[str, list], addresses: pd.DataFrame, rng: np.random.Generator
) -> list[PlannedResponse]:
    """Give the largest places a response with a known effect: their reports' ages are drawn
    again around the response (fewer after it, or as many), and for a "moved" place most
    reports after it come from an address one block away. Its own rng: the rest of the demo
    is drawn as before."""
    place = np.array(places["place"], dtype=int)
    if not len(place):
        return []
    sizes = np.bincount(place)
    big = [int(p) for p in np.argsort(-sizes, kind="stable") if sizes[p] >= EFFECT_MIN_REPORTS]
    tree = cKDTree(addresses[["x", "y"]].to_numpy())
    planned = []
    # Every other big place where there are enough, so that the rest stay as drawn.
    step = 2 if len(big) >= 2 * len(EFFECTS) else 1
    for effect, chosen in zip(EFFECTS, big[::step], strict=False):
        rows = np.flatnonzero(place == chosen)
        age = float(rng.uniform(*EFFECT_AGES))
        ages = _ages_around(len(rows), age, AFTER_SHARE[effect], rng)
        for row, value in zip(rows.tolist(), ages.tolist(), strict=True):
            places["age"][row] = value
        if effect == "moved":
            _move_after(places, rows, age, tree, rng)
        planned.append(PlannedResponse(chosen, age, effect))
    return planned


def _ages_around(size: int, age: float, after_share: float, rng: np.random.Generator):
    """Ages (days before now) at a constant rate before `age` and after_share of it since."""
    before_days, after_days = WINDOW_DAYS - age, age
    p_after = after_days * after_share / (after_days * after_share + before_days)
    after = rng.random(size) < p_after
    return np.where(after, rng.uniform(0.2, age, size), rng.uniform(age, WINDOW_DAYS, size))


def _move_after(
    places: dict[str, list], rows: np.ndarray, age: float, tree: cKDTree, rng: np.random.Generator
) -> None:
    """Displacement: after the response, what the place lost is reported from an address a
    block away (the same neighbours, the same problem), added to the place's reports."""
    anchor = int(np.bincount([places["address"][r] for r in rows]).argmax())
    ring = sorted(
        set(tree.query_ball_point(tree.data[anchor], MOVED_FT[1]))
        - set(tree.query_ball_point(tree.data[anchor], MOVED_FT[0]))
    )
    if not ring:
        return
    target = ring[int(rng.integers(len(ring)))]
    before = sum(1 for r in rows if places["age"][r] >= age)
    lost = round(before / (WINDOW_DAYS - age) * age * (1 - AFTER_SHARE["moved"]))
    first = int(rows[0])
    for _ in range(lost):
        places["address"].append(target)
        places["category"].append(places["category"][int(rng.choice(rows))])
        places["age"].append(float(rng.uniform(0.2, age)))
        places["place"].append(places["place"][first])
        places["kind"].append(places["kind"][first])


def _anchors(addresses: pd.DataFrame, kinds: list[str], rng: np.random.Generator) -> np.ndarray:
    """One real address per place: where the city's incidents of that sort were, the more
    of them the likelier (drug and party houses where violence was reported, vacant and
    dumped-on lots where damage was, speeding and dark blocks anywhere); no address twice
    for one sort."""
    anchors = np.zeros(len(kinds), dtype=np.int64)
    for sort in dict.fromkeys(PLACE_KINDS[k].anchor for k in kinds):
        which = np.flatnonzero([PLACE_KINDS[k].anchor == sort for k in kinds])
        weights = addresses[sort].to_numpy(dtype=float)
        if np.count_nonzero(weights) < len(which):  # a file without offences, or a tiny one
            weights = addresses["any"].to_numpy(dtype=float)
        p = weights / weights.sum()
        anchors[which] = rng.choice(len(addresses), size=len(which), replace=False, p=p)
    return anchors


def _place_size(rng: np.random.Generator) -> int:
    """Reports at one place: at least 3, heavy-tailed (Pareto), at most MAX_PLACE_REPORTS."""
    while True:
        size = 3 + int(rng.pareto(1.8) * 5)
        if size <= MAX_PLACE_REPORTS:
            return size


def _ages(size: int, rng: np.random.Generator) -> np.ndarray:
    """Days before now of one place's reports, by a time profile."""
    profile = rng.choice(list(TIME_PROFILES), p=list(TIME_PROFILES.values()))
    u = rng.random(size)
    if profile == "rising":  # began some weeks ago and is getting worse
        onset = rng.uniform(20, WINDOW_DAYS)
        ages = onset * u**1.8
    elif profile == "falling":  # was bad, is quieting down
        quiet = rng.uniform(3, 40)
        ages = WINDOW_DAYS - (WINDOW_DAYS - quiet) * u**1.8
    elif profile == "flare":  # a bad week or two
        ages = rng.uniform(2, WINDOW_DAYS - 2) + rng.normal(0, 4, size)
    else:
        ages = u * WINDOW_DAYS
    return np.clip(ages, 0, WINDOW_DAYS)


def _background(
    frame: pd.DataFrame,
    addresses: pd.DataFrame,
    size: int,
    places: dict[str, list],
    rng: np.random.Generator,
) -> dict[str, list]:
    """Reports spread like the city's incidents, in the categories that complete the mix."""
    total = len(places["category"]) + size
    codes = list(CATEGORY_WEIGHTS)
    weights = np.array(list(CATEGORY_WEIGHTS.values()), dtype=float)
    target = weights / weights.sum() * total
    placed = np.array([places["category"].count(code) for code in codes], dtype=float)
    remaining = np.maximum(target - placed, 0)
    counts = np.floor(remaining / remaining.sum() * size).astype(int)
    order = np.argsort(-(remaining / remaining.sum() * size - counts), kind="stable")
    counts[order[: size - counts.sum()]] += 1  # largest remainders
    categories = np.repeat(codes, counts)
    rng.shuffle(categories)
    rows = rng.integers(len(frame), size=size)  # an incident row: busy addresses more often
    lookup = pd.Series(np.arange(len(addresses)), index=addresses["Location"])
    return {
        "address": lookup.loc[frame["Location"].to_numpy()[rows]].to_numpy().tolist(),
        "category": [str(c) for c in categories],
        "age": (rng.random(size) * WINDOW_DAYS).tolist(),
        "place": [-1] * size,
        "kind": [None] * size,
    }


def _moments(ages: np.ndarray, now: datetime, zone: ZoneInfo, rng: np.random.Generator) -> list:
    """UTC moments `ages` days before now, on the day they fall on, at a likely local hour."""
    hours = rng.choice(24, size=len(ages), p=HOUR_WEIGHTS / HOUR_WEIGHTS.sum())
    seconds = rng.integers(3600, size=len(ages))
    today = now.astimezone(zone).date()
    moments = []
    for age, hour, second in zip(ages.tolist(), hours.tolist(), seconds.tolist(), strict=True):
        day = today - timedelta(days=int(age))
        local = datetime.combine(day, time(hour), tzinfo=zone) + timedelta(seconds=second)
        moment = local.astimezone(now.tzinfo)
        if moment >= now:  # later today: the same hour yesterday
            moment -= timedelta(days=1)
        moments.append(moment)
    return moments


def _languages(
    place: np.ndarray, lat: np.ndarray, lon: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """'es' or 'en' per report: by where it is; at one place, mostly the place's language."""
    south, north, west, east = SPANISH_AREA
    inside = (lat > south) & (lat < north) & (lon > west) & (lon < east)
    p_spanish = np.where(inside, SPANISH_INSIDE, SPANISH_OUTSIDE)
    spanish = rng.random(len(place)) < p_spanish
    at_place = place >= 0
    if at_place.any():
        first = np.unique(place[at_place], return_index=True)[1]
        place_spanish = np.zeros(place.max() + 1, dtype=bool)
        place_spanish[place[at_place][first]] = spanish[at_place][first]
        same = rng.random(len(place)) < 0.85
        spanish = np.where(at_place & same, place_spanish[np.maximum(place, 0)], spanish)
    return np.where(spanish, "es", "en")


def _who_texts(
    place: np.ndarray,
    language: np.ndarray,
    sources: np.ndarray,
    reporters: list[Reporter],
    rng: np.random.Generator,
) -> list[int | None]:
    """The resident behind each text: at a place, mostly one of its few neighbours who text."""
    pools = {
        lang: [i for i, r in enumerate(reporters) if r.language == lang] for lang in ("en", "es")
    }
    neighbours: dict[tuple[int, str], list[int]] = {}
    who: list[int | None] = []
    for i in range(len(place)):
        if sources[i] != "sms":
            who.append(None)
            continue
        pool = pools[str(language[i])]
        if place[i] >= 0 and rng.random() < 0.8:
            key = (int(place[i]), str(language[i]))
            if key not in neighbours:
                neighbours[key] = [pool[int(j)] for j in rng.integers(len(pool), size=3)]
            who.append(neighbours[key][int(rng.integers(1 + int(rng.integers(3))))])
        else:
            who.append(pool[int(rng.integers(len(pool)))])
    return who
