"""Free text -> Place for a city package: the entry point the app calls to locate a concern."""

from __future__ import annotations

from community.geo.address import AddressIndex
from community.geo.citypkg import CityPackage
from community.geo.place import Place


def geocode_address(city: CityPackage, text: str) -> Place | None:
    """Locate an exact street address written somewhere in the text, or None."""
    index = AddressIndex.from_city(city)
    return index.match(index.parse(text))


# Strategies tried in order; later issues add interpolation, intersections, landmarks, areas.
STRATEGIES = (geocode_address,)


def geocode(city: CityPackage, text: str) -> Place:
    """Locate free text in the city; Place(kind='none', lat=None, lon=None) when nothing fits."""
    if not text or not text.strip():
        return Place.none()
    for strategy in STRATEGIES:
        place = strategy(city, text)
        if place is not None:
            return place
    return Place.none()
