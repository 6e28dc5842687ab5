"""A printable map of an area: its streets, its outline and numbered hotspots (no tiles, offline).

Drawn with geopandas and matplotlib's Agg canvas directly (never pyplot's global state), in
greys that survive a black-and-white printer. The city's road layer is read once per process
and reused by every report a batch makes.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import geopandas as gpd

    from community.geo.citypkg import CityPackage

WIDTH_IN = 6.5
HEIGHT_IN = 5.6
DPI = 150
PAD = 0.06  # share of the area's size left around it
STREET_LABELS = 12
MAX_STEP_M = 400  # metres between a street's blocks beyond which it is two pieces
OUTSIDE_GREY = "#e4e4e4"
ROAD_GREY = "#555555"  # arterials
STREET_GREY = "#a0a0a0"  # every other street


@dataclass(frozen=True)
class MapPoint:
    number: int
    lat: float
    lon: float


@lru_cache(maxsize=4)
def city_roads(city_path: str) -> gpd.GeoDataFrame:
    """The city's road lines in its metric CRS, with a spatial index (cached per process)."""
    import geopandas as gpd

    from community.geo.citypkg import load_city

    city = load_city(city_path)
    spec = city.manifest.get("roads")
    if not spec:
        return gpd.GeoDataFrame({"name": []}, geometry=[], crs=city.metric_crs)
    frame = gpd.read_file(city.file(spec["file"]), engine="pyogrio")
    name_field = spec.get("name_field", "name")
    frame = gpd.GeoDataFrame(
        {"name": frame[name_field].fillna("") if name_field in frame else ""},
        geometry=frame.geometry,
        crs=frame.crs or "EPSG:4326",
    ).to_crs(city.metric_crs)
    frame.sindex  # noqa: B018 - build the index once, here, not in every report
    return frame


@lru_cache(maxsize=4)
def city_streets(city_path: str) -> gpd.GeoDataFrame:
    """Every street as lines through its hundred blocks, from the address points (cached).

    The city package has no local street centerlines, only arterials; a block's houses on
    both sides average out near the middle of the street, so joining blocks in number order
    draws the street grid well enough for a meeting map.
    """
    import geopandas as gpd
    import numpy as np
    import shapely

    from community.geo.citypkg import load_address_points, load_city

    city = load_city(city_path)
    try:
        points = load_address_points(city)
    except (ValueError, OSError):
        return gpd.GeoDataFrame({"name": []}, geometry=[], crs=city.metric_crs)
    points = points[["direction", "street", "street_type", "number", "x", "y"]].copy()
    points["block"] = points["number"] // 100
    vertices = (
        points.groupby(["direction", "street", "street_type", "block"], observed=True)[["x", "y"]]
        .median()  # one vertex per block; the median ignores a big parcel set far back
        .reset_index()
        .sort_values(["direction", "street", "street_type", "block"])
    )
    names, lines = [], []
    for (direction, street, street_type), group in vertices.groupby(
        ["direction", "street", "street_type"], observed=True, sort=False
    ):
        xs, ys = group["x"].to_numpy(), group["y"].to_numpy()
        blocks = group["block"].to_numpy()
        gaps = (np.diff(blocks) > 1) | (np.hypot(np.diff(xs), np.diff(ys)) > MAX_STEP_M)
        for piece in np.split(np.arange(len(xs)), np.flatnonzero(gaps) + 1):
            if len(piece) >= 2:
                line = shapely.LineString(np.column_stack([xs[piece], ys[piece]]))
                lines.append(line.simplify(12))
                names.append(street_label(str(direction), str(street), str(street_type)))
    frame = gpd.GeoDataFrame({"name": names}, geometry=lines, crs=city.metric_crs)
    frame.sindex  # noqa: B018 - built once, here
    return frame


def street_label(direction: str, street: str, street_type: str) -> str:
    """'N', '35TH', 'ST' -> 'N 35th St' (as on a street sign)."""
    words = [direction, *street.split(), street_type]
    return " ".join(
        word.lower() if word[:1].isdigit() else word.capitalize() for word in words if word
    )


