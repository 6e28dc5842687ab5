"""Fixtures for the geo tests: the real Milwaukee city package, loaded once per module."""

from __future__ import annotations

from pathlib import Path

import pytest

from community.geo.address import AddressIndex
from community.geo.citypkg import CityPackage, load_city

MILWAUKEE = Path(__file__).resolve().parents[2] / "maps" / "milwaukee"


@pytest.fixture(scope="module")
def city() -> CityPackage:
    """The Milwaukee city package."""
    return load_city(MILWAUKEE)


@pytest.fixture(scope="module")
def index(city: CityPackage) -> AddressIndex:
    """The Milwaukee address index (cached across modules by the library)."""
    return AddressIndex.from_city(city)
