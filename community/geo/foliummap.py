"""A map as a document: one self-contained HTML file drawn with folium, that needs no network.

Pure building. What the map shows arrives already chosen, made public and worded in the
reader's language (community.reports.areamap does that); Leaflet's JS and CSS arrive as text
and are inlined. folium's default links to CDNs (Leaflet, jQuery, Bootstrap, Font Awesome) are
switched off, and a Content-Security-Policy in the file itself forbids every request but the
tile server's, when there is one: the file works from a USB stick on a meeting-room laptop.

Markers and popups are drawn by small templates of our own from JSON data, with text put in
as text (never parsed as HTML): folium's own Popup needs jQuery, and a folium Marker writes a
block of script per marker, where a city has a thousand hotspots.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import folium
import jinja2
import shapely
from branca.element import Element, Figure, MacroElement
from folium.map import Layer
from folium.template import Template
from markupsafe import Markup, escape

from community.geo.mapdoc import (
    PRIORITY_CLASSES,
    RIM,
    LeafletAssets,
    MapSpec,
    MapWords,
    Mark,
    Overlay,
    content_security_policy,
    mark_size,
    priority_class,
)

CONCERN_MARK_PX = 18
BADGE_Z = 1_000_000  # above every hotspot
MAX_ZOOM = 18  # places are published at block precision: closer than a street says nothing
MIN_ZOOM = 10
HEAT_HOT, HEAT_COLD = "#d7301f", "#2b8cbe"
FAR_ZOOM, MID_ZOOM = 12, 14  # at or below: hotspots as dots; as smaller numbered circles
PAGE_PADDING = 0.04  # share of the frame left around what the map opens on


def build_map_html(spec: MapSpec, assets: LeafletAssets) -> str:
    """The whole document: one HTML string with Leaflet, styles, data and words inside."""
    words = spec.words
    west, south, east, north = spec.frame
    document = _Document(
        language=words.language,
        title=words.title,
        csp=content_security_policy(spec.tiles),
        heading=_fragment("heading", words=words),
        listing=_fragment("listing", words=words, marks=spec.hotspots),
        legend=_fragment("legend", words=words, spec=spec),
        body_data=spec.extra,
    )
    document.header.add_child(_Inline("style", assets.css), name="leaflet_css")
    document.header.add_child(_Inline("script", assets.js), name="leaflet_js")
    document.header.add_child(_Inline("style", _page_css()), name="page_css")

    fmap = _DocumentMap(
        location=[(south + north) / 2, (west + east) / 2],
        tiles=None,
        zoom_start=13,
        # On the map itself (folium would give them to a tile layer): with no tiles Leaflet has
        # no zoom range otherwise.
        minZoom=MIN_ZOOM,
        maxZoom=MAX_ZOOM,
        control_scale=True,
        words=words,
    )
    fmap.add_to(document)
    if spec.tiles is not None:
        folium.TileLayer(
            tiles=spec.tiles.url,
            attr=str(escape(spec.tiles.attribution)),
            max_zoom=MAX_ZOOM,
            control=False,
        ).add_to(fmap)
    for overlay in spec.overlays:
        _geojson(overlay).add_to(fmap)
    if spec.areas:
        _area_layers(spec.areas, spec.frame, words.area_layer).add_to(fmap)
    if spec.heat is not None:
        _heat_layer(spec.heat, words.heat_layer).add_to(fmap)
    if spec.concerns:
        _Marks(spec.concerns, words.concerns_layer, "concern").add_to(fmap)
    _Marks(spec.hotspots, words.hotspots_layer, "hotspot").add_to(fmap)
    folium.LayerControl(position="topright", collapsed=False).add_to(fmap)
    _Legend().add_to(fmap)
    _ZoomClasses().add_to(fmap)
    if spec.attribution:
        _Attribution(spec.attribution).add_to(fmap)
    pad_x, pad_y = (east - west) * PAGE_PADDING, (north - south) * PAGE_PADDING
    folium.FitBounds([[south - pad_y, west - pad_x], [north + pad_y, east + pad_x]]).add_to(fmap)
    return document.render()


class _Inline(Element):
    """Text inside a <script> or <style> element, as it is (never read as a template)."""

    def __init__(self, tag: str, text: str) -> None:
        super().__init__()
        if f"</{tag}" in text.lower():
            raise ValueError(f"the text to inline contains </{tag}: it would end the element")
        self.text = f"<{tag}>\n{text}\n</{tag}>"

    def render(self, **kwargs: Any) -> str:
        return self.text


def _geojson(overlay: Overlay) -> folium.GeoJson:
    style = dict(overlay.style)
    interactive = overlay.tooltip is not None
    tooltip = (
        folium.GeoJsonTooltip(fields=[overlay.tooltip], labels=False, sticky=True)
        if overlay.tooltip
        else None
    )
    return folium.GeoJson(
        overlay.geojson,
        name=str(escape(overlay.title)),
        style_function=lambda _feature: style,
        show=overlay.shown,
        control=overlay.in_control,
        tooltip=tooltip,
        interactive=interactive,
    )


def _area_layers(
    areas: Sequence[dict[str, Any]], frame: Sequence[float], title: str
) -> folium.FeatureGroup:
    """The area's outline, and the land around it greyed (as the printed map does)."""
    shape = shapely.union_all([shapely.geometry.shape(area) for area in areas])
    area = shapely.geometry.mapping(shape)
    west, south, east, north = frame
    width, height = east - west, north - south
    around = shapely.box(west - width, south - height, east + width, north + height)
    group = folium.FeatureGroup(name=str(escape(title)), show=True)
    mask = shapely.geometry.mapping(around.difference(shape))
    greyed = {"stroke": False, "fillColor": "#6b6b6b", "fillOpacity": 0.35}
    outline = {"color": "#000000", "weight": 3, "fill": False}
    folium.GeoJson(mask, style_function=lambda _f: greyed, interactive=False, control=False).add_to(
        group
    )
    folium.GeoJson(
        area, style_function=lambda _f: outline, interactive=False, control=False
    ).add_to(group)
    return group


