"""The answer a geocoder gives: where a piece of text puts us, and how sure we are."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

PlaceKind = Literal["address", "interpolated", "block", "intersection", "landmark", "area", "none"]


@dataclass(frozen=True)
class Place:
    """A located place: kind of match, WGS84 position (None when not found), label, confidence."""

    kind: PlaceKind
    lat: float | None
    lon: float | None
    label: str
    confidence: float

    @classmethod
    def none(cls) -> Place:
        """Return the 'nothing found' place."""
        return cls(kind="none", lat=None, lon=None, label="", confidence=0.0)

    @property
    def found(self) -> bool:
        """True when the place has a position."""
        return self.kind != "none" and self.lat is not None and self.lon is not None
