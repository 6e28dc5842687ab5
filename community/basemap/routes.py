"""/basemap: the list of base layers and each layer's GeoJSON (ETag, long cache, gzip)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, jsonify, request, url_for
from flask_babel import lazy_gettext as _l

from community.basemap.layers import layer_data, layer_infos
from community.extensions import limiter
from community.places.city import current_city

bp = Blueprint("basemap", __name__, url_prefix="/basemap")

MAX_AGE = 24 * 3600  # boundaries change once in years; the ETag catches a new package

TITLES = {
    "city": _l("City limits"),
    "neighborhood": _l("Neighborhoods"),
    "aldermanic_district": _l("Aldermanic districts"),
    "ward": _l("Voting wards"),
    "police_district": _l("Police districts"),
    "business_district": _l("Business improvement districts"),
    "roads": _l("Main roads"),
}
SHOWN_FIRST = {"city", "roads"}  # drawn when a map opens; the areas are switched on by choice


@bp.route("/layers.json")
def layers():
    """What a map needs to draw the city: layers, centre, attribution, optional tiles."""
    city = current_city()
    tile_url = current_app.config.get("TILE_URL")
    return jsonify(
        city=city.name,
        center=list(city.center),
        attribution=city.attribution,
        tiles={"url": tile_url, "attribution": current_app.config.get("TILE_ATTRIBUTION", "")}
        if tile_url
        else None,
        layers=[
            {
                "id": info.id,
                "title": str(TITLES.get(info.id, info.id.replace("_", " ").title())),
                "base": info.base,
                "shown": info.id in SHOWN_FIRST,
                "url": url_for("basemap.layer", layer_id=info.id),
            }
            for info in layer_infos(city)
        ],
    )


@bp.route("/<layer_id>.geojson")
@limiter.exempt
def layer(layer_id: str):
    """One layer's GeoJSON; 304 when the browser's copy is current."""
    data = layer_data(current_city(), layer_id)
    if data is None:
        abort(404)
    if data.etag in request.if_none_match:
        response = Response(status=304)
    elif "gzip" in (request.headers.get("Accept-Encoding") or ""):
        response = Response(data.gzipped, mimetype="application/geo+json")
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = Response(data.body, mimetype="application/geo+json")
    response.set_etag(data.etag)
    response.headers["Vary"] = "Accept-Encoding"
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    return response