def _heat_layer(heat: dict[str, Any], title: str) -> folium.GeoJson:
    """Gi* cells: red where concerns cluster more than chance allows, blue where fewer."""

    def style(feature: dict[str, Any]) -> dict[str, Any]:
        props = feature["properties"]
        z = props.get("z") or 0.0
        strength = min(0.7, 0.25 + abs(z) / 10) if props.get("significant") else 0.06
        strength = round(strength, 2)
        return {
            "stroke": False,
            "fillColor": HEAT_HOT if z > 0 else HEAT_COLD,
            "fillOpacity": strength,
        }

    return folium.GeoJson(
        heat, name=str(escape(title)), style_function=style, show=True, interactive=False
    )


class _Document(Figure):
    """folium's Figure with a language, a title, a CSP, a heading and a list under the map."""

    _template = Template(
        "<!DOCTYPE html>\n"
        '<html lang="{{ this.language }}">\n<head>\n'
        '<meta http-equiv="Content-Security-Policy" content="{{ this.csp }}">\n'
        "{{ this.header.render(**kwargs) }}\n"
        "<title>{{ this.title }}</title>\n</head>\n"
        "<body{{ this.body_attributes }}>\n{{ this.heading }}\n"
        '<main class="doc-map">\n{{ this.html.render(**kwargs) }}\n</main>\n'
        "{{ this.legend }}\n{{ this.listing }}\n"
        "<script>\n{{ this.script.render(**kwargs) }}\n</script>\n</body>\n</html>\n"
    )

    def __init__(
        self,
        *,
        language: str,
        title: str,
        csp: str,
        heading: str,
        listing: str,
        legend: str,
        body_data: dict[str, str],
    ) -> None:
        super().__init__(title=title)
        self.language = escape(language)
        self.title = escape(title)
        # Our own words, not escaped as a whole (quotes stay readable); only what ends the
        # attribute or starts markup is.
        self.csp = csp.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
        self.heading = heading
        self.listing = listing
        self.legend = legend
        self.body_attributes = Markup("").join(
            Markup(' data-{}="{}"').format(name, value) for name, value in body_data.items()
        )


