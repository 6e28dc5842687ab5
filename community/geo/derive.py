"""Derived area layers built once from a city package and written back into it.

Run: ``python -m community.geo.derive maps/milwaukee`` to (re)write police_districts_derived.geojson.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from community.geo.citypkg import AreaShape, CityPackage, iter_areas, load_city, to_metres


def derive_police_districts(
    city: CityPackage,
    ward_kind: str = "ward",
    ward_column: str = "WARD",
    district_column: str = "POLICE",
) -> list[AreaShape]:
    """Dissolve wards into police districts by the majority district of each ward's incidents."""
    wards = list(iter_areas(city, kinds=[ward_kind]))
    if not wards:
        raise ValueError(f"{city.slug}: no '{ward_kind}' area layer")
    width = max(len(w.code) for w in wards)
    spec = city.manifest["incidents"]
    incidents = pd.read_csv(city.file(spec["file"]), dtype=str, keep_default_na=False)
    incidents = incidents[(incidents[ward_column] != "") & (incidents[district_column] != "")]
    ward_codes = incidents[ward_column].str.strip().str.zfill(width)
    votes: dict[str, Counter[str]] = {}
    for ward, district in zip(ward_codes, incidents[district_column].str.strip(), strict=False):
        votes.setdefault(ward, Counter())[district] += 1

    def majority(counter: Counter[str]) -> str:
        return min(counter.items(), key=lambda item: (-item[1], item[0]))[0]

    district_of = {w.code: majority(votes[w.code]) for w in wards if w.code in votes}
    cx, cy = to_metres(
        city,
        [w.geometry.representative_point().x for w in wards],
        [w.geometry.representative_point().y for w in wards],
    )
    voted = np.array([w.code in district_of for w in wards])
    for i, ward in enumerate(wards):
        if not voted[i]:
            distance = np.hypot(cx - cx[i], cy - cy[i])
            distance[~voted] = np.inf
            district_of[ward.code] = district_of[wards[int(distance.argmin())].code]
    shapes = []
    for district in sorted(set(district_of.values()), key=lambda d: (len(d), d)):
        members = [w.geometry for w in wards if district_of[w.code] == district]
        geom = shapely.make_valid(shapely.union_all(members, grid_size=1e-7))
        shapes.append(AreaShape("police_district", district, f"Police District {district}", geom))
    return shapes


def write_geojson(shapes: Iterable[AreaShape], path: Path, code_field: str) -> None:
    """Write area shapes as a WGS84 FeatureCollection with the code under code_field."""
    features = [
        {
            "type": "Feature",
            "properties": {code_field: shape.code},
            "geometry": shapely.geometry.mapping(shapely.set_precision(shape.geometry, 1e-7)),
        }
        for shape in shapes
    ]
    collection = {"type": "FeatureCollection", "features": features}
    path.write_text(json.dumps(collection, separators=(",", ":")) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    """Derive the police districts of the city package given on the command line."""
    args = sys.argv[1:] if argv is None else argv
    city = load_city(args[0] if args else "maps/milwaukee")
    layer = next(a for a in city.manifest["areas"] if a["kind"] == "police_district")
    shapes = derive_police_districts(city)
    write_geojson(shapes, city.file(layer["file"]), layer["code_field"])
    print(f"wrote {len(shapes)} police districts to {city.file(layer['file'])}")


if __name__ == "__main__":
    main()
