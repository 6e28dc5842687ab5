"""The map's heat layer: Gi* z-scores per grid cell of located concerns, as GeoJSON."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np
import sqlalchemy as sa
from flask import current_app

from community.extensions import db
from community.geo.citypkg import to_lonlat, to_metres
from community.geo.hotstats import gi_star_grid
from community.models import Concern, GeocodeStatus
from community.places.city import current_city
from community.workflow.states import CONCERN_MAPPED


def heat_geojson(
    since: datetime, until: datetime | None = None, category_ids: list[int] | None = None
) -> dict[str, Any]:
    """Cells with concerns or a significant z-score, each with count, z, p and significance."""
    query = sa.select(Concern.lon, Concern.lat).where(
        Concern.geocode_status == GeocodeStatus.LOCATED,
        Concern.status.in_(CONCERN_MAPPED),
        Concern.reported_at >= since,
    )
    if until is not None:
        query = query.where(Concern.reported_at < until)
    if category_ids:
        query = query.where(Concern.category_id.in_(category_ids))
    result = db.session.connection().execute(query)
    points = np.array(result.cursor.fetchall(), dtype=float).reshape(-1, 2)  # plain numbers
    result.close()
    if len(points) == 0:
        return {"type": "FeatureCollection", "features": [], "properties": {"cells": 0}}
    city = current_city()
    lon, lat = points.T
    x, y = to_metres(city, lon, lat)
    grid = gi_star_grid(x, y, cell_m=current_app.config["HEAT_CELL_M"])
    shown = np.flatnonzero((grid.counts > 0) | grid.significant)
    features = [_cell(grid, int(i), city) for i in shown]
    return {
        "type": "FeatureCollection",
        "features": features,
        "properties": {
            "cells": int(grid.ncols * grid.nrows),
            "cell_m": grid.cell_m,
            "fdr_threshold": grid.fdr_threshold,
        },
    }


def _cell(grid, index: int, city) -> dict[str, Any]:
    xmin, ymin, xmax, ymax = grid.cell_bounds(index)
    lons, lats = to_lonlat(
        city, np.array([xmin, xmax, xmax, xmin]), np.array([ymin, ymin, ymax, ymax])
    )
    ring = [[round(float(a), 6), round(float(b), 6)] for a, b in zip(lons, lats, strict=True)]
    return {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
        "properties": {
            "count": int(grid.counts[index]),
            "z": round(float(grid.z[index]), 2),
            "p": float(f"{grid.p[index]:.3g}"),
            "significant": bool(grid.significant[index]),
        },
    }