class _DocumentMap(folium.Map):
    """folium.Map without the viewport that forbids zooming (WCAG 1.4.4), with a label."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
            <meta name="viewport" content="width=device-width, initial-scale=1.0">
            <style>
                #{{ this.get_name() }} {
                    position: relative; width: 100%; height: 100%; left: 0; top: 0;
                }
                .leaflet-container { font-size: {{ this.font_size }}; }
            </style>
        {% endmacro %}

        {% macro html(this, kwargs) %}
            <div class="folium-map" id={{ this.get_name()|tojson }}
                role="region" aria-label="{{ this.map_label }}"></div>
        {% endmacro %}

        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.map(
                {{ this.get_name()|tojson }},
                {
                    center: {{ this.location|tojson }},
                    crs: L.CRS.{{ this.crs }},
                    ...{{ this.options|tojavascript }}
                }
            );
            L.control.zoom({
                zoomInTitle: {{ this.words.zoom_in|tojson }},
                zoomOutTitle: {{ this.words.zoom_out|tojson }}
            }).addTo({{ this.get_name() }});
            {{ this.get_name() }}.on("popupopen", function (event) {
                var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
                if (close) { close.setAttribute("aria-label", {{ this.words.close|tojson }}); }
            });
            {%- if this.control_scale %}
            L.control.scale().addTo({{ this.get_name() }});
            {%- endif %}
        {% endmacro %}
        """
    )
    # folium links Leaflet, jQuery, Bootstrap and Font Awesome from CDNs: none of them here.
    default_js: list[tuple[str, str]] = []
    default_css: list[tuple[str, str]] = []

    def __init__(self, *, words: MapWords, **kwargs: Any) -> None:
        super().__init__(zoom_control=False, **kwargs)  # ours, with titles in the language
        self.map_label = escape(words.map_label)
        self.words = words


class _Marks(Layer):
    """Places as Leaflet markers with a number inside, a popup of facts, keyboard reachable."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.featureGroup();
        (function (group, marks, kind) {
          function text(tag, value, cls) {
            var node = document.createElement(tag);
            if (cls) { node.className = cls; }
            node.textContent = value;
            return node;
          }
          marks.forEach(function (m) {
            var face = text("span", m.text);
            face.style.width = face.style.height = face.style.lineHeight = m.size + "px";
            if (m.fill) {
              face.style.background = m.done ? "#ffffff" : m.fill;
              face.style.color = m.done ? "#000000" : m.ink;
              face.style.borderColor = m.done ? m.fill : {{ this.rim|tojson }};
            }
            var icon = L.divIcon({
              className: "map-mark " + kind + "-mark" + (m.done ? " done-mark" : ""),
              html: face, iconSize: [m.size, m.size], iconAnchor: m.anchor
            });
            var marker = L.marker([m.lat, m.lon], {
              icon: icon, title: m.label, keyboard: true, riseOnHover: true, zIndexOffset: m.z
            });
            marker.on("add", function () {
              var el = marker.getElement();
              el.setAttribute("aria-label", m.label);
              el.setAttribute("data-kind", kind);
            });
            marker.bindPopup(function () {
              var box = document.createElement("div");
              box.className = "mark-popup";
              box.appendChild(text("p", m.title, "mark-title"));
              var list = document.createElement("dl");
              m.facts.forEach(function (pair) {
                list.appendChild(text("dt", pair[0]));
                list.appendChild(text("dd", pair[1]));
              });
              box.appendChild(list);
              return box;
            }, { maxWidth: 320 });
            group.addLayer(marker);
          });
        })({{ this.get_name() }}, {{ this.marks|tojson }}, {{ this.kind|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, marks: Sequence[Mark], name: str, kind: str) -> None:
        super().__init__(name=str(escape(name)), overlay=True, control=True, show=True)
        self._name = "Marks"
        self.kind = kind
        # The first (highest priority) on top where marks overlap; a block's count of concerns
        # is a badge at the upper right of its point, above the hotspot that is often there.
        self.marks = []
        for index, mark in enumerate(marks):
            data = _mark_data(mark)
            size = data["size"]
            badge = mark.priority is None
            data["anchor"] = [-2, size + 2] if badge else [size / 2, size / 2]
            data["z"] = BADGE_Z if badge else 10 * (len(marks) - index)
            self.marks.append(data)
        self.rim = RIM


def _mark_data(mark: Mark) -> dict[str, Any]:
    data: dict[str, Any] = {
        "lat": mark.lat,
        "lon": mark.lon,
        "text": mark.text,
        "title": mark.title,
        "label": f"{mark.text}: {mark.title}",
        "facts": [list(pair) for pair in mark.facts],
        "size": CONCERN_MARK_PX,
    }
    if mark.priority is not None:
        _threshold, fill, ink = PRIORITY_CLASSES[priority_class(mark.priority)]
        data.update(size=mark_size(mark.priority), fill=fill, ink=ink, done=mark.done)
    return data


class _Legend(MacroElement):
    """The legend (written in the page, under the map) moved into the map's corner."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
          var box = document.getElementById("map-legend");
          if (!box) { return; }
          var legend = L.control({ position: "bottomright" });
          legend.onAdd = function () {
            L.DomEvent.disableClickPropagation(box);
            L.DomEvent.disableScrollPropagation(box);
            return box;
          };
          legend.addTo(map);
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "Legend"


