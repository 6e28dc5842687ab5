"""`flask cluster-csv IN.csv OUT.csv`: an analyst's trial of the settings on a CSV of reports."""

from __future__ import annotations

import csv
import hashlib
import re
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from community import create_app
from community.extensions import db

HEADER = "id,lat,lon,reported_at,category"
SPOT = (43.0703859, -87.9110407)  # 2846 N 1st St: one Milwaukee address point
SUMMARY = re.compile(
    r"^([\d,]+) concerns?: ([\d,]+) hotspots?, widest ([\d,]+) m \(90th-percentile radius\), "
    r"(\d+\.\d)% of concerns in hotspots$"
)


def background(count: int, seed: int = 5) -> list[tuple[float, float]]:
    """Points scattered over the north side (inside the city), far apart."""
    rng = np.random.default_rng(seed)
    lats = rng.uniform(43.05, 43.10, count)
    lons = rng.uniform(-87.98, -87.93, count)
    return list(zip(lats.round(6).tolist(), lons.round(6).tolist(), strict=True))


def happy_rows() -> list[list[str]]:
    rows = []
    categories = ["drug_activity", "loitering", "nuisance_property"]
    for n in range(6):
        rows.append(
            [f"spot-{n}", str(SPOT[0]), str(SPOT[1]), f"2024-03-0{n + 1}", categories[n % 3]]
        )
    codes = ["graffiti", "noise", "reckless_driving", "shots_fired", "vacant_building"]
    for n, (lat, lon) in enumerate(background(40)):
        rows.append([f"bg-{n}", str(lat), str(lon), "2024-02-11T08:15:00-06:00", codes[n % 5]])
    rng = np.random.default_rng(3)
    return [rows[i] for i in rng.permutation(len(rows))]  # the spot is spread over the file


def write_csv(path: Path, rows: list[list[str]], header: str = HEADER) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(header + "\n")
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return path


def read_out(path: Path) -> list[list[str]]:
    limit = csv.field_size_limit(2**31 - 1)
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return list(csv.reader(handle))
    finally:
        csv.field_size_limit(limit)


def run(app, source: Path, target: Path):
    return app.test_cli_runner().invoke(args=["cluster-csv", str(source), str(target)])


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_dense_spot_becomes_one_hotspot(app, tmp_path: Path) -> None:
    rows = happy_rows()
    source, target = write_csv(tmp_path / "in.csv", rows), tmp_path / "out.csv"

    result = run(app, source, target)

    assert result.exit_code == 0, result.output
    out = read_out(target)
    assert out[0] == ["id", "hotspot"]
    assert [r[0] for r in out[1:]] == [r[0] for r in rows]  # one row per input row, in order
    hotspot = dict(out[1:])
    spot = {hotspot[f"spot-{n}"] for n in range(6)}
    assert len(spot) == 1 and spot != {""}
    assert spot == {"1"}  # numbered by size: the biggest is 1
    assert all(v == "" or v.isdigit() for v in hotspot.values())
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    match = SUMMARY.match(lines[0])
    assert match, lines[0]
    assert match.group(1) == "46"
    in_hotspots = sum(1 for v in hotspot.values() if v)
    assert float(match.group(4)) == pytest.approx(100 * in_hotspots / 46, abs=0.05)
    assert int(match.group(2)) == len({v for v in hotspot.values() if v})
    assert leftovers(tmp_path) == []


def test_columns_in_any_order_with_extras_a_bom_crlf_and_blank_lines(app, tmp_path: Path) -> None:
    rows = happy_rows()
    source = tmp_path / "in.csv"
    lines = ["note,category,reported_at,lon,lat,ID "]
    for n, (id_, lat, lon, when, code) in enumerate(rows):
        lines.append(f"x{n},{code},{when},{lon},{lat},{id_}")
        if n == 10:
            lines.append("")
    source.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n\r\n").encode("utf-8"))
    target = tmp_path / "out.csv"

    result = run(app, source, target)

    assert result.exit_code == 0, result.output
    out = read_out(target)
    assert [r[0] for r in out[1:]] == [r[0] for r in rows]
    assert len({dict(out[1:])[f"spot-{n}"] for n in range(6)}) == 1


