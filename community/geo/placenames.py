"""The names residents give places beyond the City's layers: nicknames, parks, public landmarks.

A city package may carry a place-names file (city.json "place_names"): nicknames of its areas
("Third Ward" for HISTORIC THIRD WARD, "Bayview" for BAY VIEW) and named public places (parks,
museums, hospitals, the airport), each with the street address it is known by and its other
names (Spanish included). Positions are the City's own address point for that address, written
into the file by `python -m community.geo.placenames maps/milwaukee` (never computed at run time).
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from community.geo.citypkg import CityPackage, load_address_points, load_city


@dataclass(frozen=True)
class NamedPlace:
    """A public place: its display name, the other names it answers to, category and point."""

    name: str
    aliases: tuple[str, ...]
    category: str
    lon: float
    lat: float


def place_names_file(city: CityPackage) -> Path | None:
    """The package's place-names file, if it has one."""
    name = city.manifest.get("place_names")
    return city.file(name) if name else None


def read_place_names(city: CityPackage) -> tuple[dict[str, str], list[NamedPlace]]:
    """(nickname -> area code, named places with a position) of a city package."""
    path = place_names_file(city)
    if path is None or not path.exists():
        return {}, []
    data = json.loads(path.read_text(encoding="utf-8"))
    places = [
        NamedPlace(p["name"], tuple(p.get("aliases", [])), p["category"], p["lon"], p["lat"])
        for p in data.get("places", [])
        if p.get("lon") is not None
    ]
    return dict(data.get("nicknames", {})), places


_ADDRESS = re.compile(r"([0-9]+) ([NSEW]) (.+) ([A-Z]{2})")


def resolve(city: CityPackage) -> list[str]:
    """Write each place's MAI point (lon/lat) into the file; return the addresses not found."""
    path = place_names_file(city)
    if path is None:
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    points = load_address_points(city)
    streets = points["street"].astype(str)
    missing = []
    for place in data.get("places", []):
        match = _ADDRESS.fullmatch(place["address"])
        rows = points.iloc[0:0]
        if match is not None:
            number, direction, street, street_type = match.groups()
            rows = points[
                (points["number"] == int(number))
                & (points["direction"].astype(str) == direction)
                & (streets == street)
                & (points["street_type"].astype(str) == street_type)
            ]
        if rows.empty:
            place["lon"] = place["lat"] = None
            missing.append(place["address"])
        else:
            place["lon"] = round(float(rows["lon"].iloc[0]), 7)
            place["lat"] = round(float(rows["lat"].iloc[0]), 7)
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return missing


if __name__ == "__main__":
    not_found = resolve(load_city(sys.argv[1] if len(sys.argv) > 1 else "maps/milwaukee"))
    print("addresses with no MAI point:", not_found or "none")