class _ZoomClasses(MacroElement):
    """A class on the map for how far out it is: far out, hotspots shrink to dots (a city's
    thousand numbered circles would hide the city); close in, they show their numbers."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
          function mark() {
            var zoom = map.getZoom(), box = map.getContainer();
            box.classList.toggle("zoom-far", zoom <= {{ this.far }});
            box.classList.toggle("zoom-mid", zoom > {{ this.far }} && zoom <= {{ this.mid }});
          }
          map.on("zoomend", mark);
          mark();
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, far: int = FAR_ZOOM, mid: int = MID_ZOOM) -> None:
        super().__init__()
        self._name = "ZoomClasses"
        self.far, self.mid = far, mid


class _Attribution(MacroElement):
    """The city's data attribution in the map's corner (escaped: Leaflet reads it as HTML)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.text|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "Attribution"
        self.text = str(escape(text))


def _fragment(name: str, **context: Any) -> str:
    fills = [fill for _threshold, fill, _ink in PRIORITY_CLASSES]
    return _fragments().get_template(name).render(fills=fills, rim=RIM, **context)


@lru_cache(maxsize=1)
def _fragments() -> jinja2.Environment:
    """The HTML around the map, autoescaped: every word in it is text."""
    return jinja2.Environment(
        loader=jinja2.DictLoader(_FRAGMENTS), autoescape=True, undefined=jinja2.StrictUndefined
    )


_FRAGMENTS = {
    "heading": """<header class="doc-head">
<h1>{{ words.title }}</h1>
{% for line in words.lines %}<p>{{ line }}</p>{% endfor %}
{% if words.empty %}<p class="doc-empty" role="status">{{ words.empty }}</p>{% endif %}
</header>""",
    "legend": """<div id="map-legend" class="map-legend">
<p class="legend-title">{{ words.legend_title }}</p>
<ul>
{% for name in words.priority_classes %}
<li><span class="swatch" style="background:{{ fills[loop.index0] }};border-color:{{ rim }}"></span>{{ name }}</li>
{% endfor %}
<li><span class="swatch done" style="border-color:{{ fills[1] }}"></span>{{ words.done_note }}</li>
{% if spec.concerns %}<li><span class="swatch concern"></span>{{ words.concern_note }}</li>{% endif %}
</ul>
<p class="legend-note">{{ words.size_note }}</p>
{% if spec.heat %}<p class="legend-note"><span class="swatch heat"></span>{{ words.heat_note }}</p>{% endif %}
</div>""",
    "listing": """<section class="doc-list" aria-labelledby="doc-list-title">
<h2 id="doc-list-title">{{ words.list_title }}</h2>
{% if marks %}
<table>
<thead><tr><th scope="col">{{ words.number_header }}</th><th scope="col">{{ words.place_header }}</th>
{% for label, _value in marks[0].facts %}<th scope="col">{{ label }}</th>{% endfor %}</tr></thead>
<tbody>
{% for mark in marks %}<tr><td>{{ mark.text }}</td><td>{{ mark.title }}</td>
{% for _label, value in mark.facts %}<td>{{ value }}</td>{% endfor %}</tr>
{% endfor %}
</tbody>
</table>
{% else %}<p>{{ words.empty or "" }}</p>{% endif %}
</section>""",
}


