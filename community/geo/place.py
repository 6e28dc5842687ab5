"""The answer a geocoder gives: where a piece of text puts us, and how sure we are."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

PlaceKind = Literal["address", "interpolated", "block", "intersection", "landmark", "area", "none"]

# The command-line contract names five kinds of place; an interpolated address is an address.
PUBLIC_KIND = {"interpolated": "address"}


@dataclass(frozen=True)
class Place:
    """A located place: kind of match, WGS84 position (None when not found), label, confidence.

    `areas` maps an area kind (neighborhood, aldermanic_district, ward, police_district, ...)
    to its code; `in_city` says whether the point is inside the city limits (None: unknown);
    `alternatives` are the other readings, best first, for a resident to choose from.
    """

    kind: PlaceKind
    lat: float | None
    lon: float | None
    label: str
    confidence: float
    areas: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    in_city: bool | None = None
    alternatives: tuple[Place, ...] = ()

    @classmethod
    def none(cls) -> Place:
        """Return the 'nothing found' place."""
        return cls(kind="none", lat=None, lon=None, label="", confidence=0.0)

    @property
    def found(self) -> bool:
        """True when the place has a position."""
        return self.kind != "none" and self.lat is not None and self.lon is not None

    def with_alternatives(self, alternatives: tuple[Place, ...]) -> Place:
        return replace(self, alternatives=alternatives)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Place:
        """The Place a to_dict() came from (alternatives included when present)."""
        kind = "interpolated" if data.get("interpolated") else data.get("kind", "none")
        areas = {
            key: data[key]
            for key in ("neighborhood", "aldermanic_district", "ward", "police_district")
            if data.get(key)
        }
        return cls(
            kind=kind,
            lat=data.get("lat"),
            lon=data.get("lon"),
            label=data.get("label", ""),
            confidence=float(data.get("confidence", 0.0)),
            areas=areas,
            in_city=data.get("in_city"),
            alternatives=tuple(cls.from_dict(a) for a in data.get("alternatives", [])),
        )

    def to_dict(self, with_alternatives: bool = True) -> dict[str, Any]:
        """The JSON shape of `flask geocode` (a stable contract: add keys, never rename)."""
        data: dict[str, Any] = {
            "kind": PUBLIC_KIND.get(self.kind, self.kind),
            "lat": None if self.lat is None else round(self.lat, 7),
            "lon": None if self.lon is None else round(self.lon, 7),
            "confidence": round(self.confidence, 3),
            "label": self.label,
            "interpolated": self.kind == "interpolated",
            "neighborhood": self.areas.get("neighborhood"),
            "aldermanic_district": self.areas.get("aldermanic_district"),
            "ward": self.areas.get("ward"),
            "police_district": self.areas.get("police_district"),
            "in_city": self.in_city,
        }
        if with_alternatives:
            data["alternatives"] = [a.to_dict(with_alternatives=False) for a in self.alternatives]
        return data
