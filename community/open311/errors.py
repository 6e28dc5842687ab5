"""GeoReport v2 errors: a list of {code, description}, in JSON or XML, with the HTTP status."""

from __future__ import annotations

from flask import Response

from community.open311.formats import respond


class Open311Error(Exception):
    """A request the API refuses; `status` is the HTTP status and the error's code."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def error_response(status: int, description: str, fmt: str = "json") -> Response:
    """The specification's error document: [{"code": 400, "description": "..."}]."""
    return respond([{"code": status, "description": description}], fmt, "errors", status)