def test_header_only_writes_a_header_only_out(app, tmp_path: Path) -> None:
    source, target = write_csv(tmp_path / "in.csv", []), tmp_path / "out.csv"
    result = run(app, source, target)
    assert result.exit_code == 0, result.output
    assert read_out(target) == [["id", "hotspot"]]
    assert result.output.strip() == (
        "0 concerns: 0 hotspots, widest 0 m (90th-percentile radius), 0.0% of concerns in hotspots"
    )


def test_unicode_and_html_in_ids_pass_through_quoted(app, tmp_path: Path) -> None:
    odd = [
        '<script>alert("x")</script>',
        'Ñandú, "el grande"',
        "line\nbreak",
        "emoji 🚨",
        '=HYPERLINK("http://x")',
        "  padded  ",
    ]
    rows = happy_rows()
    for n, id_ in enumerate(odd):
        rows[n][0] = id_
    source, target = write_csv(tmp_path / "in.csv", rows), tmp_path / "out.csv"

    result = run(app, source, target)

    assert result.exit_code == 0, result.output
    ids = [r[0] for r in read_out(target)[1:]]
    assert ids[: len(odd)] == [*odd[:-1], "padded"]  # surrounding spaces are not part of an id
    assert ids[len(odd) :] == [r[0] for r in rows[len(odd) :]]
    text = target.read_text(encoding="utf-8")
    assert '"Ñandú, ""el grande"""' in text and '"line\nbreak"' in text


def test_a_huge_field_in_an_extra_column_or_the_id(app, tmp_path: Path) -> None:
    rows = happy_rows()
    huge = "a" * 2_000_000
    rows[0][0] = "id-" + huge
    source = tmp_path / "in.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        handle.write(HEADER + ",note\n")
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerows([[*row, huge if n == 3 else "short"] for n, row in enumerate(rows)])
    target = tmp_path / "out.csv"

    result = run(app, source, target)

    assert result.exit_code == 0, result.output
    assert read_out(target)[1][0] == "id-" + huge


def test_a_huge_bad_value_is_shown_short(app, tmp_path: Path) -> None:
    rows = happy_rows()
    rows[2][1] = "9" * 500_000 + "x"
    source, target = write_csv(tmp_path / "in.csv", rows), tmp_path / "out.csv"
    result = run(app, source, target)
    assert result.exit_code != 0
    assert "line 4" in result.output and "500,001 characters" in result.output
    assert len(result.output) < 500
    assert not target.exists()


def bad(rows: list[list[str]], row: int, column: int, value: str) -> list[list[str]]:
    rows = [list(r) for r in rows]
    rows[row][column] = value
    return rows


BASE = [
    ["a1", "43.07", "-87.93", "2024-01-01", "drug_activity"],
    ["a2", "43.071", "-87.931", "2024-01-02T10:00:00", "noise"],
    ["a3", "43.072", "-87.932", "2024-01-03T10:00:00Z", "graffiti"],
    ["a4", "43.073", "-87.933", "2024-01-04 10:00:00-05:00", "other"],
]


