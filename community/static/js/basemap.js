/* The city's base layers on a Leaflet map, from /basemap/layers.json.
   Basemap.add(map, layersUrl, options) -> Promise of {layers, control}.
   With no tile server configured the city outline is the base, so maps work offline.
   options.control (default true): a layer switcher for the area layers (off until chosen). */
(function () {
  "use strict";
  var STYLES = {
    city: { color: "#12355b", weight: 2, fillColor: "#f4f1e8", fillOpacity: 1 },
    roads: { color: "#8a8a8a", weight: 1.5, opacity: 0.9 },
    neighborhood: { color: "#6a3d9a", weight: 1, fill: false, dashArray: "4 3" },
    aldermanic_district: { color: "#b15928", weight: 1.5, fill: false },
    ward: { color: "#1f78b4", weight: 0.8, fill: false },
    police_district: { color: "#e31a1c", weight: 2, fill: false },
    business_district: { color: "#33a02c", weight: 1, fill: false }
  };
  var WITH_TILES = { city: { color: "#12355b", weight: 2, fill: false } };

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error(url + ": " + r.status); }
      return r.json();
    });
  }

  function geoLayer(L, spec, tiles) {
    var style = (tiles && WITH_TILES[spec.id]) || STYLES[spec.id] || { weight: 1, fill: false };
    var layer = L.geoJSON(null, {
      style: style,
      interactive: !spec.base && spec.id !== "roads",
      onEachFeature: function (feature, l) {
        if (!spec.base && spec.id !== "roads" && feature.properties && feature.properties.name) {
          // A text node, not a string: Leaflet would read a string as HTML.
          l.bindTooltip(document.createTextNode(String(feature.properties.name)), { sticky: true });
        }
      }
    });
    var loaded = null;
    layer.load = function () {
      if (!loaded) { loaded = getJSON(spec.url).then(function (data) { layer.addData(data); return layer; }); }
      return loaded;
    };
    layer.on("add", function () { layer.load(); });
    return layer;
  }

  function add(map, layersUrl, options) {
    var L = window.L;
    options = options || {};
    return getJSON(layersUrl).then(function (info) {
      var attribution = info.attribution;
      if (info.tiles) {
        L.tileLayer(info.tiles.url, { attribution: info.tiles.attribution, maxZoom: 19 }).addTo(map);
      }
      map.attributionControl.addAttribution(attribution);
      map.setView(info.center, 12);
      var layers = {}, overlays = {}, waits = [];
      info.layers.forEach(function (spec) {
        var layer = geoLayer(L, spec, !!info.tiles);
        layers[spec.id] = layer;
        if (spec.shown || spec.base) {
          layer.addTo(map);
          waits.push(layer.load());
        }
        if (!spec.base) { overlays[spec.title] = layer; }
      });
      var control = null;
      if (options.control !== false) { control = L.control.layers(null, overlays, { collapsed: true }).addTo(map); }
      return Promise.all(waits).then(function () {
        if (layers.city && layers.city.getLayers().length) {
          map.fitBounds(layers.city.getBounds(), { padding: [4, 4] });
        }
        return { layers: layers, control: control, info: info };
      });
    });
  }

  window.Basemap = { add: add };
})();
