"""`flask cluster-csv`: cluster a CSV of reports with the app's settings, outside the database.

An analyst tries the settings on last year's data: IN has a header and the columns
``id,lat,lon,reported_at,category`` (any order; more columns are ignored; a UTF-8 BOM is
fine); OUT gets ``id,hotspot``, one row per input row in input order, the hotspot blank for a
concern in no hotspot. Every concern in the file is clustered (the file is the window).

Bad input stops everything with a message naming the line as a text editor numbers it (the
header is line 1) and no OUT is written: OUT is written to a temporary file beside it and
renamed into place only when complete. Nothing is written to the database, and a database
that does not exist (yet) is not created: categories and their problem families are read from
its category table when that table has them, else from the reference data.
"""

from __future__ import annotations

import csv
import io
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from community.geo.citypkg import CityPackage
    from community.geo.problem_places import PlaceRule

COLUMNS = ("id", "lat", "lon", "reported_at", "category")
OUT_COLUMNS = ("id", "hotspot")
# A point farther than this outside the city limits is an error (another city, lat and lon
# swapped, a zero); nearer ones are clustered: real incident data holds placeholder points
# just outside the limits (Milwaukee's WIBR: 28 incidents 2.5 km offshore), and a report
# across the street from the city line is still the city's business.
LIMITS_TOLERANCE_M = 5_000.0
_FIELD_LIMIT = 2**31 - 1  # csv's default (128 KiB per field) would reject a long extra column
_SHOW = 40  # characters of a bad value quoted in a message


class CsvInputError(ValueError):
    """The input cannot be clustered; the message names the file and line."""


@dataclass(frozen=True)
class Summary:
    concerns: int
    hotspots: int
    widest_m: float  # the largest hotspot 90th-percentile radius, metres (0 without hotspots)
    in_hotspots: int  # concerns in some hotspot

    @property
    def share(self) -> float:
        """Percentage of the concerns in some hotspot."""
        return 100.0 * self.in_hotspots / self.concerns if self.concerns else 0.0

    def line(self) -> str:
        """One line, e.g. ``1,234 concerns: 87 hotspots, widest 74 m (90th-percentile radius),
        31.2% of concerns in hotspots``."""
        return (
            f"{_plural(self.concerns, 'concern')}: {_plural(self.hotspots, 'hotspot')}, "
            f"widest {self.widest_m:,.0f} m (90th-percentile radius), "
            f"{self.share:.1f}% of concerns in hotspots"
        )


@dataclass
class Reports:
    """The validated input, one entry per data row, in file order."""

    ids: list[str]
    lat: np.ndarray
    lon: np.ndarray
    family: np.ndarray  # problem family of each row's category

    def __len__(self) -> int:
        return len(self.ids)


def cluster_csv(
    in_path: str | os.PathLike[str],
    out_path: str | os.PathLike[str],
    *,
    city: CityPackage,
    families: Mapping[str, str],
    rule: PlaceRule | None = None,
) -> Summary:
    """Read and check IN, cluster it, write OUT atomically; raise CsvInputError on bad input."""
    from community.geo.citypkg import to_metres
    from community.geo.problem_places import find_places, radius_p90

    source, target = Path(in_path), Path(out_path)
    _check_target(source, target)
    reports = read_reports(source, city, families)
    x, y = to_metres(city, reports.lon, reports.lat)
    labels = find_places(x, y, reports.family, rule) if len(reports) else np.empty(0, int)
    hotspot = _numbered(labels)
    radii = radius_p90(x, y, labels) if len(reports) else {}
    _write_atomically(target, reports.ids, hotspot)
    return Summary(
        concerns=len(reports),
        hotspots=int(hotspot.max()) if len(hotspot) else 0,
        widest_m=max(radii.values(), default=0.0),
        in_hotspots=int((hotspot > 0).sum()),
    )


def category_families() -> dict[str, str]:
    """{category code: problem family}: the database's when it has them, else the reference."""
    found = _database_families()
    if found:
        return found
    from community.demo.reference import category_families as reference

    return reference()


