"""A fake Nominatim server on 127.0.0.1 for tests: real HTTP, Nominatim's JSON, failure modes.

It answers /search and /reverse from a small in-memory table in Nominatim's own output shape
(format=json with "class", jsonv2 with "category"; lat/lon/boundingbox as strings; "address"
only with addressdetails=1 on /search, by default on /reverse), records every request (path,
query parameters, User-Agent) and can be switched to fail: HTTP 500, 429, an answer slower than
any sane client timeout, or a body that is not JSON.

    with FakeNominatim() as server:
        server.url            # "http://127.0.0.1:<port>"
        server.mode = FakeNominatim.SLOW
        server.requests[-1].params["q"]
"""

from __future__ import annotations

import json
import math
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

LICENCE = "Data © OpenStreetMap contributors, ODbL 1.0. http://osm.org/copyright"
FORMATS = ("xml", "json", "jsonv2", "geojson", "geocodejson")
# Words residents abbreviate -> the words OSM spells out (enough for the table below).
_EXPAND = {
    "n": "north", "s": "south", "e": "east", "w": "west",
    "st": "street", "ave": "avenue", "av": "avenue", "dr": "drive", "blvd": "boulevard",
}  # fmt: skip


def _address(**parts: str) -> dict[str, str]:
    country = {"country": "United States", "country_code": "us"}
    return {**parts, **{k: parts.get(k, v) for k, v in country.items()}}


MKE = {
    "city": "Milwaukee",
    "county": "Milwaukee County",
    "state": "Wisconsin",
    "ISO3166-2-lvl4": "US-WI",
}

# Rows in Nominatim's jsonv2 vocabulary plus "class"; lat/lon as strings, as Nominatim sends them.
DEFAULT_PLACES: list[dict[str, Any]] = [
    {
        "place_id": 318123001,
        "osm_type": "way",
        "osm_id": 601234001,
        "lat": "39.9990110",
        "lon": "-75.1900120",
        "class": "building",
        "type": "house",
        "place_rank": 30,
        "importance": 9.99999999995449e-06,
        "addresstype": "building",
        "name": "",
        "display_name": "2847, North 35th Street, Strawberry Mansion, Philadelphia, Philadelphia County, Pennsylvania, 19132, United States",
        "address": _address(
            house_number="2847",
            road="North 35th Street",
            neighbourhood="Strawberry Mansion",
            city="Philadelphia",
            county="Philadelphia County",
            state="Pennsylvania",
            postcode="19132",
        ),
        "boundingbox": ["39.9989610", "39.9990610", "-75.1900620", "-75.1899620"],
    },
    {
        "place_id": 318123002,
        "osm_type": "way",
        "osm_id": 601234002,
        "lat": "43.0707400",
        "lon": "-87.9577160",
        "class": "building",
        "type": "house",
        "place_rank": 30,
        "importance": 9.99999999995449e-06,
        "addresstype": "building",
        "name": "",
        "display_name": "2847, North 35th Street, Sherman Park, Milwaukee, Milwaukee County, Wisconsin, 53210, United States",
        "address": _address(
            house_number="2847",
            road="North 35th Street",
            neighbourhood="Sherman Park",
            postcode="53210",
            **MKE,
        ),
        "boundingbox": ["43.0706900", "43.0707900", "-87.9577660", "-87.9576660"],
    },
    {
        "place_id": 318123003,
        "osm_type": "way",
        "osm_id": 601234003,
        "lat": "43.0760000",
        "lon": "-87.9577000",
        "class": "highway",
        "type": "secondary",
        "place_rank": 26,
        "importance": 0.0533,
        "addresstype": "road",
        "name": "North 35th Street",
        "display_name": "North 35th Street, Sherman Park, Milwaukee, Milwaukee County, Wisconsin, 53210, United States",
        "address": _address(
            road="North 35th Street", neighbourhood="Sherman Park", postcode="53210", **MKE
        ),
        "boundingbox": ["43.0520000", "43.0990000", "-87.9578000", "-87.9576000"],
    },
    {
        "place_id": 318123004,
        "osm_type": "way",
        "osm_id": 601234004,
        "lat": "43.0416270",
        "lon": "-87.9096150",
        "class": "amenity",
        "type": "townhall",
        "place_rank": 30,
        "importance": 0.2904,
        "addresstype": "amenity",
        "name": "Milwaukee City Hall",
        "display_name": "Milwaukee City Hall, 200, East Wells Street, Juneau Town, Milwaukee, Milwaukee County, Wisconsin, 53202, United States",
        "address": _address(
            amenity="Milwaukee City Hall",
            house_number="200",
            road="East Wells Street",
            neighbourhood="Juneau Town",
            postcode="53202",
            **MKE,
        ),
        "boundingbox": ["43.0413000", "43.0419000", "-87.9100000", "-87.9092000"],
    },
    {
        "place_id": 318123005,
        "osm_type": "node",
        "osm_id": 601234005,
        "lat": "43.0668000",
        "lon": "-87.9618000",
        "class": "place",
        "type": "neighbourhood",
        "place_rank": 24,
        "importance": 0.1501,
        "addresstype": "neighbourhood",
        "name": "Sherman Park",
        "display_name": "Sherman Park, Milwaukee, Milwaukee County, Wisconsin, 53210, United States",
        "address": _address(neighbourhood="Sherman Park", postcode="53210", **MKE),
        "boundingbox": ["43.0468000", "43.0868000", "-87.9818000", "-87.9418000"],
    },
    {
        "place_id": 318123006,
        "osm_type": "relation",
        "osm_id": 126818,
        "lat": "43.0349931",
        "lon": "-87.9224969",
        "class": "boundary",
        "type": "administrative",
        "place_rank": 16,
        "importance": 0.6937,
        "addresstype": "city",
        "name": "Milwaukee",
        "display_name": "Milwaukee, Milwaukee County, Wisconsin, United States",
        "address": _address(**MKE),
        "boundingbox": ["42.9207600", "43.1947700", "-88.0709700", "-87.8637600"],
    },
    {
        "place_id": 318123007,
        "osm_type": "way",
        "osm_id": 601234007,
        "lat": "45.4236000",
        "lon": "-75.7009000",
        "class": "highway",
        "type": "primary",
        "place_rank": 26,
        "importance": 0.2,
        "addresstype": "road",
        "name": "Wellington Street",
        "display_name": "Wellington Street, Centretown, Ottawa, Ontario, K1A 0A9, Canada",
        "address": _address(
            road="Wellington Street",
            suburb="Centretown",
            city="Ottawa",
            state="Ontario",
            postcode="K1A 0A9",
            country="Canada",
            country_code="ca",
        ),
        "boundingbox": ["45.4200000", "45.4270000", "-75.7100000", "-75.6950000"],
    },
]


