"""The app's settings for what makes a problem place, as the pure rule geo/ applies."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from community.geo.problem_places import PlaceRule


def place_rule(config: Mapping[str, Any]) -> PlaceRule:
    """The PlaceRule of the CLUSTER_* settings (config.py); ValueError when they make none."""
    return PlaceRule(
        radius_m=float(config["CLUSTER_RADIUS_M"]),
        min_reports=int(config["CLUSTER_MIN_REPORTS"]),
        significance=float(config["CLUSTER_SIGNIFICANCE"]),
        background_m=float(config["CLUSTER_BACKGROUND_M"]),
    )
