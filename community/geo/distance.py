"""Short distances on the ground, in metres, from latitude and longitude.

Equirectangular: within a city (a few tens of kilometres) it is within a fraction of a per
cent of the great-circle distance, and it works on numbers and numpy arrays alike.
"""

from __future__ import annotations

from typing import Any

import numpy as np

EARTH_M = 6_371_000.0  # mean Earth radius


def metres(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> Any:
    """Distance between points (scalars or arrays, broadcast) in metres."""
    x = np.radians(np.subtract(lon2, lon1)) * np.cos(np.radians(np.add(lat1, lat2) / 2))
    y = np.radians(np.subtract(lat2, lat1))
    distance = EARTH_M * np.hypot(x, y)
    return float(distance) if np.ndim(distance) == 0 else distance


def degree_box(lat: float, radius_m: float) -> tuple[float, float]:
    """Half-height and half-width in degrees of a box reaching radius_m around a latitude."""
    dlat = float(np.degrees(radius_m / EARTH_M))
    return dlat, dlat / max(float(np.cos(np.radians(lat))), 0.01)
