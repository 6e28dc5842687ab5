"""Export pages and downloads: staff exports at /exports/, anonymised public ones at /exports/public/."""

from __future__ import annotations

from collections.abc import Iterator

from flask import Blueprint, Response, abort, render_template, request, stream_with_context
from flask_login import current_user

from community.auth.session import roles_required
from community.exports import service
from community.exports.filters import (
    CONCERN_GROUPS,
    ExportFilter,
    ExportFilterError,
    parse_filter,
)
from community.exports.streams import csv_chunks, geojson_chunks
from community.extensions import db, limiter
from community.models import Area, AreaKind, Category, Role, utcnow

bp = Blueprint("exports", __name__)

STAFF = (Role.ADMIN, Role.PROSECUTOR, Role.AGENCY_STAFF, Role.VIEWER)
KINDS = "<any(concerns,hotspots):kind>"
FORMATS = "<any(csv,geojson):fmt>"
MIMETYPES = {"csv": "text/csv; charset=utf-8", "geojson": "application/geo+json; charset=utf-8"}


def _filter(kind: str) -> ExportFilter:
    try:
        return parse_filter(request.args, kind)
    except ExportFilterError as error:
        abort(400, description=str(error))


def _download(kind: str, fmt: str, flt: ExportFilter, public: bool) -> Response:
    rows = service.records(kind, flt, public)
    chunks: Iterator[str]
    if fmt == "csv":
        chunks = csv_chunks(service.columns(kind, public), service.as_tuples(kind, rows, public))
    else:
        chunks = geojson_chunks(service.as_features(kind, rows, public))
    prefix = "public-" if public else ""
    name = f"{prefix}{kind}-{utcnow():%Y-%m-%d}.{fmt}"
    return Response(
        stream_with_context(chunks),
        content_type=MIMETYPES[fmt],
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store" if not public else "public, max-age=300",
            "X-Content-Type-Options": "nosniff",
        },
    )


def _choices() -> dict:
    areas = db.session.execute(
        db.select(Area.id, Area.kind, Area.name)
        .where(
            Area.kind.in_(
                [AreaKind.NEIGHBORHOOD, AreaKind.POLICE_DISTRICT, AreaKind.ALDERMANIC_DISTRICT]
            )
        )
        .order_by(Area.kind, Area.name)
    ).all()
    categories = db.session.scalars(db.select(Category).order_by(Category.name_en)).all()
    return {"areas": areas, "categories": categories, "groups": list(CONCERN_GROUPS)}


@bp.route("/")
@roles_required(*STAFF)
def index():
    return render_template("exports/index.html", public=False, args=request.args, **_choices())


@bp.route(f"/{KINDS}.{FORMATS}")
@roles_required(*STAFF)
def download(kind: str, fmt: str):
    flt = _filter(kind)
    if current_user.role == Role.AGENCY_STAFF:  # their own agency's hotspots only
        flt = ExportFilter(**{**flt.__dict__, "agency_id": current_user.agency_id or -1})
    return _download(kind, fmt, flt, public=False)


@bp.route("/public/")
def public_index():
    return render_template("exports/index.html", public=True, args=request.args, **_choices())


@bp.route(f"/public/{KINDS}.{FORMATS}")
@limiter.limit("60 per hour")
def public_download(kind: str, fmt: str):
    return _download(kind, fmt, _filter(kind), public=True)