def area_map_png(
    city: CityPackage,
    geometries: Sequence[dict[str, Any]],
    points: Sequence[MapPoint],
    width_in: float = WIDTH_IN,
    height_in: float = HEIGHT_IN,
    dpi: int = DPI,
) -> bytes:
    """PNG of the area (GeoJSON geometries in lon/lat) with its streets and numbered points."""
    import geopandas as gpd
    import shapely
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    area = gpd.GeoSeries([shapely.geometry.shape(g) for g in geometries], crs="EPSG:4326")
    area = area.to_crs(city.metric_crs)
    outline = area.union_all()
    bounds = _framed(outline.bounds, width_in / height_in)
    frame_box = shapely.box(*bounds)

    figure = Figure(figsize=(width_in, height_in), dpi=dpi)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_axis_off()
    axes.set_xlim(bounds[0], bounds[2])
    axes.set_ylim(bounds[1], bounds[3])
    axes.set_aspect("equal")

    outside = gpd.GeoSeries([frame_box.difference(outline)], crs=city.metric_crs)
    outside.plot(ax=axes, color=OUTSIDE_GREY, linewidth=0)
    streets = _clipped(city_streets(str(city.path)), frame_box)
    if len(streets):
        streets.plot(ax=axes, color=STREET_GREY, linewidth=0.5)
    roads = _clipped(city_roads(str(city.path)), frame_box)
    if len(roads):
        roads.plot(ax=axes, color=ROAD_GREY, linewidth=1.3)
    if len(streets):
        _label_streets(axes, streets, outline)
    area.boundary.plot(ax=axes, color="black", linewidth=1.8)
    _draw_points(axes, city, points)
    axes.add_patch(_frame_patch(bounds))

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def _framed(bounds: tuple[float, ...], aspect: float) -> tuple[float, float, float, float]:
    """The area's bounds padded and widened or heightened to the picture's aspect ratio."""
    minx, miny, maxx, maxy = bounds
    width, height = max(maxx - minx, 50.0), max(maxy - miny, 50.0)
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    width, height = width * (1 + 2 * PAD), height * (1 + 2 * PAD)
    if width / height < aspect:
        width = height * aspect
    else:
        height = width / aspect
    return cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2


def _clipped(lines: gpd.GeoDataFrame, frame_box) -> gpd.GeoDataFrame:
    if not len(lines):
        return lines
    hits = lines.sindex.query(frame_box, predicate="intersects")
    return lines.iloc[hits].clip(frame_box)


def _label_streets(axes, roads: gpd.GeoDataFrame, outline) -> None:
    """Name the longest streets inside the area once each, along their direction."""
    from matplotlib import patheffects

    inside = roads.clip(outline)
    inside = inside[(inside["name"] != "") & ~inside.geometry.is_empty]
    if not len(inside):
        return
    lengths = inside.geometry.length.groupby(inside["name"]).sum().sort_values(ascending=False)
    halo = [patheffects.withStroke(linewidth=2.2, foreground="white")]
    for name in lengths.index[:STREET_LABELS]:
        pieces = inside[inside["name"] == name].geometry.explode(index_parts=False)
        line = max(pieces, key=lambda g: g.length)
        if line.length < 200:  # metres: too short to carry a name
            continue
        middle = line.interpolate(0.5, normalized=True)
        ahead = line.interpolate(min(line.length, line.project(middle) + 20))
        behind = line.interpolate(max(0.0, line.project(middle) - 20))
        angle = math.degrees(math.atan2(ahead.y - behind.y, ahead.x - behind.x))
        if angle > 90:
            angle -= 180
        elif angle < -90:
            angle += 180
        axes.text(
            middle.x,
            middle.y,
            name,
            fontsize=6,
            color="#222222",
            rotation=angle,
            rotation_mode="anchor",
            ha="center",
            va="center",
            path_effects=halo,
            zorder=3,
        )


def _draw_points(axes, city: CityPackage, points: Sequence[MapPoint]) -> None:
    """White discs with black rims and a black number: readable on any printer."""
    if not points:
        return
    from community.geo.citypkg import to_metres

    xs, ys = to_metres(city, [p.lon for p in points], [p.lat for p in points])
    size = 150 if len(points) <= 30 else 90
    font = 7 if len(points) <= 30 else 5.5
    axes.scatter(xs, ys, s=size, facecolor="white", edgecolor="black", linewidth=1.2, zorder=4)
    for point, x, y in zip(points, xs, ys, strict=True):
        axes.text(
            x,
            y,
            str(point.number),
            fontsize=font,
            fontweight="bold",
            ha="center",
            va="center",
            zorder=5,
        )


def _frame_patch(bounds: tuple[float, float, float, float]):
    from matplotlib.patches import Rectangle

    minx, miny, maxx, maxy = bounds
    return Rectangle(
        (minx, miny), maxx - minx, maxy - miny, fill=False, edgecolor="black", linewidth=1.0
    )
