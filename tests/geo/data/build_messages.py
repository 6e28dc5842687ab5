"""Build tests/geo/data/messages.jsonl: resident messages with independently computed answers.

Run from the repository root:  .venv/bin/python tests/geo/data/build_messages.py

Expected answers come only from maps/milwaukee: MAI address points (addresses, interpolation,
blocks, intersections), OSM main roads (a cross-check for arterial intersections), the schools
file, and the neighborhood / BID / aldermanic polygons. The WIBR crime file is never read.
The geocoder under test is never imported. Output is deterministic (fixed seed).
"""

from __future__ import annotations

import json
import math
import random
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import shape

ROOT = Path(__file__).resolve().parents[3]
MAPS = ROOT / "maps" / "milwaukee"
OUT = Path(__file__).resolve().parent / "messages.jsonl"
SEED = 20250607

TOL = {"address": 60, "interpolated": 80, "block": 150, "intersection": 150, "landmark": 400}

# Local equirectangular metres about the city centre (distortion < 0.1 % across the city).
LAT0, LON0 = 43.0389, -87.9065
MY = 111_132.0
MX = 111_320.0 * math.cos(math.radians(LAT0))


def to_xy(lon, lat):
    return (np.asarray(lon) - LON0) * MX, (np.asarray(lat) - LAT0) * MY


def to_lonlat(x, y):
    return LON0 + np.asarray(x) / MX, LAT0 + np.asarray(y) / MY