@dataclass(frozen=True)
class RecordedRequest:
    """One request the fake received."""

    path: str
    params: dict[str, str]
    user_agent: str | None
    headers: dict[str, str] = field(repr=False)


def _tokens(text: str) -> list[str]:
    return [_EXPAND.get(t, t) for t in re.findall(r"[a-z0-9]+", text.lower())]


def _haystack(row: dict[str, Any]) -> set[str]:
    words = [row.get("display_name", ""), row.get("name", "")]
    words += [str(v) for v in row.get("address", {}).values()]
    return set(_tokens(" ".join(words)))


def _metres(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return 6_371_000.0 * math.hypot(x, math.radians(lat2 - lat1))


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        fake = self.server.fake
        url = urlsplit(self.path)
        params = {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        fake._record(
            RecordedRequest(
                path=url.path,
                params=params,
                user_agent=self.headers.get("User-Agent"),
                headers=dict(self.headers.items()),
            )
        )
        mode = fake.mode
        if mode == FakeNominatim.SLOW:
            fake._stopping.wait(fake.slow_seconds)
        if mode == FakeNominatim.ERROR_500:
            self._send(
                500, b"<html><body><h1>500 Internal Server Error</h1></body></html>", "text/html"
            )
        elif mode == FakeNominatim.RATE_LIMITED:
            self._send(429, b"Too Many Requests", "text/plain", {"Retry-After": "30"})
        elif mode == FakeNominatim.MALFORMED:
            self._send(200, b'[{"place_id": 318123002, "lat": "43.07', "application/json")
        elif mode == FakeNominatim.WRONG_SHAPE:
            self._send(
                200, b'[{"place_id": 1, "lat": "north", "lon": null}, 7]', "application/json"
            )
        elif url.path in ("/search", "/search.php"):
            self._answer(*fake.search(params))
        elif url.path in ("/reverse", "/reverse.php"):
            self._answer(*fake.reverse(params))
        else:
            self._send(404, b"Not Found", "text/plain")

    def _answer(self, status: int, body: Any) -> None:
        self._send(status, json.dumps(body).encode(), "application/json; charset=utf-8")

    def _send(
        self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Access-Control-Allow-Origin", "*")
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (its timeout): nothing left to say


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    fake: FakeNominatim

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that time out and hang up are part of the tests


class FakeNominatim:
    """The fake server; start() (or `with`) before use, stop() after."""

    OK = "ok"
    ERROR_500 = "error_500"
    RATE_LIMITED = "rate_limited"
    SLOW = "slow"
    MALFORMED = "malformed"
    WRONG_SHAPE = "wrong_shape"
    MODES = (OK, ERROR_500, RATE_LIMITED, SLOW, MALFORMED, WRONG_SHAPE)

    def __init__(
        self, places: list[dict[str, Any]] | None = None, slow_seconds: float = 5.0
    ) -> None:
        """Serve these rows (default: a few Milwaukee places and two decoys elsewhere)."""
        self.places = [dict(p) for p in (DEFAULT_PLACES if places is None else places)]
        self.slow_seconds = slow_seconds
        self.mode = self.OK
        self._requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> FakeNominatim:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fake = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes slow answers
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeNominatim:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "start() the fake first"
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- what was asked --------------------------------------------------------------------
    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def reset(self) -> None:
        """Forget recorded requests and go back to answering normally."""
        with self._lock:
            self._requests.clear()
        self.mode = self.OK

    # -- Nominatim's behaviour -------------------------------------------------------------
    @staticmethod
    def _format(params: dict[str, str]) -> str | None:
        fmt = params.get("format", "jsonv2")
        return fmt if fmt in ("json", "jsonv2") else None

    @staticmethod
    def _error(message: str) -> tuple[int, dict[str, Any]]:
        return 400, {"error": {"code": 400, "message": message}}

    def _render(self, row: dict[str, Any], fmt: str, addressdetails: bool) -> dict[str, Any]:
        out: dict[str, Any] = {
            "place_id": row["place_id"],
            "licence": LICENCE,
            "osm_type": row["osm_type"],
            "osm_id": row["osm_id"],
            "lat": row["lat"],
            "lon": row["lon"],
        }
        if fmt == "jsonv2":
            out["category"] = row["class"]
        else:
            out["class"] = row["class"]
        out.update(
            type=row["type"],
            place_rank=row["place_rank"],
            importance=row["importance"],
            addresstype=row["addresstype"],
            name=row["name"],
            display_name=row["display_name"],
        )
        if addressdetails:
            out["address"] = dict(row["address"])
        out["boundingbox"] = list(row["boundingbox"])
        return out

    def search(self, params: dict[str, str]) -> tuple[int, Any]:
        """(status, JSON) for /search."""
        fmt = self._format(params)
        if fmt is None:
            return self._error("Parameter 'format' must be one of: " + ", ".join(FORMATS))
        query = _tokens(params.get("q", ""))
        if not query:
            return self._error("Nothing to search for.")
        try:
            limit = min(max(int(params.get("limit", "10")), 1), 40)
        except ValueError:
            return self._error("Integer number expected for parameter 'limit'")
        countries = {c.strip().lower() for c in params.get("countrycodes", "").split(",") if c}
        box = None
        if params.get("viewbox") and params.get("bounded") == "1":
            x1, y1, x2, y2 = (float(v) for v in params["viewbox"].split(","))
            box = (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))
        hits = []
        for row in self.places:
            if not set(query) <= _haystack(row):
                continue
            if countries and row["address"].get("country_code") not in countries:
                continue
            lon, lat = float(row["lon"]), float(row["lat"])
            if box and not (box[0] <= lon <= box[2] and box[1] <= lat <= box[3]):
                continue
            hits.append(row)
        hits.sort(key=lambda r: -r["importance"])  # stable: table order among equals
        details = params.get("addressdetails") == "1"
        return 200, [self._render(r, fmt, details) for r in hits[:limit]]

    def reverse(self, params: dict[str, str]) -> tuple[int, Any]:
        """(status, JSON) for /reverse: the nearest street-level row within 300 m."""
        fmt = self._format(params)
        if fmt is None:
            return self._error("Parameter 'format' must be one of: " + ", ".join(FORMATS))
        try:
            lat, lon = float(params["lat"]), float(params["lon"])
        except (KeyError, ValueError):
            return self._error("Need coordinates or OSM object to lookup.")
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            return self._error("Invalid coordinates.")
        candidates = [
            (_metres(lon, lat, float(r["lon"]), float(r["lat"])), i, r)
            for i, r in enumerate(self.places)
            if r["place_rank"] >= 26
        ]
        candidates = [c for c in candidates if c[0] <= 300]
        if not candidates:
            return 200, {"error": "Unable to geocode"}
        _, _, row = min(candidates)
        return 200, self._render(row, fmt, params.get("addressdetails", "1") != "0")