@pytest.mark.parametrize(
    ("rows", "line", "words"),
    [
        (bad(BASE, 2, 0, "a1"), 4, ["id 'a1'", "already used on line 2"]),
        (bad(BASE, 1, 0, "  "), 3, ["id is empty"]),
        (bad(BASE, 0, 1, "abc"), 2, ["lat 'abc' is not a number"]),
        (bad(BASE, 3, 2, ""), 5, ["lon is empty"]),
        (bad(BASE, 1, 2, "nan"), 3, ["lon 'nan' is not a finite number"]),
        (bad(BASE, 1, 1, "inf"), 3, ["lat 'inf' is not a finite number"]),
        (bad(BASE, 2, 1, "95.5"), 4, ["lat '95.5' is out of range"]),
        (bad(BASE, 2, 2, "-187.5"), 4, ["lon '-187.5' is out of range"]),
        (bad(BASE, 3, 3, "05/01/2024"), 5, ["reported_at '05/01/2024'", "ISO 8601"]),
        (bad(BASE, 3, 3, "2024-02-30"), 5, ["reported_at '2024-02-30'"]),
        (bad(BASE, 0, 3, ""), 2, ["reported_at is empty"]),
        (bad(BASE, 0, 3, "1200-01-01"), 2, ["reported_at '1200-01-01' is out of range"]),
        (bad(BASE, 2, 4, "drugs"), 4, ["unknown category 'drugs'", "drug_activity, graffiti"]),
        (bad(bad(BASE, 1, 1, "41.8781"), 1, 2, "-87.6298"), 3, ["outside the Milwaukee"]),
        (bad(bad(BASE, 1, 1, "-87.931"), 1, 2, "43.071"), 3, ["lat and lon swapped?"]),
        ([*BASE[:2], [*BASE[2], "extra"], BASE[3]], 4, ["the header has 5 fields"]),
        ([*BASE[:2], BASE[2][:3], BASE[3]], 4, ["the header has 5 fields"]),
    ],
)
def test_bad_input_names_the_line_and_writes_nothing(
    app, tmp_path: Path, rows: list[list[str]], line: int, words: list[str]
) -> None:
    source, target = write_csv(tmp_path / "in.csv", rows), tmp_path / "out.csv"
    result = run(app, source, target)
    assert result.exit_code != 0
    assert f"in.csv, line {line}:" in result.output, result.output
    for word in words:
        assert word in result.output, result.output
    assert "Traceback" not in result.output
    assert not target.exists()
    assert leftovers(tmp_path) == []


def test_lines_count_as_an_editor_counts_them(app, tmp_path: Path) -> None:
    """A quoted value over two lines and a blank line move the later rows down."""
    source = tmp_path / "in.csv"
    source.write_text(
        HEADER + "\n"
        '"two\nlines",43.07,-87.93,2024-01-01,noise\n'
        "\n"
        "b,43.07,-87.93,2024-01-01,noise\n"
        "c,north,-87.93,2024-01-01,noise\n",
        encoding="utf-8",
    )
    result = run(app, source, tmp_path / "out.csv")
    assert result.exit_code != 0
    assert "in.csv, line 6: lat 'north' is not a number" in result.output


def test_the_first_bad_line_is_named_and_the_rest_counted(app, tmp_path: Path) -> None:
    rows = bad(bad(BASE, 3, 4, "drugs"), 1, 1, "x")
    result = run(app, write_csv(tmp_path / "in.csv", rows), tmp_path / "out.csv")
    assert "line 3: lat 'x'" in result.output and "1 more line with problems" in result.output


@pytest.mark.parametrize(
    ("header", "words"),
    [
        ("id,lat,lon,category", ["line 1", "missing column reported_at"]),
        ("ident,latitude,lon,reported_at,category", ["line 1", "missing columns id, lat"]),
        ("id,lat,lon,lat,reported_at,category", ["line 1", "column 'lat' appears twice"]),
    ],
)
def test_missing_columns_are_named(app, tmp_path: Path, header: str, words: list[str]) -> None:
    source, target = write_csv(tmp_path / "in.csv", BASE, header=header), tmp_path / "out.csv"
    result = run(app, source, target)
    assert result.exit_code != 0
    for word in words:
        assert word in result.output, result.output
    assert not target.exists()


def test_missing_empty_and_undecodable_files(app, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    result = run(app, tmp_path / "nowhere.csv", target)
    assert result.exit_code != 0 and "nowhere.csv: no such file" in result.output
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"\xef\xbb\xbf\n  \n")
    result = run(app, empty, target)
    assert result.exit_code != 0 and "empty.csv: the file is empty" in result.output
    latin = tmp_path / "latin.csv"
    latin.write_bytes(
        (HEADER + "\n1,43.07,-87.93,2024-01-01,noise\nÑ,43.07,-87.93,2024-01-01,noise\n").encode(
            "latin-1"
        )
    )
    result = run(app, latin, target)
    assert result.exit_code != 0 and "latin.csv, line 3: not UTF-8 text" in result.output
    assert not target.exists() and leftovers(tmp_path) == []


