"""The app's city package and its per-process caches (loaded on first use, never at import)."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from flask import current_app

if TYPE_CHECKING:  # geo pulls in pandas and pyproj: load them on first use, not with every page
    from community.geo.areas import AreaLocator
    from community.geo.citypkg import CityPackage


def current_city() -> CityPackage:
    """The city package named by CITY_PACKAGE."""
    from community.geo.citypkg import load_city

    return load_city(current_app.config["CITY_PACKAGE"])


@functools.lru_cache(maxsize=4)
def _locator_for(path: str) -> AreaLocator:
    from community.geo.areas import AreaLocator
    from community.geo.citypkg import iter_areas, load_city

    return AreaLocator(iter_areas(load_city(path)))


def area_locator() -> AreaLocator:
    """Point-in-polygon lookup over every area layer of the current city."""
    return _locator_for(current_app.config["CITY_PACKAGE"])


def warm_caches() -> None:
    """Load the address index and area shapes now (a worker does this before forking)."""
    from community.geo.address import AddressIndex

    AddressIndex.from_city(current_city())
    area_locator()