def _page_css() -> str:
    return """
html, body { height: auto; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #111; margin: 0; }
.doc-head { padding: 8px 16px 6px; border-bottom: 2px solid #12355b; }
.doc-head h1 { font-size: 1.4rem; margin: 0 0 2px; }
.doc-head p { margin: 0; font-size: 0.95rem; }
.doc-head .doc-empty { margin-top: 4px; font-weight: bold; color: #8a1c00; }
.doc-map { display: block; height: calc(100vh - 92px); min-height: 420px; }
.leaflet-container { background: #dfe6ec; }
.map-mark { background: none; border: none; }
.map-mark span { display: block; box-sizing: border-box; border: 2px solid #222; border-radius: 50%;
  text-align: center; font-weight: bold; font-size: 12px; }
.concern-mark span { background: #5b6f80; color: #fff; border-color: #fff; font-size: 10px; }
.zoom-far .map-mark span { transform: scale(0.45); color: transparent !important; }
.zoom-mid .map-mark span { transform: scale(0.8); }
.map-mark:focus { outline: 3px solid #12355b; outline-offset: 2px; border-radius: 50%; }
.mark-popup .mark-title { font-weight: bold; margin: 0 0 4px; font-size: 14px; }
.mark-popup dl { margin: 0; display: grid; grid-template-columns: auto 1fr; gap: 2px 8px; }
.mark-popup dt { font-weight: bold; }
.mark-popup dd { margin: 0; }
.map-legend { background: #fff; padding: 6px 10px; border: 1px solid #888; border-radius: 4px;
  font-size: 13px; max-width: 240px; line-height: 1.35; }
.map-legend .legend-title { font-weight: bold; margin: 0 0 4px; }
.map-legend ul { list-style: none; margin: 0; padding: 0; }
.map-legend .legend-note { margin: 4px 0 0; }
.swatch { display: inline-block; width: 14px; height: 14px; border: 2px solid #222; border-radius: 50%;
  vertical-align: -3px; margin-right: 6px; box-sizing: border-box; }
.swatch.done { background: #fff; }
.swatch.concern { background: #5b6f80; border-color: #5b6f80; }
.swatch.heat { background: #d7301f; opacity: 0.6; border-radius: 2px; border-color: #d7301f; }
.doc-list { padding: 8px 16px 24px; }
.doc-list h2 { font-size: 1.15rem; }
.doc-list table { border-collapse: collapse; font-size: 0.9rem; }
.doc-list th, .doc-list td { text-align: left; border-bottom: 1px solid #999; padding: 3px 8px;
  vertical-align: top; }
.leaflet-control-layers label { font-size: 13px; }
"""


def lines_geojson(lines: Any, frame: Sequence[float], decimals: int = 5) -> dict[str, Any]:
    """Lines of a GeoDataFrame (with a "name" column, any CRS) inside the frame (west, south,
    east, north in lon/lat), clipped, as a GeoJSON FeatureCollection in lon/lat."""
    import geopandas as gpd

    box = gpd.GeoSeries([shapely.box(*frame)], crs="EPSG:4326").to_crs(lines.crs).iloc[0]
    part = lines.iloc[lines.sindex.query(box, predicate="intersects")].clip(box)
    part = part[~part.geometry.is_empty].to_crs("EPSG:4326")
    features = []
    for name, geometry in zip(part["name"], part.geometry, strict=True):
        shape = shapely.set_precision(geometry, 10.0**-decimals)
        if shape.is_empty:
            continue
        features.append(
            {
                "type": "Feature",
                "properties": {"name": str(name) or None},
                "geometry": shapely.geometry.mapping(shape),
            }
        )
    return {"type": "FeatureCollection", "features": features}