def read_reports(path: Path, city: CityPackage, families: Mapping[str, str]) -> Reports:
    """Parse and check every row; raise CsvInputError naming the first bad line."""
    text = _read_text(path)
    rows, lines, header, header_line = _records(path, text)
    where = _columns(path, header, header_line)
    n = len(rows)
    width = np.fromiter(map(len, rows), dtype=np.int64, count=n)
    padded = [
        row + [""] * (len(header) - len(row)) if len(row) < len(header) else row for row in rows
    ]
    raw = {name: [row[where[name]] for row in padded] for name in COLUMNS}
    del padded

    import pandas as pd

    ids = pd.Series([value.strip() for value in raw["id"]], dtype=object)
    lat_text = pd.Series(raw["lat"], dtype=object).str.strip()
    lon_text = pd.Series(raw["lon"], dtype=object).str.strip()
    lat = pd.to_numeric(lat_text, errors="coerce").to_numpy(dtype=float)
    lon = pd.to_numeric(lon_text, errors="coerce").to_numpy(dtype=float)
    when_text = pd.Series(raw["reported_at"], dtype=object).str.strip()
    when = pd.to_datetime(when_text, format="ISO8601", utc=True, errors="coerce")
    category = pd.Series(raw["category"], dtype=object).str.strip()
    family = category.map(dict(families))

    empty_id = (ids == "").to_numpy()
    duplicate = (ids.duplicated(keep="first") & ~(ids == "")).to_numpy()
    lat_bad = ~np.isfinite(lat) | (np.abs(lat) > 90)
    lon_bad = ~np.isfinite(lon) | (np.abs(lon) > 180)
    when_bad = when.isna().to_numpy()
    category_bad = family.isna().to_numpy()
    outside = np.zeros(n, dtype=bool)
    placed = ~(lat_bad | lon_bad)
    if placed.any():
        outside[placed] = ~_inside_city(city, lon[placed], lat[placed])
    checks = (
        width != len(header),
        empty_id,
        duplicate,
        lat_bad,
        lon_bad,
        when_bad,
        category_bad,
        outside,
    )
    bad = np.logical_or.reduce(checks) if n else np.zeros(0, dtype=bool)
    if bad.any():
        row = int(np.argmax(bad))
        problem = _describe(
            row,
            checks,
            width=len(header),
            ids=ids,
            lat=(lat_text, lat),
            lon=(lon_text, lon),
            when=when_text,
            category=category,
            families=families,
            lines=lines,
            city=city,
        )
        others = int(bad.sum()) - 1
        more = f"; {_plural(others, 'more line')} with problems after it" if others else ""
        raise CsvInputError(f"{path.name}, line {lines[row]}: {problem}{more}")
    return Reports(
        ids=ids.tolist(),
        lat=lat,
        lon=lon,
        family=family.to_numpy(dtype=object).astype(str) if n else np.empty(0, dtype=str),
    )


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CsvInputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CsvInputError(f"{path}: is a folder, not a CSV file") from None
    except OSError as exc:
        raise CsvInputError(f"{path}: cannot read it ({exc.strerror})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CsvInputError(f"{path.name}, line {line}: not UTF-8 text") from None
    if not text.strip():
        raise CsvInputError(
            f"{path.name}: the file is empty; expected a header line {','.join(COLUMNS)}"
        )
    return text


def _records(path: Path, text: str) -> tuple[list[list[str]], list[int], list[str], int]:
    """The header, the data rows, and the line each row starts on (blank lines skipped)."""
    previous_limit = csv.field_size_limit(_FIELD_LIMIT)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    lines: list[int] = []
    header: list[str] | None = None
    header_line = 1
    end = 0
    try:
        for row in reader:
            start, end = end + 1, reader.line_num
            if not row:
                continue
            if header is None:
                header, header_line = row, start
                continue
            rows.append(row)
            lines.append(start)
    except csv.Error as exc:
        raise CsvInputError(f"{path.name}, line {end + 1}: not valid CSV ({exc})") from None
    finally:
        csv.field_size_limit(previous_limit)
    assert header is not None  # the text is not blank
    return rows, lines, header, header_line


def _columns(path: Path, header: list[str], line: int) -> dict[str, int]:
    """Position of each needed column in the header (names trimmed, any case)."""
    names = [name.strip().lower() for name in header]
    where: dict[str, int] = {}
    for position, name in enumerate(names):
        if name in COLUMNS and name in where:
            raise CsvInputError(f"{path.name}, line {line}: column {name!r} appears twice")
        where.setdefault(name, position)
    missing = [name for name in COLUMNS if name not in where]
    if missing:
        raise CsvInputError(
            f"{path.name}, line {line}: missing column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)} (the header needs {','.join(COLUMNS)})"
        )
    return {name: where[name] for name in COLUMNS}


def _describe(row: int, checks: tuple[np.ndarray, ...], **facts: Any) -> str:
    """What is wrong with one row: the first failed check, in the order of `checks`."""
    (width_bad, empty_id, duplicate, lat_bad, lon_bad, when_bad, category_bad, outside) = checks
    if width_bad[row]:
        return (
            f"the header has {facts['width']} fields but this row has a different number "
            "(an unquoted comma in a value?)"
        )
    if empty_id[row]:
        return "the id is empty"
    ids = facts["ids"]
    if duplicate[row]:
        first = int(np.argmax((ids == ids.iloc[row]).to_numpy()))
        return f"id {_show(ids.iloc[row])} is already used on line {facts['lines'][first]}"
    for name, bad, limit in (("lat", lat_bad, 90), ("lon", lon_bad, 180)):
        if bad[row]:
            text, value = facts[name]
            if text.iloc[row] == "":
                return f"{name} is empty"
            if np.isnan(value[row]) and text.iloc[row].lower() not in ("nan", "-nan", "+nan"):
                return f"{name} {_show(text.iloc[row])} is not a number"
            if not np.isfinite(value[row]):
                return f"{name} {_show(text.iloc[row])} is not a finite number"
            return f"{name} {_show(text.iloc[row])} is out of range (-{limit} to {limit})"
    if when_bad[row]:
        when = facts["when"].iloc[row]
        if when == "":
            return "reported_at is empty"
        if _iso_time(when):
            return f"reported_at {_show(when)} is out of range (years 1678 to 2261)"
        return (
            f"reported_at {_show(when)} is not an ISO 8601 date or time "
            "(e.g. 2024-05-01 or 2024-05-01T14:30:00-05:00)"
        )
    if category_bad[row]:
        codes = ", ".join(sorted(facts["families"]))
        return f"unknown category {_show(facts['category'].iloc[row])}; valid codes: {codes}"
    assert outside[row]
    lat, lon = facts["lat"][1][row], facts["lon"][1][row]
    city = facts["city"]
    message = (
        f"lat {lat:g}, lon {lon:g} is outside the {city.name} city limits "
        f"(by more than {LIMITS_TOLERANCE_M:.0f} m)"
    )
    if abs(lon) <= 90 and _inside_city(city, np.array([lat]), np.array([lon]))[0]:
        message += "; are lat and lon swapped?"
    return message


def _iso_time(text: str) -> bool:
    """Whether Python reads the text as an ISO 8601 date or time (pandas has a narrower range)."""
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def _show(value: str) -> str:
    """A value quoted for a message, cut short when long."""
    if len(value) > _SHOW:
        return repr(value[:_SHOW]) + f"... ({len(value):,} characters)"
    return repr(value)


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _inside_city(city: CityPackage, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """True for each point inside the city limits or within LIMITS_TOLERANCE_M of them."""
    from community.geo.context import inside_limits

    return inside_limits(city, lon, lat, LIMITS_TOLERANCE_M)


def _numbered(labels: np.ndarray) -> np.ndarray:
    """Hotspot numbers 1..k, largest first (ties: the one appearing first); 0 for none."""
    out = np.zeros(len(labels), dtype=np.int64)
    inside = labels >= 0
    if not inside.any():
        return out
    unique, first, inverse, counts = np.unique(
        labels[inside], return_index=True, return_inverse=True, return_counts=True
    )
    order = np.lexsort((first, -counts))
    rank = np.empty(len(unique), dtype=np.int64)
    rank[order] = np.arange(1, len(unique) + 1)
    out[inside] = rank[inverse.ravel()]
    return out


def _check_target(source: Path, target: Path) -> None:
    if target.is_dir():
        raise CsvInputError(f"{target}: is a folder; give the output file's name")
    if not target.parent.is_dir():
        raise CsvInputError(f"{target}: the folder {target.parent} does not exist")
    if target.exists() and source.exists() and os.path.samefile(source, target):
        raise CsvInputError(f"{target}: is the input file; give another name for the output")


def _write_atomically(target: Path, ids: list[str], hotspot: np.ndarray) -> None:
    """Write OUT beside its final name, then rename: OUT is whole or not there at all."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    # os.open honours the umask, so OUT gets the permissions any new file would get.
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with open(descriptor, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(OUT_COLUMNS)
            values = [str(number) if number else "" for number in hotspot.tolist()]
            writer.writerows(zip(ids, values, strict=True))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _database_families() -> dict[str, str] | None:
    """{code: family} from the category table, or None when there is no such table, column
    or row, or no database at all. Reads only; never creates a SQLite file."""
    import sqlalchemy as sa

    from community.extensions import db

    try:
        engine = db.engine
        url = engine.url
        if url.get_backend_name() == "sqlite":
            database = url.database or ""
            in_a_file = database not in ("", ":memory:") and not database.startswith("file:")
            if in_a_file and not Path(database).is_file():
                return None  # connecting would create an empty database file
        with engine.connect() as connection:
            inspector = sa.inspect(connection)
            if "category" not in inspector.get_table_names():
                return None
            if "family" not in {column["name"] for column in inspector.get_columns("category")}:
                return None
            rows = connection.execute(sa.text("SELECT code, family FROM category")).all()
    except (sa.exc.SQLAlchemyError, RuntimeError, OSError):
        return None
    return {str(code): str(family or code) for code, family in rows if code} or None