def haversine(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_008.8 * math.asin(math.sqrt(a))


# ---------------------------------------------------------------- data
def load_points() -> pd.DataFrame:
    raw = pd.read_csv(MAPS / "mai_address_points.csv.gz", dtype=str, keep_default_na=False)
    df = raw.rename(columns={"hse_nbr": "num", "hse_sfx": "sfx"})
    df["num"] = pd.to_numeric(df["num"], errors="coerce")
    df["lon"] = pd.to_numeric(df["lon"], errors="coerce")
    df["lat"] = pd.to_numeric(df["lat"], errors="coerce")
    df = df.dropna(subset=["num", "lon", "lat"]).copy()
    df["num"] = df["num"].astype(int)
    df["x"], df["y"] = to_xy(df["lon"].to_numpy(), df["lat"].to_numpy())
    return df.reset_index(drop=True)


def read_layer(name: str, field: str) -> dict[str, shapely.Geometry]:
    data = json.loads((MAPS / name).read_text(encoding="utf-8"))
    out: dict[str, list] = {}
    for f in data["features"]:
        g = shape(f["geometry"])
        if not g.is_valid:
            g = shapely.make_valid(g)
        out.setdefault(str(f["properties"][field]), []).append(g)
    return {k: (v[0] if len(v) == 1 else shapely.union_all(v)) for k, v in out.items()}


# ---------------------------------------------------------------- rendering
ORD = re.compile(r"^(\d+)(ST|ND|RD|TH)$")
TYPE_WORDS = {
    "ST": ["st", "street", "st.", "St"],
    "AV": ["ave", "av", "avenue", "Ave"],
    "BL": ["blvd", "boulevard", "blvd."],
    "DR": ["dr", "drive", "Dr"],
    "RD": ["rd", "road"],
    "PL": ["pl", "place"],
    "CT": ["ct", "court"],
    "LA": ["ln", "lane"],
    "TR": ["ter", "terrace"],
    "PK": ["pkwy", "parkway"],
    "CR": ["cir", "circle"],
    "WA": ["way"],
    "": [""],
}
DIR_WORDS = {
    "N": ["N", "n", "north", "N."],
    "S": ["S", "s", "south", "S."],
    "E": ["E", "e", "east", "E."],
    "W": ["W", "w", "west", "W."],
}
ES_TYPE = {"ST": "calle", "AV": "avenida", "BL": "bulevar", "DR": "calle", "RD": "calle"}


def street_name(street: str, rng: random.Random, lang: str) -> tuple[str, bool]:
    """Resident spelling of the bare street name; second value True if it already has a type."""
    m = ORD.match(street)
    if m:
        return rng.choice(
            [
                m.group(0).lower(),
                m.group(1),
                m.group(0).lower(),
                m.group(1) + "th" if m.group(2) == "TH" else m.group(0).lower(),
            ]
        ), False
    if street == "MARTIN L KING JR":
        return rng.choice(
            ["MLK", "mlk", "King Dr", "king dr", "Martin Luther King Dr", "MLK dr"]
        ), True
    if street == "CESAR E CHAVEZ":
        return rng.choice(["Cesar Chavez Dr", "cesar chavez"]), True
    name = street.title()
    name = name.replace("Du ", "du ")
    return name, False


def render(
    dir_: str,
    street: str,
    sttype: str,
    rng: random.Random,
    lang: str,
    keep_dir: bool,
    keep_type: bool,
) -> str:
    name, has_type = street_name(street, rng, lang)
    parts = []
    if dir_ and (keep_dir or rng.random() < 0.45):
        parts.append(rng.choice(DIR_WORDS[dir_]))
    spanish = (
        lang == "es" and not has_type and rng.random() < 0.3 and sttype in ES_TYPE and not keep_type
    )
    if spanish:
        parts = [ES_TYPE[sttype], *parts]
    parts.append(name)
    if not has_type and not spanish and (keep_type or rng.random() < 0.6):
        t = rng.choice(TYPE_WORDS[sttype])
        if t:
            parts.append(t)
    return " ".join(parts)


def cross_name(street: str, rng: random.Random) -> str:
    """A street name as said in 'X and Y' (no direction, usually no type)."""
    name, _ = street_name(street, rng, "en")
    return name


def casing(text: str, rng: random.Random) -> str:
    r = rng.random()
    if r < 0.65:
        return text.lower()
    if r < 0.72:
        return text.upper()
    return text


UNITS = ["apt 2", "#3", "upper", "lower", "apt. 1", "unit B", "#2", "upstairs", "rear"]
TAILS = ["", "", "", " milwaukee", " milwaukee wi", ", Milwaukee WI", " mke", " milw"]
EMOJI = ["", "", "", " 😡", " 🙏", " 🚨", " 😤😤", " 🚗💨", " 🔫", " 🗑️"]


# ---------------------------------------------------------------- templates
ADDR_EN = [
    "drug house at {a}{u} people in and out all night",
    "there is a abandoned car in front of {a}{t}",
    "{a}{t} loud parties every weekend",
    "someone dumping mattresses behind {a}",
    "the house at {a}{u} has been empty for months and kids go in there",
    "shots fired near {a}{t} pls send someone",
    "{a}{u}",
    "can u check on {a}{t}? dogs barking non stop, owner never home",
    "illegal dumping again at {a}",
    "car racing every nite in front of {a}{t}",
    "broken street light outside {a}",
    "my neighbor at {a}{u} is selling drugs out the back door",
    "report: burned out house {a}{t}",
    "theres needles in the alley behind {a}",
]
ADDR_ES = [
    "venden drogas en {a}{u} todas las noches",
    "hay un carro abandonado enfrente de {a}{t}",
    "tiran basura atras de {a}",
    "balazos cerca de {a}{t} anoche",
    "la casa en {a} esta abandonada y entran personas",
    "fiestas con musica muy alta en {a}{u}",
    "mi direccion es {a}{t} hay ratas por todos lados",
]
BLOCK_EN = [
    "the {n} block of {s} has cars speeding all day",
    "{n} blk of {s} shots fired",
    "drug dealing on the {n} block of {s}{t}",
    "{n} block {s} streetlights out the whole block",
    "somebody keeps dumping tires on the {n} block of {s}",
    "loud music every night {n} block of {s}",
    "the {n} blk of {s} needs speed bumps kids play there",
]
BLOCK_ES = [
    "en la cuadra {n} de la {s} hay carreras de carros",
    "cuadra {n} de la calle {s} tiran basura",
    "venden droga en la cuadra {n} de {s}",
]
INTER_EN = [
    "{a} and {b}",
    "shots fired by {a} and {b}",
    "corner of {a} & {b} people selling drugs",
    "{b} near {a}{t} car broken into",
    "reckless driving at {a} and {b} every night",
    "theres a lot of trash at {a}/{b}",
    "fight outside the store on {a} & {b}",
    "light out at the intersection of {a} and {b}",
    "{a} n {b} red light runners all day",
    "kids getting jumped at {b} and {a}",
]
INTER_ES = [
    "la {a} y {b}",
    "esquina de la {a} y {b} venden drogas",
    "balazos en la {a} y {b}",
    "carros a alta velocidad en la {a} con {b}",
    "hay mucha basura en la esquina de {b} y la {a}",
]


# ---------------------------------------------------------------- builders
def build_addresses(df, rng, n_total, ids):
    good = df[(df["sfx"] == "")]
    # exactly one row per full address, and the number+name unique across directions/types
    full_counts = df.groupby(["num", "dir", "street", "sttype"]).size()
    name_variants = df.groupby(["street", "num"])[["dir", "sttype"]].apply(
        lambda s: len(set(zip(s["dir"], s["sttype"], strict=True)))
    )
    good = good.set_index(["num", "dir", "street", "sttype"])
    good = good[full_counts.reindex(good.index).to_numpy() == 1].reset_index()
    good["variants"] = name_variants.reindex(
        pd.MultiIndex.from_arrays([good["street"], good["num"]])
    ).to_numpy()
    ranges = df.groupby(["street", "dir", "sttype"])["num"].agg(["min", "max"])
    good["variants"] = [
        v
        if v > 1
        else 1
        + sum(
            1
            for (d2, t2), r in ranges.loc[st].iterrows()
            if (d2, t2) != (d, t) and r["min"] - 50 <= n <= r["max"] + 50
        )
        for v, st, d, t, n in zip(
            good["variants"], good["street"], good["dir"], good["sttype"], good["num"], strict=True
        )
    ]
    good["numbered"] = good["street"].str.match(r"^\d+(ST|ND|RD|TH)$")
    picks = []
    # stratify: numbered streets, named ST/AV, other types, MLK
    strata = [
        (good[good["numbered"]], 26),
        (good[~good["numbered"] & good["sttype"].isin(["ST"])], 12),
        (good[~good["numbered"] & good["sttype"].isin(["AV"])], 12),
        (
            good[
                good["sttype"].isin(["BL", "DR", "RD", "PL", "CT", "LA", "TR", "PK", "WA", "CR"])
                & (good["street"] != "MARTIN L KING JR")
            ],
            16,
        ),
        (good[good["street"] == "MARTIN L KING JR"], 3),
        (good[good["street"] == "CESAR E CHAVEZ"], 1),
    ]
    nprng = np.random.default_rng(SEED)
    for frame, k in strata:
        idx = nprng.choice(len(frame), size=k, replace=False)
        picks.extend(frame.iloc[i] for i in sorted(idx))
    assert len(picks) == n_total, len(picks)
    out = []
    for row in picks:
        lang = "es" if rng.random() < 0.25 else "en"
        unique = row["variants"] == 1
        addr = f"{row['num']} " + render(
            row["dir"],
            row["street"],
            row["sttype"],
            rng,
            lang,
            keep_dir=not unique,
            keep_type=not unique,
        )
        addr, zipped = with_zip(addr, row["lat"], row["lon"], rng)
        tmpl = rng.choice(ADDR_ES if lang == "es" else ADDR_EN)
        text = tmpl.format(
            a=addr,
            u=(" " + rng.choice(UNITS)) if rng.random() < 0.3 and not zipped else "",
            t="" if zipped else rng.choice(TAILS),
        ) + rng.choice(EMOJI)
        out.append(
            dict(
                id=ids("a"),
                lang=lang,
                text=casing(text, rng),
                kind="address",
                lat=round(float(row["lat"]), 7),
                lon=round(float(row["lon"]), 7),
                tolerance_m=TOL["address"],
                area=None,
                note=f"MAI point {row['address']}",
            )
        )
    return out


def build_interpolated(df, rng, n_total, ids):
    out = []
    present = set(zip(df["street"], df["num"], strict=True))
    groups = list(df[df["sfx"] == ""].groupby(["dir", "street", "sttype"]))
    nprng = np.random.default_rng(SEED + 1)
    order = nprng.permutation(len(groups))
    ranges = df.groupby(["street", "dir", "sttype"])["num"].agg(["min", "max"])
    used_streets = set()
    for gi in order:
        if len(out) >= n_total:
            break
        (dir_, street, sttype), g = groups[gi]
        if street in used_streets or len(g) < 20:
            continue
        for parity in (0, 1):
            s = g[g["num"] % 2 == parity].sort_values("num")
            nums = s["num"].to_numpy()
            xs, ys = s["x"].to_numpy(), s["y"].to_numpy()
            cands = []
            for i in range(len(nums) - 1):
                n1, n2 = nums[i], nums[i + 1]
                if n2 - n1 < 8 or n1 // 100 != n2 // 100:
                    continue
                d = math.hypot(xs[i + 1] - xs[i], ys[i + 1] - ys[i])
                if not 15 < d < 110:
                    continue
                cands.append(i)
            if not cands:
                continue
            i = cands[int(nprng.integers(len(cands)))]
            n1, n2 = int(nums[i]), int(nums[i + 1])
            n = n1 + 2 * ((n2 - n1) // 4)
            if n in (n1, n2) or (street, n) in present:
                continue
            f = (n - n1) / (n2 - n1)
            x = xs[i] + f * (xs[i + 1] - xs[i])
            y = ys[i] + f * (ys[i + 1] - ys[i])
            lon, lat = to_lonlat(x, y)
            # can the direction/type be dropped? only if no other variant of the name spans n
            others = ranges.loc[street]
            spans = [
                (d2, t2)
                for (d2, t2), r in others.iterrows()
                if (d2, t2) != (dir_, sttype) and r["min"] - 50 <= n <= r["max"] + 50
            ]
            unique = not spans
            lang = "es" if rng.random() < 0.25 else "en"
            addr = f"{n} " + render(
                dir_, street, sttype, rng, lang, keep_dir=not unique, keep_type=not unique
            )
            addr, zipped = with_zip(addr, float(lat), float(lon), rng)
            tmpl = rng.choice(ADDR_ES if lang == "es" else ADDR_EN)
            text = tmpl.format(a=addr, u="", t="" if zipped else rng.choice(TAILS)) + rng.choice(
                EMOJI
            )
            out.append(
                dict(
                    id=ids("i"),
                    lang=lang,
                    text=casing(text, rng),
                    kind="address",
                    lat=round(float(lat), 7),
                    lon=round(float(lon), 7),
                    tolerance_m=TOL["interpolated"],
                    area=None,
                    note=f"interpolated {n} {dir_} {street} {sttype} between {n1} and {n2}",
                )
            )
            used_streets.add(street)
            break
    assert len(out) == n_total, len(out)
    return out


def build_blocks(df, rng, n_total, ids):
    out = []
    d = df.copy()
    d["hund"] = d["num"] // 100 * 100
    blocks = d.groupby(["dir", "street", "sttype", "hund"]).agg(
        n=("num", "size"),
        lat=("lat", "mean"),
        lon=("lon", "mean"),
        spread_x=("x", lambda v: float(np.ptp(v))),
        spread_y=("y", lambda v: float(np.ptp(v))),
    )
    blocks = blocks[(blocks["n"] >= 8) & (blocks.index.get_level_values("hund") >= 100)]
    # a block should be a block: points spread along one short stretch
    blocks = blocks[np.hypot(blocks["spread_x"], blocks["spread_y"]) < 260]
    name_hund = d.groupby(["street", "hund"])[["dir", "sttype"]].apply(
        lambda s: len(set(zip(s["dir"], s["sttype"], strict=True)))
    )
    blocks = blocks.reset_index()
    blocks["variants"] = name_hund.reindex(
        pd.MultiIndex.from_arrays([blocks["street"], blocks["hund"]])
    ).to_numpy()
    blocks["numbered"] = blocks["street"].str.match(r"^\d+(ST|ND|RD|TH)$")
    nprng = np.random.default_rng(SEED + 2)
    picks = []
    for frame, k in ((blocks[blocks["numbered"]], 15), (blocks[~blocks["numbered"]], 15)):
        idx = nprng.choice(len(frame), size=k * 3, replace=False)
        seen = set()
        for i in idx:
            row = frame.iloc[i]
            if row["street"] in seen:
                continue
            seen.add(row["street"])
            picks.append(row)
            if len(seen) == k:
                break
    for row in picks[:n_total]:
        lang = "es" if rng.random() < 0.25 else "en"
        unique = row["variants"] == 1
        if lang == "es":
            name, _ = street_name(row["street"], rng, lang)
            s = (
                name
                if unique
                else render(row["dir"], row["street"], row["sttype"], rng, lang, True, True)
            )
            tmpl = rng.choice(BLOCK_ES)
            text = tmpl.format(n=int(row["hund"]), s=s)
        else:
            s = (
                render(
                    row["dir"],
                    row["street"],
                    row["sttype"],
                    rng,
                    lang,
                    keep_dir=not unique,
                    keep_type=False,
                )
                if unique
                else render(row["dir"], row["street"], row["sttype"], rng, lang, True, True)
            )
            tmpl = rng.choice(BLOCK_EN)
            text = tmpl.format(n=int(row["hund"]), s=s, t="")
        text += rng.choice(EMOJI)
        out.append(
            dict(
                id=ids("b"),
                lang=lang,
                text=casing(text, rng),
                kind="block",
                lat=round(float(row["lat"]), 7),
                lon=round(float(row["lon"]), 7),
                tolerance_m=TOL["block"],
                area=None,
                note=f"mean of {int(row['n'])} MAI points {int(row['hund'])}-{int(row['hund']) + 99} {row['dir']} {row['street']} {row['sttype']}",
            )
        )
    assert len(out) == n_total, len(out)
    return out


# Candidate crossings (MAI street names); each is kept only if it exists, is unique and checks out.
INTER_CANDIDATES = [
    ("35TH", "CENTER"),
    ("27TH", "WELLS"),
    ("35TH", "BURLEIGH"),
    ("16TH", "NATIONAL"),
    ("35TH", "NORTH"),
    ("27TH", "CENTER"),
    ("20TH", "CAPITOL"),
    ("60TH", "HAMPTON"),
    ("76TH", "GOOD HOPE"),
    ("27TH", "OKLAHOMA"),
    ("13TH", "OKLAHOMA"),
    ("6TH", "LINCOLN"),
    ("20TH", "MITCHELL"),
    ("MARTIN L KING JR", "LOCUST"),
    ("MARTIN L KING JR", "NORTH"),
    ("FOND DU LAC", "NORTH"),
    ("TEUTONIA", "CAPITOL"),
    ("HOWELL", "OKLAHOMA"),
    ("76TH", "SILVER SPRING"),
    ("84TH", "OKLAHOMA"),
    ("SHERMAN", "BURLEIGH"),
    ("SHERMAN", "CENTER"),
    ("35TH", "WISCONSIN"),
    ("27TH", "LINCOLN"),
    ("27TH", "LAYTON"),
    ("13TH", "MORGAN"),
    ("12TH", "VLIET"),
    ("24TH", "KEEFE"),
    ("FOND DU LAC", "BURLEIGH"),
    ("43RD", "BURLEIGH"),
    ("76TH", "CAPITOL"),
    ("60TH", "CAPITOL"),
    ("27TH", "BURNHAM"),
    ("16TH", "LINCOLN"),
    ("WATER", "BRADY"),
    ("FARWELL", "NORTH"),
    ("OAKLAND", "LOCUST"),
    ("HOLTON", "CENTER"),
    ("51ST", "HAMPTON"),
    ("TEUTONIA", "CENTER"),
    ("KINNICKINNIC", "LINCOLN"),
    ("5TH", "MITCHELL"),
    ("24TH", "VLIET"),
    ("30TH", "BURLEIGH"),
    ("92ND", "CAPITOL"),
    ("LAYTON", "GREENFIELD"),
    ("20TH", "NORTH"),
    ("MARTIN L KING JR", "CAPITOL"),
    ("68TH", "LINCOLN"),
    ("60TH", "VILLARD"),
    ("35TH", "LISBON"),
    ("HUMBOLDT", "LOCUST"),
    ("CESAR E CHAVEZ", "GREENFIELD"),
    ("107TH", "GOOD HOPE"),
    ("91ST", "BROWN DEER"),
    ("27TH", "ATKINSON"),
    ("BROADWAY", "MICHIGAN"),
    ("1ST", "LINCOLN"),
    ("35TH", "CAPITOL"),
    ("84TH", "LINCOLN"),
    ("60TH", "FOND DU LAC"),
    ("27TH", "NATIONAL"),
    ("35TH", "VLIET"),
    ("27TH", "STATE"),
    ("20TH", "CENTER"),
    ("35TH", "LOCUST"),
    ("60TH", "BURLEIGH"),
    ("76TH", "HAMPTON"),
    ("HOLTON", "LOCUST"),
    ("24TH", "LOCUST"),
    ("13TH", "LINCOLN"),
    ("27TH", "FOREST HOME"),
    ("HOWELL", "HOWARD"),
    ("6TH", "NATIONAL"),
    ("13TH", "HOWARD"),
    ("76TH", "BURLEIGH"),
    ("FOND DU LAC", "CENTER"),
]


def line_fit(px, py):
    cx, cy = px.mean(), py.mean()
    _u, _s, vt = np.linalg.svd(np.column_stack([px - cx, py - cy]), full_matrices=False)
    return np.array([cx, cy]), vt[0]


def intersect_lines(p1, d1, p2, d2):
    m = np.column_stack([d1, -d2])
    if abs(np.linalg.det(m)) < 0.2:  # nearly parallel
        return None
    t = np.linalg.solve(m, p2 - p1)
    return p1 + t[0] * d1


def osm_roads():
    data = json.loads((MAPS / "osm_main_roads_2012.geojson").read_text(encoding="utf-8"))
    return [(f["properties"].get("name") or "", shape(f["geometry"])) for f in data["features"]]


OSM_WORD = {
    "ST": "Street|St",
    "AV": "Avenue|Ave",
    "BL": "Boulevard|Blvd",
    "DR": "Drive|Dr",
    "RD": "Road|Rd",
}


def osm_crossing(roads, a, ta, b, tb):
    """OSM intersection points of roads named like the two streets (name + type), x/y metres."""

    def pat(street, sttype):
        words = OSM_WORD.get(sttype, "")
        if street == "MARTIN L KING JR":
            return re.compile(r"Martin Luther King", re.I)
        name = street.lower() if ORD.match(street) else re.escape(street.title())
        return re.compile(rf"\b{name} ({words})\b" if words else rf"\b{name}\b", re.I)

    pa, pb = pat(a, ta), pat(b, tb)
    la = [g for n, g in roads if pa.search(n)]
    lb = [g for n, g in roads if pb.search(n)]
    if not la or not lb:
        return []
    inter = shapely.union_all(la).intersection(shapely.union_all(lb))
    pts = [p for p in getattr(inter, "geoms", [inter]) if p.geom_type == "Point"]
    return [tuple(float(v) for v in to_xy(p.x, p.y)) for p in pts]


def robust_line(px, py):
    keep = np.ones(len(px), bool)
    for _ in range(3):
        c, d = line_fit(px[keep], py[keep])
        resid = np.abs((px - c[0]) * d[1] - (py - c[1]) * d[0])
        new = resid < max(25.0, 2.0 * float(np.median(resid[keep])))
        if new.sum() < 4 or (new == keep).all():
            break
        keep = new
    return c, d


def build_intersections(df, rng, n_total, ids, report):
    roads = osm_roads()
    out = []
    for a, b in INTER_CANDIDATES:
        if len(out) >= n_total:
            break
        pts_a, pts_b = df[df["street"] == a], df[df["street"] == b]
        if pts_a.empty or pts_b.empty:
            report.append(f"skip {a} x {b}: street missing")
            continue
        ax, ay, bx, by = (
            pts_a["x"].to_numpy(),
            pts_a["y"].to_numpy(),
            pts_b["x"].to_numpy(),
            pts_b["y"].to_numpy(),
        )
        d = np.hypot(ax[:, None] - bx[None, :], ay[:, None] - by[None, :])
        i, j = np.unravel_index(np.argmin(d), d.shape)
        dmin = float(d[i, j])
        # uniqueness: every A point within 80 m of B must lie within 250 m of the closest pair
        if dmin > 80:
            report.append(f"skip {a} x {b}: closest {dmin:.0f} m")
            continue
        near = d.min(axis=1) < 80
        mx, my = (ax[i] + bx[j]) / 2, (ay[i] + by[j]) / 2
        spread = float(np.hypot(ax[near] - mx, ay[near] - my).max())
        nearb = d.min(axis=0) < 80
        spread = max(spread, float(np.hypot(bx[nearb] - mx, by[nearb] - my).max()))
        if dmin > 80 or spread > 250:
            report.append(f"skip {a} x {b}: closest {dmin:.0f} m, spread {spread:.0f} m")
            continue
        # refine: fit each street's points within 200 m, intersect the two lines
        sa = np.hypot(ax - mx, ay - my) < 200
        sb = np.hypot(bx - mx, by - my) < 200
        p = None
        if sa.sum() >= 4 and sb.sum() >= 4:
            pa, da = robust_line(ax[sa], ay[sa])
            pb, db = robust_line(bx[sb], by[sb])
            p = intersect_lines(pa, da, pb, db)
        osm = osm_crossing(
            roads, a, pts_a["sttype"].mode().iloc[0], b, pts_b["sttype"].mode().iloc[0]
        )
        fit_off = None if p is None else math.hypot(p[0] - mx, p[1] - my)
        if p is None or fit_off > 200:
            report.append(
                f"skip {a} x {b}: MAI line fit failed or {fit_off} m off the closest pair"
            )
            continue
        osm_d, osm_p = min(
            ((math.hypot(ox - p[0], oy - p[1]), (ox, oy)) for ox, oy in osm), default=(None, None)
        )
        if osm_p is not None:
            if osm_d > 80:
                report.append(f"skip {a} x {b}: OSM crossing {osm_d:.0f} m from MAI line fit")
                continue
            p = np.array(osm_p)
            method = f"OSM crossing; MAI line fit agrees within {osm_d:.0f} m"
        else:
            if fit_off > 120:
                report.append(
                    f"skip {a} x {b}: no OSM, MAI line fit {fit_off:.0f} m off the closest pair"
                )
                continue
            method = f"MAI line fit ({fit_off:.0f} m from closest pair)"
        lon, lat = to_lonlat(p[0], p[1])
        lang = "es" if rng.random() < 0.25 else "en"
        sa_txt, sb_txt = cross_name(a, rng), cross_name(b, rng)
        if rng.random() < 0.2:
            sa_txt = render(pts_a.iloc[i]["dir"], a, pts_a.iloc[i]["sttype"], rng, lang, True, True)
        if lang == "es":
            text = rng.choice(INTER_ES).format(a=sa_txt, b=sb_txt)
        else:
            text = rng.choice(INTER_EN).format(a=sa_txt, b=sb_txt, t=rng.choice(TAILS))
        text += rng.choice(EMOJI)
        out.append(
            dict(
                id=ids("x"),
                lang=lang,
                text=casing(text, rng),
                kind="intersection",
                lat=round(float(lat), 7),
                lon=round(float(lon), 7),
                tolerance_m=TOL["intersection"],
                area=None,
                note=f"{a} x {b}: {method}; closest MAI pair {dmin:.0f} m apart",
            )
        )
        report.append(f"ok   {a} x {b}: closest pair {dmin:.0f} m, spread {spread:.0f} m, {method}")
    assert len(out) == n_total, (len(out), "\n".join(report))
    return out


SCHOOLS = [  # (file name, how residents say it, lang)
    ("Hamilton High", "dumping behind Hamilton High School", "en"),
    ("Bay View High", "kids fighting after school by bay view high", "en"),
    ("South Division High", "carros a alta velocidad frente a la escuela south division", "es"),
    ("Marshall High", "cars doing donuts in the marshall high parking lot", "en"),
    ("Pulaski High", "people smoking weed outside pulaski high school every morning", "en"),
    ("Bradley Technology High", "bradley tech someone broke car windows on the lot", "en"),
    ("Vieau Elementary", "hay jeringas en el parque de la escuela vieau elementary", "es"),
    ("Messmer High School", "speeding by messmer high school kids crossing", "en"),
    ("Golda Meir School", "graffiti all over the wall at golda meir school", "en"),
    ("Allen-Field Elementary", "venden drogas cerca de la escuela allen field", "es"),
    (
        "Milwaukee High School of the Arts",
        "car break ins near milwaukee high school of the arts 😡",
        "en",
    ),
]
PARKS = [  # neighbourhood named after the park it contains
    ("WASHINGTON PARK", "people racing around washington park at night", "en"),
    ("MITCHELL PARK", "tiraron basura en mitchell park cerca de las domes", "es"),
    ("LAKE PARK", "homeless camp in lake park by the ravine", "en"),
    ("JACKSON PARK", "shots fired in jackson park around 10pm", "en"),
    ("MC GOVERN PARK", "gang fights at mcgovern park all summer", "en"),
]
BIDS = [
    ("Reed Street Yards", "trucks dumping construction waste in reed street yards", "en"),
    ("Riverworks", "abandoned cars everywhere in the riverworks area", "en"),
    ("Westown", "panhandlers harassing people in westown downtown", "en"),
    ("The Harbor District", "alguien tira llantas en el harbor district", "es"),
]


def poly_expectation(geom):
    rp = geom.representative_point()
    c = geom.centroid
    rx, ry = to_xy(rp.x, rp.y)
    cx, cy = to_xy(c.x, c.y)
    area_m2 = geom.area * MX * MY
    radius = math.sqrt(area_m2 / math.pi)
    tol = max(500.0, math.hypot(rx - cx, ry - cy) + 300.0, radius)
    return rp, round(tol, -1)


def build_landmarks(rng, ids):
    schools = json.loads((MAPS / "schools_2024_25.geojson").read_text(encoding="utf-8"))["features"]
    names = Counter(f["properties"]["school_name"] for f in schools)
    out = []
    for name, text, lang in SCHOOLS:
        assert names[name] == 1, name
        p = next(f["properties"] for f in schools if f["properties"]["school_name"] == name)
        out.append(
            dict(
                id=ids("l"),
                lang=lang,
                text=text,
                kind="landmark",
                lat=round(p["lat"], 7),
                lon=round(p["lon"], 7),
                tolerance_m=TOL["landmark"],
                area=None,
                note=f"school '{name}' ({p['address']})",
            )
        )
    hoods = read_layer("neighborhoods.geojson", "neighborhood")
    for code, text, lang in PARKS:
        rp, tol = poly_expectation(hoods[code])
        out.append(
            dict(
                id=ids("l"),
                lang=lang,
                text=text,
                kind="landmark",
                lat=round(rp.y, 7),
                lon=round(rp.x, 7),
                tolerance_m=tol,
                area=None,
                note=f"park: representative point of neighborhood {code}",
            )
        )
    bids = read_layer("business_improvement_districts.geojson", "bid_name")
    for code, text, lang in BIDS:
        rp, tol = poly_expectation(bids[code])
        out.append(
            dict(
                id=ids("l"),
                lang=lang,
                text=text,
                kind="landmark",
                lat=round(rp.y, 7),
                lon=round(rp.x, 7),
                tolerance_m=tol,
                area=None,
                note=f"BID '{code}': representative point",
            )
        )
    return out


AREAS = [
    ("neighborhood", "RIVERWEST", "so many car break ins in riverwest lately", "en"),
    ("neighborhood", "BAY VIEW", "bay view has a real speeding problem on the side streets", "en"),
    ("neighborhood", "HARAMBEE", "harambee needs more street lights its too dark", "en"),
    ("neighborhood", "CLARKE SQUARE", "hay mucha venta de drogas en clarke square", "es"),
    (
        "neighborhood",
        "WALKER'S POINT",
        "walkers point bars letting out at 2am fights every weekend",
        "en",
    ),
    (
        "neighborhood",
        "LOWER EAST SIDE",
        "Lower East Side - people keep stealing packages off porches",
        "en",
    ),
    (
        "neighborhood",
        "THE VALLEY / PIGSVILLE",
        "pigsville flooding again and people dumping in the river",
        "en",
    ),
    (
        "neighborhood",
        "BREWER'S HILL",
        "brewers hill scooters left everywhere on the sidewalk",
        "en",
    ),
    ("neighborhood", "MORGANDALE", "robos de carros en morgandale esta semana", "es"),
    (
        "neighborhood",
        "THURSTON WOODS",
        "thurston woods neighbors worried about a drug house but dont want to say which one",
        "en",
    ),
    ("aldermanic_district", "7", "aldermanic district 7", "en"),
    (
        "aldermanic_district",
        "12",
        "who do i talk to in alder district 12 about abandoned houses",
        "en",
    ),
    ("aldermanic_district", "3", "problemas de trafico en el distrito aldermánico 3", "es"),
    ("aldermanic_district", "15", "15th aldermanic district - too many vacant lots", "en"),
    (
        "aldermanic_district",
        "8",
        "vivo en el distrito 8 del concejo municipal y hay mucha basura",
        "es",
    ),
]


def build_areas(ids):
    hoods = read_layer("neighborhoods.geojson", "neighborhood")
    alds = read_layer("aldermanic_districts_2022.geojson", "aldermanic_2022")
    out = []
    for kind, code, text, lang in AREAS:
        assert code in (hoods if kind == "neighborhood" else alds), code
        out.append(
            dict(
                id=ids("r"),
                lang=lang,
                text=text,
                kind="area",
                lat=None,
                lon=None,
                tolerance_m=None,
                area={kind: code},
                note=f"{kind} {code}",
            )
        )
    return out


SAFE_WORDS = [
    "someone",
    "keeps",
    "leaving",
    "garbage",
    "bags",
    "and",
    "old",
    "furniture",
    "out",
    "and",
    "the",
    "smell",
    "is",
    "getting",
    "worse",
    "every",
    "day",
    "i",
    "called",
    "before",
    "and",
    "nobody",
    "came",
    "out",
    "so",
    "i",
    "am",
    "writing",
    "again",
    "because",
    "my",
    "kids",
    "cannot",
    "play",
    "outside",
    "and",
    "the",
    "rats",
    "are",
    "everywhere",
    "please",
    "do",
    "something",
    "about",
    "this",
    "it",
    "has",
    "been",
    "going",
    "on",
    "for",
    "months",
    "and",
    "i",
    "am",
    "tired",
    "of",
    "waiting",
]


def build_none(rng, ids, df):
    main_nums = set(df.loc[df["street"] == "MAIN", "num"])
    n_main = 123
    while n_main in main_nums:
        n_main += 2
    words = []
    while len(" ".join(words)) < 5000:
        words.append(rng.choice(SAFE_WORDS))
    long_text = " ".join(words)[:5000]
    plain = [
        ("someone keeps dumping trash", "en"),
        ("shots fired last night", "en"),
        ("6 gunshots at 11pm", "en"),
        ("call me at 414-555-0123", "en"),
        ("STOP", "en"),
        ("", "en"),
        ("😡😡😡🚨🚨", "en"),
        ("12345", "en"),
        (f"{n_main} Main St, Springfield IL", "en"),
        ("<script>alert(1)</script>", "en"),
        ("'; drop table concern;--", "en"),
        (long_text, "en"),
        ("hola necesito ayuda", "es"),
        ("anoche hubo balazos otra vez", "es"),
        ("los vecinos venden drogas y nadie hace nada", "es"),
        ("thank you!!", "en"),
        ("my car got broken into again, 3rd time this month", "en"),
        ("is anyone going to do something about the speeding", "en"),
        ("1600 Pennsylvania Ave NW, Washington DC 20500", "en"),
        ("llamame al 414 555 0199 despues de las 5", "es"),
    ]
    out = [
        dict(
            id=ids("n"),
            lang=lang,
            text=text,
            kind="none",
            lat=None,
            lon=None,
            tolerance_m=None,
            area=None,
            note="no place in the text",
        )
        for text, lang in plain
    ]
    ambiguous = [
        (
            "trash all over main st",
            "en",
            "W MAIN ST exists but no number/cross street; 'Main St' is generic",
        ),
        ("drug house on washington", "en", "W/E WASHINGTON ST and W WASHINGTON BL; no number"),
        (
            "speeding on north ave all day and night",
            "en",
            "North Ave is 10+ km long; no cross street",
        ),
        ("la casa en la calle lincoln tiene muchos carros", "es", "E/W LINCOLN AV, no number"),
        ("shooting near the school", "en", "which school?"),
        ("people fighting on 27th", "en", "N and S 27TH ST, ~20 km of street"),
    ]
    out += [
        dict(
            id=ids("m"),
            lang=lang,
            text=text,
            kind="none",
            lat=None,
            lon=None,
            tolerance_m=None,
            area=None,
            ambiguous=True,
            note=note,
        )
        for text, lang, note in ambiguous
    ]
    return out


TYPOS = {
    "capitol": "capital",
    "oklahoma": "oklahama",
    "teutonia": "tuetonia",
    "burleigh": "burliegh",
    "wisconsin": "wisconson",
    "lincoln": "lincon",
}


_ZIPS: list[tuple[float, float, str]] = []


def nearest_zip(lat: float, lon: float) -> str | None:
    """ZIP of the nearest school if one is within 500 m (approximate, as residents' own ZIPs are)."""
    if not _ZIPS:
        schools = json.loads((MAPS / "schools_2024_25.geojson").read_text(encoding="utf-8"))[
            "features"
        ]
        _ZIPS.extend(
            (p["lat"], p["lon"], m.group(1))
            for p in (f["properties"] for f in schools)
            if (m := re.search(r"\b(532\d\d)\b", p["address"] or ""))
        )
    d, z = min((haversine(lat, lon, la, lo), z) for la, lo, z in _ZIPS)
    return z if d < 500 else None


def with_zip(addr: str, lat: float, lon: float, rng: random.Random) -> tuple[str, bool]:
    z = nearest_zip(lat, lon) if rng.random() < 0.2 else None
    if not z:
        return addr, False
    return addr + rng.choice([" ", ", milwaukee wi ", " milwaukee ", " mke wi "]) + z, True


def add_typos(rows: list[dict], rng: random.Random) -> None:
    """A few common street-name misspellings, each used once."""
    used: set[str] = set()
    for r in rows:
        if r["id"][0] not in "ax":
            continue
        for good, bad in TYPOS.items():
            if good not in used and good in r["text"].lower() and rng.random() < 0.5:
                r["text"] = re.sub(
                    good,
                    lambda m, bad=bad: bad.upper() if m.group(0).isupper() else bad,
                    r["text"],
                    count=1,
                    flags=re.I,
                )
                r["note"] += f"; typo '{bad}'"
                used.add(good)
                break


def main() -> None:
    rng = random.Random(SEED)
    df = load_points()
    counters: Counter = Counter()

    def ids(prefix: str) -> str:
        counters[prefix] += 1
        return f"{prefix}{counters[prefix]:03d}"

    report: list[str] = []
    rows: list[dict] = []
    rows += build_addresses(df, rng, 70, ids)
    rows += build_interpolated(df, rng, 20, ids)
    rows += build_blocks(df, rng, 30, ids)
    rows += build_intersections(df, rng, 45, ids, report)
    rows += build_landmarks(rng, ids)
    rows += build_areas(ids)
    rows += build_none(rng, ids, df)

    add_typos(rows, rng)
    # sanity: every located answer lies inside the city limits
    limits = read_layer("city_limits.geojson", "city")
    city = shapely.union_all(list(limits.values()))
    for r in rows:
        if r["lat"] is not None:
            assert city.buffer(0.002).contains(shapely.Point(r["lon"], r["lat"])), r
    for line in report:
        print(line)
    with OUT.open("w", encoding="utf-8") as fh:
        for r in rows:
            r.setdefault("ambiguous", False)
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    kinds = Counter((r["kind"] + ("?" if r["ambiguous"] else ""), r["lang"]) for r in rows)
    print(len(rows), "messages ->", OUT.relative_to(ROOT))
    for k, v in sorted(kinds.items()):
        print(f"  {k[0]:14s} {k[1]}  {v}")
    for r in rows[::9]:
        print(f"  {r['id']} {r['text'][:70]!r} -> {r['kind']} {r['lat']},{r['lon']} ({r['note']})")


if __name__ == "__main__":
    main()
