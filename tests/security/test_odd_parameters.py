"""Every GET route, with odd query parameters and path values, answers without a 500.

The parameter names are read from the source (every `args.get("...")` and friends) plus the
names passed to parsing helpers, so a new parameter is swept as soon as a view reads it.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing.converters import AnyConverter, IntegerConverter

from tests.conftest import sign_in
from tests.security.conftest import LOGINS, get_rules

ROOT = Path(__file__).resolve().parents[2]
READS = re.compile(r"""(?:args|form|values)\s*(?:\.get|\.getlist|\[)\(?\s*["'](\w+)["']""")
# Names handed to helpers as arguments (Open311's page, start_date ...), not read in place.
HELPER_NAMES = {
    "page",
    "page_size",
    "start_date",
    "end_date",
    "service_request_id",
    "service_code",
    "status",
    "lang",
    "bbox",
    "zoom",
    "layers",
    "color",
    "days",
    "since",
    "until",
    "start",
    "end",
    "area",
    "category",
    "agency",
    "priority",
    "concerns_page",
    "history_page",
    "q",
    "lat",
    "lon",
    "long",
    "text",
    "next",
    "case",
    "kind",
    "language",
    "address_string",
}
ODD_VALUES = [
    "",
    " ",
    "²",
    "٣",
    "１２",
    "-1",
    "0",
    "00",
    "1e309",
    "nan",
    "inf",
    "-inf",
    "9" * 30,
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    "1900-01-01",
    "2999-12-31",
    "10000-01-01",
    "9999-12-31T23:59:59-14:00",
    "0001-01-01T00:00:00+14:00",
    "2026-13-01T25:61:00Z",
    "\x00",
    "%",
    "%00",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "1,2,3,4",
    "-180,-90,180,90",
    "180,90,-180,-90",
    "nan,nan,nan,nan",
    "1,2",
    ",,,",
    "true",
    "[]",
    "{}",
    "a" * 3000,
    "heat,repeats,concerns",
    "active,bogus",
    "all",
    "concerns",
    "hotspots",
    "es",
    "en",
    "fr",
    "\u202e",
    "😀",
]
ODD_INTS = [0, 1, 2, 2**31, 2**63 - 1, 2**63, 10**30]


def parameter_names() -> list[str]:
    """Every query or form parameter name the views read."""
    found = set(HELPER_NAMES)
    for path in (ROOT / "community").rglob("*.py"):
        found |= set(READS.findall(path.read_text(encoding="utf-8")))
    return sorted(found)


NAMES = parameter_names()
values = st.one_of(st.sampled_from(ODD_VALUES), st.text(max_size=20))
queries = st.lists(st.tuples(st.sampled_from(NAMES), values), min_size=1, max_size=4)


def _path(rule, draw_value, draw_int) -> str:
    arguments = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, AnyConverter):
            arguments[name] = sorted(converter.items)[0]
        elif isinstance(converter, IntegerConverter):
            arguments[name] = draw_int
        else:
            arguments[name] = draw_value or "x"
    path = rule.build(arguments, append_unknown=False)[1]
    return path


def _sweep(app: Flask, client, role: str) -> None:
    rules = list(get_rules(app))

    @settings(
        max_examples=120,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        derandomize=True,
        database=None,
    )
    @given(
        rule=st.sampled_from(rules),
        query=queries,
        path_value=st.sampled_from(ODD_VALUES[1:]),
        path_int=st.sampled_from(ODD_INTS),
    )
    def check(rule, query, path_value, path_int) -> None:
        url = _path(rule, quote(path_value, safe=""), path_int) + "?" + urlencode(query)
        response = client.get(url)
        assert response.status_code < 500, (role, url, response.status_code)

    check()


@pytest.mark.parametrize("role", [None, "admin", "agency_staff"])
def test_no_get_route_answers_500_to_odd_parameters(app: Flask, world, role) -> None:
    client = app.test_client()
    if role:
        sign_in(client, *LOGINS[role])
    _sweep(app, client, role or "anonymous")


def test_every_route_with_every_parameter_at_once(app: Flask, world) -> None:
    """Each odd value in every parameter of every route, for a signed-in admin."""
    client = app.test_client()
    sign_in(client, *LOGINS["admin"])
    for rule in get_rules(app):
        for value in ODD_VALUES:
            query = urlencode([(name, value) for name in NAMES])
            url = _path(rule, quote(value or "x", safe=""), 1) + "?" + query
            assert client.get(url).status_code < 500, url
