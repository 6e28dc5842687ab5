"""Build benchmarks/data/dev_spanish_blocks.jsonl: a development set for Spanish and block forms.

Usage: PYTHONPATH=. python benchmarks/geocode_devset.py [--out FILE] [--seed 21]

Tuning set for the geocoder (never the held-out sets). Expected answers come only from the city
package's own layers: MAI address points (addresses, block middles, where two streets meet),
the schools file and the neighbourhood polygons. The geocoder is never imported. Score it with
`PYTHONPATH=. python benchmarks/geocode_heldout.py --data benchmarks/data/dev_spanish_blocks.jsonl`.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
MAPS = ROOT / "maps" / "milwaukee"
OUT = ROOT / "benchmarks" / "data" / "dev_spanish_blocks.jsonl"
LAT0, LON0 = 43.0389, -87.9065
MY, MX = 111_132.0, 111_320.0 * math.cos(math.radians(43.0389))
ORD = re.compile(r"^(\d+)(ST|ND|RD|TH)$")
DIR_ES = {"N": ["norte", "nte"], "S": ["sur", "sur"], "E": ["este"], "W": ["oeste"]}
DIR_EN = {"N": ["north", "N"], "S": ["south", "S"], "E": ["east", "E"], "W": ["west", "W"]}
TYPE_EN = {"ST": "St", "AV": "Ave", "BL": "Blvd", "DR": "Dr", "RD": "Rd", "PL": "Pl", "LA": "Ln"}
TYPE_ES = {"AV": "avenida", "ST": "calle", "BL": "bulevar"}
UNITS_ES = ["", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"]
TEENS_ES = ["diez", "once", "doce", "trece", "catorce", "quince", "dieciseis", "diecisiete",
            "dieciocho", "diecinueve"]  # fmt: skip
TENS_ES = ["", "", "veinte", "treinta", "cuarenta", "cincuenta", "sesenta", "setenta",
           "ochenta", "noventa"]  # fmt: skip
HUNDREDS_ES = ["", "cien", "doscientos", "trescientos", "cuatrocientos", "quinientos",
               "seiscientos", "setecientos", "ochocientos", "novecientos"]  # fmt: skip
# The everyday names residents give districts -> the City's neighbourhood (expected area).
NICKNAMES = {
    "the Third Ward": "HISTORIC THIRD WARD", "el third ward": "HISTORIC THIRD WARD",
    "Bay View": "BAY VIEW", "bayview": "BAY VIEW", "Walker's Point": "WALKER'S POINT",
    "walkers point": "WALKER'S POINT", "Brewers Hill": "BREWER'S HILL",
    "the lower east side": "LOWER EAST SIDE", "Riverwest": "RIVERWEST",
    "Clarke Square": "CLARKE SQUARE", "Muskego Way": "MUSKEGO WAY",
    "Lincoln Village": "LINCOLN VILLAGE", "Layton Park": "LAYTON PARK",
    "Historic Mitchell": "HISTORIC MITCHELL STREET", "Pigsville": "THE VALLEY / PIGSVILLE",
    "Sherman Park": "SHERMAN PARK", "Harambee": "HARAMBEE", "Silver City": "SILVER CITY",
}  # fmt: skip
PARKS = ["Washington", "Mitchell", "Lake", "Jackson", "Kops", "Lincoln", "Wilson", "Dineen",
         "Burnham", "Saveland", "Riverside", "Columbus", "Cooper", "Estabrook"]  # fmt: skip


def spanish_number(n: int) -> str:
    """1..9999 in Spanish words ("treinta y cinco", "mil trescientos")."""
    parts = []
    if n >= 1000:
        parts.append("mil" if n // 1000 == 1 else f"{spanish_number(n // 1000)} mil")
        n %= 1000
    if n >= 100:
        parts.append("ciento" if n // 100 == 1 and n % 100 else HUNDREDS_ES[n // 100])
        n %= 100
    if n >= 30:
        parts.append(TENS_ES[n // 10] + (f" y {UNITS_ES[n % 10]}" if n % 10 else ""))
    elif n >= 20:
        parts.append("veinte" if n == 20 else "veinti" + UNITS_ES[n % 10])
    elif n >= 10:
        parts.append(TEENS_ES[n - 10])
    elif n:
        parts.append(UNITS_ES[n])
    return " ".join(parts)


def lonlat(x: float, y: float) -> tuple[float, float]:
    return LON0 + x / MX, LAT0 + y / MY


def load() -> pd.DataFrame:
    df = pd.read_csv(MAPS / "mai_address_points.csv.gz", dtype=str, keep_default_na=False)
    df = df[(df.hse_sfx == "") & (df.lon != "") & df.hse_nbr.str.isdigit()].copy()
    df["num"] = df.hse_nbr.astype(int)
    df["lon"], df["lat"] = df.lon.astype(float), df.lat.astype(float)
    df["x"], df["y"] = (df.lon - LON0) * MX, (df.lat - LAT0) * MY
    return df


def name_of(street: str, sttype: str, rng: random.Random, lang: str) -> str:
    match = ORD.match(street)
    if match:
        return rng.choice([match.group(1), street.lower()])
    name = street.title()
    if lang == "es" and sttype in TYPE_ES and rng.random() < 0.5:
        return f"{TYPE_ES[sttype]} {name}"
    return f"{name} {TYPE_EN.get(sttype, '')}".strip() if rng.random() < 0.7 else name


def build(seed: int) -> list[dict]:
    rng = random.Random(seed)
    df = load()
    keyed = df.groupby(["dir", "street", "sttype"])
    numbered = [k for k in keyed.groups if ORD.match(k[1]) and k[0] in "NS" and k[2] == "ST"]
    named_ew = [
        k for k in keyed.groups
        if not ORD.match(k[1]) and k[0] in "EW" and k[2] in ("AV", "ST") and len(keyed.groups[k]) > 300
    ]  # fmt: skip
    out: list[dict] = []

    def add(kind: str, lang: str, text: str, lat=None, lon=None, tol=None, area=None) -> None:
        out.append({
            "id": f"d{len(out) + 1:03d}", "lang": lang, "text": text, "kind": kind,
            "lat": lat, "lon": lon, "tolerance_m": tol, "area": area,
        })  # fmt: skip

    # Spanish addresses: number before the street, "calle", direction after the street.
    es_addr = [
        "venden drogas en el {num} de la {n} {d}",
        "hay un carro abandonado en el {num} calle {n} {d}",
        "la casa del {num} de la calle {n} {d} esta abandonada",
        "balazos anoche en el {num} {n} calle {d}",
        "tiran basura atras del {num} de la {n} {d} porfa",
        "fiestas toda la noche en {num} {n} {d}",
    ]
    for template in es_addr * 4:
        key = rng.choice(numbered)
        row = keyed.get_group(key).sample(1, random_state=rng.randrange(10**6)).iloc[0]
        text = template.format(num=row.num, n=name_of(key[1], key[2], rng, "es"),
                               d=rng.choice(DIR_ES[key[0]]))  # fmt: skip
        add("address", "es", text, row.lat, row.lon, 60)
    for _ in range(8):  # named streets in Spanish, "avenida X"
        key = rng.choice(named_ew)
        row = keyed.get_group(key).sample(1, random_state=rng.randrange(10**6)).iloc[0]
        name = f"{TYPE_ES[key[2]]} {key[1].title()}" if key[2] in TYPE_ES else key[1].title()
        add("address", "es", f"venden drogas en el {row.num} {key[0]} de la {name}",
            row.lat, row.lon, 60)  # fmt: skip

    # Blocks, every way (English and Spanish).
    def block_sample(keys):
        while True:
            key = rng.choice(keys)
            rows = keyed.get_group(key)
            hundred = int(rng.choice(rows.num.to_list())) // 100 * 100
            inside = rows[(rows.num >= hundred) & (rows.num < hundred + 100)]
            if hundred >= 200 and len(inside) >= 6:
                x, y = lonlat(float(inside.x.mean()), float(inside.y.mean()))
                return key, hundred, y, x

    en_block = [
        "the {h} block of {dir} {n} has cars speeding all day",
        "{dir} {n} {h} block shots fired",
        "{hh}th hundred block of {dir} {n} drug dealing",
        "{h} blk {dir} {n} dumping",
        "the {h} block of {n} {dira} has a drug house",
        "loud music every night {h} block of {n} {dira}",
        "{dir} {n}, {h} block, kids racing cars",
        "{hh} hundred block of {dir} {n} abandoned house",
    ]
    es_block = [
        "la cuadra del {h} de la {n} {d} venden drogas",
        "en el bloque {h} de la calle {n} {d} hay basura",
        "en la cuadra {h} de la {n} {d} balazos",
        "la cuadra del {hs} de la {n} {d} carros a alta velocidad",
        "bloque {h} {n} {d} fiestas",
    ]
    for template in en_block * 5:
        key, h, lat, lon = block_sample(numbered + named_ew)
        n = name_of(key[1], key[2], rng, "en")
        if ORD.match(key[1]) and rng.random() < 0.5:
            n += " st"
        text = template.format(h=h, hh=h // 100, n=n, dir=rng.choice(DIR_EN[key[0]]),
                               dira=rng.choice(DIR_EN[key[0]]))  # fmt: skip
        add("block", "en", text, lat, lon, 200)
    for template in es_block * 5:
        key, h, lat, lon = block_sample(numbered)
        text = template.format(h=h, hs=spanish_number(h), n=name_of(key[1], key[2], rng, "es"),
                               d=rng.choice(DIR_ES[key[0]]))  # fmt: skip
        add("block", "es", text, lat, lon, 200)

    # Corners and "entre": where two streets' address points meet.
    def corner(a, b):
        pa, pb = keyed.get_group(a), keyed.get_group(b)
        ax, ay, bx, by = pa.x.to_numpy(), pa.y.to_numpy(), pb.x.to_numpy(), pb.y.to_numpy()
        d = np.hypot(ax[:, None] - bx[None, :], ay[:, None] - by[None, :])
        i, j = np.unravel_index(np.argmin(d), d.shape)
        if d[i, j] > 45:
            return None
        return (ax[i] + bx[j]) / 2, (ay[i] + by[j]) / 2

    es_corner = [
        "en la esquina de la {n} {d} y {m} venden drogas",
        "esquina {m} y calle {n} {d} balazos",
        "hay peleas en la {n} {d} y {m}",
        "carros rapidos en la ezquina de la {n} {d} i {m}",
        "en la calle {ns} {d} y {m} hay basura",
    ]
    made = 0
    while made < 25:
        a, b = rng.choice(numbered), rng.choice(named_ew)
        if len(keyed.get_group(a)) < 150:
            continue
        found = corner(a, b)
        if found is None:
            continue
        n_int = int(ORD.match(a[1]).group(1))
        template = es_corner[made % len(es_corner)]
        text = template.format(n=name_of(a[1], a[2], rng, "es"), ns=spanish_number(n_int),
                               d=rng.choice(DIR_ES[a[0]]), m=name_of(b[1], b[2], rng, "es"))  # fmt: skip
        lon, lat = lonlat(*found)
        add("intersection", "es", text, lat, lon, 150)
        if made % 3 == 0:  # entre: the block between two numbered cross streets
            c = (a[0], f"{n_int + 1}{_suffix(n_int + 1)}", "ST")
            other = corner(c, b) if c in keyed.groups else None
            if other is not None and math.dist(found, other) < 300:
                mid = lonlat((found[0] + other[0]) / 2, (found[1] + other[1]) / 2)
                text = f"en la {name_of(b[1], b[2], rng, 'es')} entre la {n_int} y la {n_int + 1} {rng.choice(DIR_ES[a[0]])} tiran basura"
                add("block", "es", text, mid[1], mid[0], 200)
        made += 1

    # Schools by Spanish and English name forms.
    schools = json.loads((MAPS / "schools_2024_25.geojson").read_text(encoding="utf-8"))
    feats = [f for f in schools["features"] if f["properties"].get("school_name")]
    es_school = ["frente a la escuela {s} venden drogas", "al lado de la escuela {s} hay peleas",
                 "detras de la escuela {s} tiran basura", "cerca de la {s} carros rapidos"]  # fmt: skip
    for i in range(16):
        feat = rng.choice(feats)
        lon, lat = feat["geometry"]["coordinates"][:2]
        add("landmark", "es", es_school[i % 4].format(s=feat["properties"]["school_name"]),
            lat, lon, 500)  # fmt: skip

    # Parks and districts by name and nickname: the neighbourhood is the answer.
    for name in PARKS:
        text = rng.choice(["venden drogas en el parque {p}", "peleas en el parque de {p}",
                           "drug dealing in {p} park every night"]).format(p=name)  # fmt: skip
        add("area", "es" if "parque" in text else "en", text,
            area={"neighborhood": f"{name.upper()} PARK"})  # fmt: skip
    for nick, code in NICKNAMES.items():
        text = rng.choice(["car break ins all over {p} lately", "venden drogas en {p}",
                           "speeding problem in {p}"]).format(p=nick)  # fmt: skip
        add("area", "es" if "venden" in text else "en", text, area={"neighborhood": code})

    # A street alone, or two places: the geocoder must ask (no confident point).
    for i in range(10):
        key = rng.choice(named_ew)
        text = [
            "venden drogas en la {m} todas las noches", "speeding on {m} all day long",
            "carros a alta velocidad en la avenida {b}", "drag racing on {m} again",
            "lots of dumping along {m}",
        ][i % 5].format(m=name_of(key[1], key[2], rng, "en"), b=key[1].title())  # fmt: skip
        add("none", "es" if "venden" in text or "carros" in text else "en", text)
    for i in range(8):
        r1 = df.sample(1, random_state=rng.randrange(10**6)).iloc[0]
        r2 = df.sample(1, random_state=rng.randrange(10**6)).iloc[0]
        text = ["drug houses at {a} and also {b}", "venden drogas en {a} y tambien en {b}"][
            i % 2
        ].format(a=r1.address.title(), b=r2.address.title())
        add("none", "es" if "venden" in text else "en", text)
    new_forms(random.Random(seed + 1), df, keyed, numbered, named_ew, add, corner)
    return out


# Landmarks by their Spanish names -> the MAI address point of the address they are known by.
LANDMARKS_ES = [
    ("venden drogas atras de la biblioteca de Mitchell Street", "906 W HISTORIC MITCHELL ST"),
    ("peleas afuera de la biblioteca Forest Home", "1432 W FOREST HOME AV"),
    ("tiran basura cerca de la biblioteca Zablocki", "3501 W OKLAHOMA AV"),
    ("carros rapidos frente al hospital St Francis", "3237 S 16TH ST"),
    ("balazos cerca del hospital San Lucas", "2900 W OKLAHOMA AV"),
    ("venden drogas en el estacionamiento del hospital de veteranos", "5000 W NATIONAL AV"),
    ("hay peleas afuera de la iglesia de San Adalberto", "1923 W BECHER ST"),
    ("tiran basura detras de la iglesia San Antonio en la 9", "1711 S 9TH ST"),
    ("balazos cerca de la basilica de San Josafat", "2333 S 6TH ST"),
    ("venden drogas frente a la iglesia de Guadalupe", "723 W WASHINGTON ST"),
    ("gente peleando cerca de la estacion Amtrak", "433 W ST PAUL AV"),
    ("venden drogas en la estacion de tren del centro", "433 W ST PAUL AV"),
    ("hay basura en el parque Kosciuszko", "2201 S 7TH ST"),
    ("peleas en el parque Pulaski todas las noches", "2677 S 16TH ST"),
    ("carros rapidos por la clinica de la 16", "1032 S CESAR E CHAVEZ DR"),
    ("venden drogas en el parque Walker Square", "1031 S 9TH ST"),
    ("hay peleas en el parque South Shore", "2900 S SHORE DR"),
]
# Campus nicknames residents use without a school word -> the school's name in the schools file.
CAMPUS_NICKNAMES = [
    ("peleas afuera de Carmen Southeast todos los dias", "Carmen High School of Science and Technology Southeast Campus"),
    ("venden drogas cerca de la Carmen South", "Carmen High School of Science and Technology South Campus"),
    ("fights after school at Carmen Northwest", "Carmen Middle/High School of Science and Technology Northwest Campus"),
    ("kids smoking by milwaukee prep 36th street", "Milwaukee College Preparatory School -- 36th Street Campus"),
]  # fmt: skip
# Schools as Spanish speakers name them: a Spanish school word, a Spanish name, no school word.
SCHOOLS_ES = [
    ("la secundaria Pulaski tiene peleas", "Pulaski High"),
    ("venden drogas cerca de la Escuela Verde", "Escuela Verde"),
    ("peleas afuera de la escuela La Causa", "La Causa Charter School"),
    ("carros rapidos frente a la Academia de Lenguaje y Bellas Artes", "ALBA - Academia de Lenguaje y Bellas Artes"),
    ("tiran basura atras de la Bruce Guadalupe", "Bruce Guadalupe"),
]  # fmt: skip
# Messages with numbers and "calle" that name no place.
NO_PLACE_ES = [
    "la casa de mi abuela tiene ratas",
    "el 15 de mayo hubo balazos otra vez",
    "a las 11 de la noche hay fiestas",
    "tengo 3 hijos y la calle esta sucia",
    "la calle esta llena de basura",
    "desde hace 2 anos la calle esta peor",
    "el 24 de diciembre tiraron cohetes toda la noche",
    "son como 20 muchachos en la calle cada noche",
    "mi hijo de 16 anos tiene miedo de salir",
    "llame al 911 3 veces y no vino nadie",
    "hay 2 carros abandonados en la calle hace 3 semanas",
    "de 10 a 12 de la noche ponen musica",
]
ORDINAL_WORDS_ES = {16: "la dieciseis", 27: "la veintisiete", 35: "la treinta y cinco",
                    13: "la trece", 20: "la veinte", 24: "la veinticuatro"}  # fmt: skip


def _typo(name: str, rng: random.Random) -> str:
    """One letter dropped or two swapped, inside the word ("Grenfield", "Lincon")."""
    at = rng.randrange(1, len(name) - 2)
    if rng.random() < 0.5:
        return name[:at] + name[at + 1 :]
    return name[:at] + name[at + 1] + name[at] + name[at + 2 :]


def new_forms(rng, df, keyed, numbered, named_ew, add, corner) -> None:
    """Forms of issue 21: hundreds, direction after the number, entre, ordinals, Spanglish,
    typos, no "calle", spaced numbers, Spanish landmark names, campus nicknames, no place."""
    south = [k for k in numbered if k[0] == "S" and len(keyed.get_group(k)) > 300]
    south_ew = [k for k in named_ew if k[0] == "W"]
    points = df.set_index("address")

    def block_of(key, min_rows=6):
        rows = keyed.get_group(key)
        for _ in range(50):
            hundred = int(rng.choice(rows.num.to_list())) // 100 * 100
            inside = rows[(rows.num >= hundred) & (rows.num < hundred + 100)]
            if 200 <= hundred < 10000 and len(inside) >= min_rows:
                x, y = lonlat(float(inside.x.mean()), float(inside.y.mean()))
                return hundred, y, x
        return None

    def unique_row(key):
        """A house number found on this street only (no other direction has it)."""
        rows = keyed.get_group(key)
        for _ in range(50):
            row = rows.sample(1, random_state=rng.randrange(10**6)).iloc[0]
            same = df[(df.street == key[1]) & (df.num == row.num)]
            if len(same) == 1 and row.num >= 1000:
                return row
        return None

    num = lambda key: int(ORD.match(key[1]).group(1))  # noqa: E731
    # "la cuadra 13 de la 16": a block given in hundreds.
    for i in range(10):
        key = rng.choice(south)
        found = block_of(key)
        if found:
            h, lat, lon = found
            template = ["en la cuadra {hh} de la {n} {d} venden drogas",
                        "la cuadra del {hh} de la calle {n} {d} tiene basura"][i % 2]  # fmt: skip
            add("block", "es", template.format(hh=h // 100, n=num(key), d=rng.choice(DIR_ES["S"])),
                lat, lon, 200)  # fmt: skip
    # "el 1615 sur de la calle 11": the direction after the house number.
    for i in range(8):
        key = rng.choice(south)
        row = keyed.get_group(key).sample(1, random_state=rng.randrange(10**6)).iloc[0]
        template = ["el {num} {d} de la calle {n} tiene basura", "venden drogas en el {num} {d} de la {n}"][i % 2]  # fmt: skip
        add("address", "es", template.format(num=row.num, d=rng.choice(DIR_ES["S"]), n=num(key)),
            row.lat, row.lon, 60)  # fmt: skip
    # Ordinals in words, "27ava", "por la X cerca de la N", Spanglish corners.
    made = 0
    while made < 16:
        a, b = rng.choice(south), rng.choice(south_ew)
        found = corner(a, b)
        if found is None or len(keyed.get_group(a)) < 150:
            continue
        n, m = num(a), name_of(b[1], b[2], rng, "es")
        text = [
            f"venden drogas en {ORDINAL_WORDS_ES.get(n, 'la ' + spanish_number(n))} y la {m}",
            f"en la {n}ava y la {m} hay peleas",
            f"por la {m} cerca de la {n} venden drogas",
            f"en la corner de la {n} y {m} venden drogas",
        ][made % 4]
        lon, lat = lonlat(*found)
        add("intersection", "es", text, lat, lon, 150)
        made += 1
    # "entre la 15 y la 16 en la Lincoln": the block between two cross streets, street last.
    made = 0
    while made < 6:
        a, b = rng.choice(south), rng.choice(south_ew)
        n = num(a)
        c = ("S", f"{n + 1}{_suffix(n + 1)}", "ST")
        first = corner(a, b)
        other = corner(c, b) if c in keyed.groups else None
        if first is None or other is None or math.dist(first, other) > 300:
            continue
        mid = lonlat((first[0] + other[0]) / 2, (first[1] + other[1]) / 2)
        m = name_of(b[1], b[2], rng, "es")
        add("block", "es", f"tiran basura entre la {n} y la {n + 1} en la {m}", mid[1], mid[0], 200)
        made += 1
    # "el block del 2400 de la 13": Spanglish blocks.
    for _ in range(6):
        key = rng.choice(south)
        found = block_of(key)
        if found:
            h, lat, lon = found
            add("block", "es", f"el block del {h} de la {num(key)} {rng.choice(DIR_ES['S'])} tiene basura",
                lat, lon, 200)  # fmt: skip
    # Typos of named streets at a corner.
    made = 0
    while made < 8:
        a, b = (
            rng.choice(south),
            rng.choice([k for k in south_ew if len(k[1]) >= 7 and " " not in k[1]]),
        )
        found = corner(a, b)
        if found is None:
            continue
        lon, lat = lonlat(*found)
        typo = _typo(b[1].title(), rng)
        add(
            "intersection",
            "es",
            f"venden drogas en la esquina de la {num(a)} y {typo}",
            lat,
            lon,
            150,
        )
        made += 1
    # No "calle", numbers written with a space or a dash.
    for i in range(10):
        key = rng.choice(south + [k for k in numbered if k[0] == "N"])
        row = unique_row(key)
        if row is None:
            continue
        text = str(row.num)
        spaced = [text, f"{text[:2]} {text[2:]}", f"{text[:2]}-{text[2:]}"][i % 3]
        template = ["venden drogas en la {num} {n}", "balazos en el {num} {d} {n}"][i % 2]
        add("address", "es", template.format(num=spaced, n=num(key), d=rng.choice(DIR_EN[key[0]])),
            row.lat, row.lon, 60)  # fmt: skip
    for text, address in LANDMARKS_ES:
        row = points.loc[address]
        add("landmark", "es", text, float(row.lat), float(row.lon), 150)
    schools = json.loads((MAPS / "schools_2024_25.geojson").read_text(encoding="utf-8"))
    by_name = {f["properties"]["school_name"]: f for f in schools["features"]}
    for text, name in CAMPUS_NICKNAMES:
        lon, lat = by_name[name]["geometry"]["coordinates"][:2]
        add("landmark", "en" if "fights" in text or "kids" in text else "es", text, lat, lon, 300)
    for text, name in SCHOOLS_ES:
        lon, lat = by_name[name]["geometry"]["coordinates"][:2]
        add("landmark", "es", text, lat, lon, 300)
    # "en la 16 entre Lincoln y Becher": the street first, then the two cross streets.
    made = 0
    while made < 6:
        a, b = rng.choice(south), rng.choice(south_ew)
        c = rng.choice([k for k in south_ew if k != b])
        first, other = corner(a, b), corner(a, c)
        if first is None or other is None or not 80 < math.dist(first, other) < 300:
            continue
        mid = lonlat((first[0] + other[0]) / 2, (first[1] + other[1]) / 2)
        text = f"en la {num(a)} entre {name_of(b[1], b[2], rng, 'es')} y {name_of(c[1], c[2], rng, 'es')} hay peleas"
        add("block", "es", text, mid[1], mid[0], 200)
        made += 1
    for text, code in [("peleas en el parque Bay View", "BAY VIEW"),
                       ("venden drogas en el parque Clarke Square", "CLARKE SQUARE")]:  # fmt: skip
        add("area", "es", text, area={"neighborhood": code})
    for text in NO_PLACE_ES:
        add("none", "es", text)


def _suffix(n: int) -> str:
    return "TH" if 10 <= n % 100 <= 20 else {1: "ST", 2: "ND", 3: "RD"}.get(n % 10, "TH")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(OUT))
    parser.add_argument("--seed", type=int, default=21)
    args = parser.parse_args()
    rows = build(args.seed)
    with open(args.out, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} messages -> {args.out}")


if __name__ == "__main__":
    main()
