"""The stream writers: chunked, valid documents from any number of rows."""

from __future__ import annotations

import csv
import io
import json

from community.exports.streams import CHUNK_CHARS, csv_chunks, feature, geojson_chunks


def test_csv_comes_in_bounded_chunks_and_reads_back() -> None:
    rows = ([i, f"row {i}", 'ñ, "quoted"\nnew line'] for i in range(20_000))
    chunks = list(csv_chunks(["id", "name", "text"], rows))
    assert len(chunks) > 5
    assert max(len(c) for c in chunks) < CHUNK_CHARS + 1000
    read = list(csv.reader(io.StringIO("".join(chunks))))
    assert read[0] == ["id", "name", "text"] and len(read) == 20_001
    assert read[-1] == ["19999", "row 19999", 'ñ, "quoted"\nnew line']


def test_geojson_of_no_rows_and_many_rows_is_valid() -> None:
    assert json.loads("".join(geojson_chunks([]))) == {"type": "FeatureCollection", "features": []}
    features = (feature(i, -87.9, 43.0, {"n": i}) for i in range(10_000))
    chunks = list(geojson_chunks(features))
    assert len(chunks) > 5
    collection = json.loads("".join(chunks))
    assert len(collection["features"]) == 10_000
    assert feature("x", None, None, {})["geometry"] is None
