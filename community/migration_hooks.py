"""Alembic settings shared by every revision: portable types, PostGIS's own tables ignored."""

from __future__ import annotations

from typing import Any

from community.models.base import UTCDateTime

# Tables that PostGIS (and its optional extensions) own; they are not part of our schema.
POSTGIS_TABLES = frozenset(
    {
        "spatial_ref_sys",
        "geometry_columns",
        "geography_columns",
        "raster_columns",
        "raster_overviews",
        "topology",
        "layer",
    }
)


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Leave PostGIS's tables alone when comparing models with the database."""
    return not (type_ == "table" and name in POSTGIS_TABLES)


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Write UTCDateTime as a plain timezone-aware DateTime so revisions import nothing of ours."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


MIGRATE_OPTIONS = {
    "render_as_batch": True,  # SQLite alters tables by copying them
    "compare_type": True,
    "include_object": include_object,
    "render_item": render_item,
}
