"""City packages: a folder with a city.json manifest, its boundary layers and address points."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

MANIFEST = "city.json"
WGS84 = "EPSG:4326"
_REQUIRED = ("slug", "name", "case_prefix", "timezone", "metric_crs", "center")
ADDRESS_COLUMNS = ("number", "suffix", "direction", "street", "street_type", "lon", "lat")


@dataclass(frozen=True)
class CityPackage:
    """A loaded city manifest; hashable (the raw manifest is excluded from hash and equality)."""

    path: Path
    slug: str
    name: str
    case_prefix: str
    timezone: str
    metric_crs: str
    center: tuple[float, float]  # (lat, lon)
    attribution: str
    manifest: dict[str, Any] = field(hash=False, compare=False, repr=False)

    def file(self, name: str) -> Path:
        """Return the path of a file named in the manifest, relative to the package."""
        return self.path / name


@dataclass(frozen=True)
class AreaShape:
    """One polygon of an area layer: kind (e.g. 'ward'), code, display name and WGS84 geometry."""

    kind: str
    code: str
    name: str
    geometry: BaseGeometry


def load_city(path: str | Path) -> CityPackage:
    """Load a city package folder (or its city.json); raise ValueError if missing or invalid."""
    return _load_city(str(Path(path).resolve()))


@lru_cache(maxsize=16)
def _load_city(path: str) -> CityPackage:
    folder = Path(path)
    if folder.name == MANIFEST:
        folder = folder.parent
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise ValueError(f"no {MANIFEST} in city package {folder}")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"cannot read {manifest_path}: {exc}") from exc
    if not isinstance(manifest, dict):
        raise ValueError(f"{manifest_path}: expected a JSON object")
    missing = [key for key in _REQUIRED if key not in manifest]
    if missing:
        raise ValueError(f"{manifest_path}: missing keys {', '.join(missing)}")
    try:
        lat, lon = (float(v) for v in manifest["center"])
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{manifest_path}: center must be [lat, lon]") from exc
    return CityPackage(
        path=folder,
        slug=str(manifest["slug"]),
        name=str(manifest["name"]),
        case_prefix=str(manifest["case_prefix"]),
        timezone=str(manifest["timezone"]),
        metric_crs=str(manifest["metric_crs"]),
        center=(lat, lon),
        attribution=str(manifest.get("attribution", "")),
        manifest=manifest,
    )


def read_geojson(path: Path) -> list[tuple[dict[str, Any], BaseGeometry]]:
    """Read a GeoJSON FeatureCollection as (properties, valid shapely geometry) pairs."""
    data = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for feature in data.get("features", []):
        if not feature.get("geometry"):
            continue
        geom = shapely.geometry.shape(feature["geometry"])
        if not geom.is_valid:
            geom = shapely.make_valid(geom)
        out.append((feature.get("properties") or {}, geom))
    return out


def iter_areas(city: CityPackage, kinds: Iterable[str] | None = None) -> Iterator[AreaShape]:
    """Yield every polygon of the manifest's area layers (optionally only the given kinds)."""
    wanted = set(kinds) if kinds is not None else None
    for layer in city.manifest.get("areas", []):
        if wanted is not None and layer["kind"] not in wanted:
            continue
        name_format = layer.get("name_format")
        # A layer may split one area over several features (Milwaukee's ward 0001): merge them.
        merged: dict[str, tuple[str, list]] = {}
        for props, geom in read_geojson(city.file(layer["file"])):
            code = props.get(layer["code_field"])
            if code is None:
                continue
            raw_name = props.get(layer.get("name_field", layer["code_field"]), code)
            name = name_format.format(raw_name) if name_format else str(raw_name)
            merged.setdefault(str(code), (name, []))[1].append(geom)
        for code, (name, geoms) in merged.items():
            geometry = geoms[0] if len(geoms) == 1 else shapely.union_all(geoms)
            yield AreaShape(kind=layer["kind"], code=code, name=name, geometry=geometry)


def geometry_geojson(geometry: BaseGeometry) -> dict[str, Any]:
    """A shapely geometry as a GeoJSON geometry mapping."""
    return shapely.geometry.mapping(geometry)


def area_kinds(city: CityPackage) -> list[str]:
    """Return the area layer kinds the manifest declares, in manifest order."""
    return [layer["kind"] for layer in city.manifest.get("areas", [])]


def load_address_points(city: CityPackage) -> pd.DataFrame:
    """The address points with normalised columns plus x, y in metres (read anew each call).

    Not cached here: the indexes built from it are, and a second copy of 229k rows would
    only cost memory.
    """
    spec = city.manifest.get("address_points")
    if not spec:
        raise ValueError(f"{city.slug}: manifest has no address_points")
    columns = spec["columns"]
    text = [name for name in ("suffix", "direction", "street", "street_type") if name in columns]
    raw = pd.read_csv(
        city.file(spec["file"]),
        usecols=[columns[name] for name in ADDRESS_COLUMNS if name in columns],
        dtype={columns[name]: "category" for name in text},
        keep_default_na=False,
        na_values={columns[name]: [""] for name in ("number", "lon", "lat")},
    )
    frame = pd.DataFrame({name: raw[columns[name]] for name in ADDRESS_COLUMNS if name in columns})
    del raw
    for name in ("number", "lon", "lat"):
        frame[name] = pd.to_numeric(frame[name], errors="coerce")
    for name in ("suffix", "direction", "street", "street_type"):
        frame[name] = _normalised_text(frame[name]) if name in frame else ""
    frame = frame.dropna(subset=["number", "lon", "lat"])
    frame = frame[frame["street"] != ""].reset_index(drop=True)
    frame["number"] = frame["number"].astype(np.int64)
    frame["x"], frame["y"] = to_metres(city, frame["lon"].to_numpy(), frame["lat"].to_numpy())
    return frame


def _normalised_text(column: pd.Series) -> pd.Series:
    """Upper-case, trimmed text, transformed once per distinct value (the column is categorical)."""
    values = column.astype("category")
    categories = [str(c).strip().upper() for c in values.cat.categories]
    mapping = dict(zip(values.cat.categories, categories, strict=True))
    return values.map(mapping)  # still categorical: a thousand names, not 229k strings


@lru_cache(maxsize=8)
def _transformer(source: str, target: str) -> Transformer:
    return Transformer.from_crs(source, target, always_xy=True)


def to_metres(city: CityPackage, lon: Any, lat: Any) -> tuple[np.ndarray, np.ndarray]:
    """Project WGS84 lon/lat (scalars or arrays) to the city's metric CRS; returns (x, y)."""
    x, y = _transformer(WGS84, city.metric_crs).transform(
        np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    )
    return np.asarray(x), np.asarray(y)


def to_lonlat(city: CityPackage, x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    """Inverse of to_metres: metric x/y back to WGS84 (lon, lat) arrays."""
    lon, lat = _transformer(city.metric_crs, WGS84).transform(
        np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    )
    return np.asarray(lon), np.asarray(lat)
