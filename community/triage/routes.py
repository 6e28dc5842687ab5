"""/staff/triage: the prosecutor's map beside the ranked hotspots, its data, and the queue of
concerns to place by hand. Views check roles and parse filters; the queries live in service.
"""

from __future__ import annotations

import gzip
import json
from typing import Any
from urllib.parse import urlencode

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from community.auth.session import roles_required
from community.extensions import db
from community.models import Agency, Area, Category, Hotspot, HotspotStatus, Role
from community.triage import placing, service
from community.triage.filters import FilterError, parse_bbox, parse_filters, parse_zoom
from community.workflow import permissions as may

bp = Blueprint("triage", __name__)

# The map shows every hotspot: for those who triage, and read-only for viewers. Agency staff
# see only their own agency's hotspots, on the work queue and each hotspot's page.
MAP_ROLES = (Role.ADMIN, Role.PROSECUTOR, Role.VIEWER)
PLACERS = (Role.ADMIN, Role.PROSECUTOR)
GZIP_FROM = 1024  # bytes; smaller answers are not worth compressing


@bp.errorhandler(FilterError)
def bad_filter(error: FilterError) -> Response:
    if request.endpoint == "triage.index":
        return make_response(_page(None, str(error)), 400)
    return _json({"error": str(error)}, 400)


@bp.route("/")
@roles_required(*MAP_ROLES)
def index():
    return _page(parse_filters(request.args))


def _page(filters, error: str | None = None) -> str:
    areas = db.session.scalars(
        db.select(Area)
        .where(Area.kind.in_([str(k) for k in service.AREA_KINDS]))
        .order_by(Area.kind, Area.name)
    ).all()
    return render_template(
        "triage/index.html",
        filters=filters,
        error=error,
        query=urlencode(filters.query()) if filters else "",
        ranked=service.ranked_hotspots(filters) if filters else [],
        categories=db.session.scalars(
            db.select(Category).filter_by(active=True).order_by(Category.name_en)
        ).all(),
        statuses=list(HotspotStatus),
        agencies=db.session.scalars(
            db.select(Agency).filter_by(active=True).order_by(Agency.name)
        ).all(),
        areas=areas,
        area_kinds=service.AREA_KINDS,
        args=request.args,
    )


@bp.route("/hotspots.geojson")
@roles_required(*MAP_ROLES)
def hotspots_data():
    filters = parse_filters(request.args)
    zoom = parse_zoom(request.args) if request.args.get("zoom") else None
    return _json(service.hotspot_features(filters, parse_bbox(request.args), zoom))


@bp.route("/concerns.geojson")
@roles_required(*MAP_ROLES)
def concerns_data():
    filters = parse_filters(request.args)
    bbox, zoom = parse_bbox(request.args), parse_zoom(request.args)
    return _json(service.concern_layer(filters, bbox, zoom))


@bp.route("/heat.geojson")
@roles_required(*MAP_ROLES)
def heat_data():
    return _json(service.heat_layer(parse_filters(request.args)))


@bp.route("/repeats.geojson")
@roles_required(*MAP_ROLES)
def repeats_data():
    filters = parse_filters(request.args)
    return _json(service.repeat_features(filters, parse_bbox(request.args)))


@bp.route("/hotspots/<int:hotspot_id>/map.json")
@roles_required(*Role)
def hotspot_map(hotspot_id: int):
    """The small map on a hotspot's page: its outline and its concerns."""
    hotspot = db.session.get(Hotspot, hotspot_id)
    if hotspot is None:
        abort(404)
    if not may.can_view(current_user, hotspot):
        abort(403)
    return _json(service.hotspot_map(hotspot))


@bp.route("/map.html")
@roles_required(*MAP_ROLES)
def download_map():
    """The map of the page's filters as one HTML file that opens with no network or login."""
    from community.reports.areamap import download, filtered_map
    from community.reports.i18n import current_language

    filters = parse_filters(request.args)
    heat = "heat" in request.args.get("layers", "").split(",")
    return download(filtered_map(filters, current_language(), heat=heat))


@bp.route("/locate")
@roles_required(*PLACERS)
def locate_queue():
    return _queue_page()


def _queue_page(error: str | None = None, failed_id: int | None = None, code: int = 200):
    waiting, total = placing.location_queue()
    page = render_template(
        "triage/locate.html",
        waiting=waiting,
        total=total,
        error=error,
        failed_id=failed_id,
        form=request.form if error else {},
    )
    return make_response(page, code)


@bp.route("/locate/<int:concern_id>", methods=["POST"])
@roles_required(*PLACERS)
def place_concern(concern_id: int):
    """Place a concern where staff clicked on the map."""
    try:
        lat, lon = placing.parse_point(request.form.get("lat", ""), request.form.get("lon", ""))
        concern = placing.place_by_hand(concern_id, lat, lon, current_user)
    except placing.PlacingError as error:
        db.session.rollback()
        return _queue_page(str(error), concern_id, error.status)
    flash(f"Concern {concern.case_number} placed at {concern.location_label}.")
    return redirect(url_for("triage.locate_queue"))


def _json(data: Any, status: int = 200) -> Response:
    """Compact JSON, gzipped when the browser accepts it and it is worth it; never cached."""
    body = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
    response = Response(mimetype="application/json", status=status)
    if len(body) >= GZIP_FROM and "gzip" in (request.headers.get("Accept-Encoding") or ""):
        body = gzip.compress(body, 5)
        response.headers["Content-Encoding"] = "gzip"
    response.set_data(body)
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.cache_control.private = True
    response.cache_control.no_store = True
    return response
