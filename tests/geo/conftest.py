"""Fixtures for the geo tests: the real Milwaukee city package, loaded once per module."""

from __future__ import annotations

from pathlib import Path

import pytest

from community.geo.citypkg import CityPackage, load_city

MILWAUKEE = Path(__file__).resolve().parents[2] / "maps" / "milwaukee"


@pytest.fixture(scope="module")
def city() -> CityPackage:
    """The Milwaukee city package."""
    return load_city(MILWAUKEE)
