"""CSV and GeoJSON written a row at a time and handed out in chunks: memory stays flat.

Pure generators over any iterable of rows; nothing here touches the database or Flask.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

CHUNK_CHARS = 64 * 1024
# A cell starting with one of these is a formula to a spreadsheet (CSV injection, OWASP).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """A CSV document (header first) in chunks of about CHUNK_CHARS characters."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        # Text a spreadsheet would run as a formula gets a leading apostrophe (inline: this
        # runs once per cell of a million-row export).
        writer.writerow(
            ["'" + v if v.__class__ is str and v.startswith(FORMULA_START) else v for v in row]
        )
        if buffer.tell() >= CHUNK_CHARS:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def feature(
    feature_id: Any, lon: float | None, lat: float | None, properties: dict[str, Any]
) -> dict[str, Any]:
    """A GeoJSON Feature with a Point (or no geometry when the place is unknown)."""
    geometry = None if lon is None or lat is None else {"type": "Point", "coordinates": [lon, lat]}
    return {"type": "Feature", "id": feature_id, "geometry": geometry, "properties": properties}


def geojson_chunks(features: Iterable[dict[str, Any]]) -> Iterator[str]:
    """A GeoJSON FeatureCollection written feature by feature, in chunks."""
    parts = ['{"type":"FeatureCollection","features":[']
    size = len(parts[0])
    separator = ""
    for item in features:
        text = separator + json.dumps(item, ensure_ascii=False, separators=(",", ":"))
        separator = ","
        parts.append(text)
        size += len(text)
        if size >= CHUNK_CHARS:
            yield "".join(parts)
            parts, size = [], 0
    parts.append("]}\n")
    yield "".join(parts)