def test_bad_input_leaves_an_existing_out_untouched(app, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("keep me\n", encoding="utf-8")
    result = run(app, write_csv(tmp_path / "in.csv", bad(BASE, 0, 4, "nope")), target)
    assert result.exit_code != 0
    assert target.read_text(encoding="utf-8") == "keep me\n"
    result = run(app, write_csv(tmp_path / "in.csv", BASE), target)
    assert result.exit_code == 0, result.output
    assert [r[0] for r in read_out(target)] == ["id", "a1", "a2", "a3", "a4"]


def test_out_must_not_be_the_input(app, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "in.csv", BASE)
    before = source.read_bytes()
    result = run(app, source, source)
    assert result.exit_code != 0 and "is the input file" in result.output
    assert source.read_bytes() == before


def test_no_database_file_is_created(tmp_path: Path) -> None:
    """With the default kind of URL and no database yet, the reference categories are used."""
    database = tmp_path / "absent.sqlite"
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}")
    with app.app_context():
        result = run(app, write_csv(tmp_path / "in.csv", BASE), tmp_path / "out.csv")
    assert result.exit_code == 0, result.output
    assert not database.exists()


def test_categories_and_families_come_from_the_database_when_it_has_them(tmp_path: Path) -> None:
    database = tmp_path / "cats.sqlite"
    with sqlite3.connect(database) as connection:
        connection.execute("PRAGMA journal_mode=WAL")  # as the app leaves it
        connection.execute("CREATE TABLE category (id INTEGER PRIMARY KEY, code TEXT, family TEXT)")
        connection.executemany(
            "INSERT INTO category (code, family) VALUES (?, ?)",
            [("crack_house", "nuisance"), ("junk_car", "blight")],
        )
    connection.close()
    digest = hashlib.sha256(database.read_bytes()).hexdigest()
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}")
    rows = [[f"s{n}", str(SPOT[0]), str(SPOT[1]), "2024-01-01", "crack_house"] for n in range(5)]
    with app.app_context():
        result = run(app, write_csv(tmp_path / "in.csv", rows), tmp_path / "out.csv")
        assert result.exit_code == 0, result.output
        assert {r[1] for r in read_out(tmp_path / "out.csv")[1:]} == {"1"}
        rows[2][4] = "drug_activity"  # a reference code this database does not have
        result = run(app, write_csv(tmp_path / "in.csv", rows), tmp_path / "out2.csv")
        assert result.exit_code != 0
        assert "line 4: unknown category 'drug_activity'; valid codes: crack_house, junk_car" in (
            result.output
        )
        db.engine.dispose()
    assert hashlib.sha256(database.read_bytes()).hexdigest() == digest  # read, never written


def test_thousands_of_real_points(app, tmp_path: Path) -> None:
    """20,000 rows at WIBR's incident points (on the city's streets) cluster quickly."""
    from community.demo.reference import category_families
    from community.hotspots.csvcluster import _inside_city
    from community.places.city import current_city

    wibr = pd.read_csv(
        Path(app.config["CITY_PACKAGE"]) / "wibr_crime_2023_jan_sep.csv.gz",
        usecols=["lat", "lon"],
    ).dropna()
    wibr = wibr[_inside_city(current_city(), wibr["lon"].to_numpy(), wibr["lat"].to_numpy())]
    rng = np.random.default_rng(11)
    pick = rng.integers(0, len(wibr), 20_000)
    codes = np.array(sorted(category_families()))
    frame = pd.DataFrame(
        {
            "id": [f"w{n}" for n in range(20_000)],
            "lat": wibr["lat"].to_numpy()[pick],
            "lon": wibr["lon"].to_numpy()[pick],
            "reported_at": "2023-06-01T12:00:00-05:00",
            "category": codes[rng.integers(0, len(codes), 20_000)],
        }
    )
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    frame.to_csv(source, index=False)

    result = run(app, source, target)

    assert result.exit_code == 0, result.output
    out = pd.read_csv(target, dtype={"id": str}, keep_default_na=False)
    assert out["id"].tolist() == frame["id"].tolist()
    numbers = pd.to_numeric(out["hotspot"].replace("", np.nan))
    match = SUMMARY.match(result.output.strip())
    assert match and match.group(1) == "20,000"
    assert int(match.group(2).replace(",", "")) == numbers.nunique() == numbers.max()
    assert int(match.group(3).replace(",", "")) <= 200  # places, not neighbourhoods
