/* The triage map, the location queue's map and a hotspot's small map.
   Data comes from the server as JSON; every string from it is put into the page with
   textContent (never innerHTML), so a resident's "<img onerror=...>" stays text.
   Plain Leaflet + markercluster; no other library. */
(function () {
  "use strict";

  var PRIORITY_COLOURS = [[60, "#b10026"], [30, "#e31a1c"], [15, "#fd8d3c"], [0, "#fecc5c"]];
  var STATUS_COLOURS = {
    new: "#e31a1c", triaged: "#ff7f00", assigned: "#1f78b4", in_progress: "#6a3d9a",
    resolved: "#33a02c", closed: "#777777", duplicate: "#999999", not_actionable: "#999999"
  };
  var CATEGORY_COLOURS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02",
    "#a6761d", "#1f78b4", "#b2182b", "#4d4d4d"];
  var LAYER_NAMES = { hotspots: "Hotspots", concerns: "Concerns", heat: "Heat (Gi*)", repeats: "Repeat addresses" };
  var DEFAULT_LAYERS = ["hotspots", "concerns"];
  var MAX_ZOOM = 19;

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (className) { node.className = className; }
    return node;
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) {
        return r.json().catch(function () { return {}; }).then(function (body) {
          throw new Error(body.error || (url + ": " + r.status));
        });
      }
      return r.json();
    });
  }

  function priorityColour(p) {
    for (var i = 0; i < PRIORITY_COLOURS.length; i++) {
      if (p >= PRIORITY_COLOURS[i][0]) { return PRIORITY_COLOURS[i][1]; }
    }
    return PRIORITY_COLOURS[PRIORITY_COLOURS.length - 1][1];
  }

  function categoryColour(name) {
    var h = 0;
    for (var i = 0; i < name.length; i++) { h = (h * 31 + name.charCodeAt(i)) >>> 0; }
    return CATEGORY_COLOURS[h % CATEGORY_COLOURS.length];
  }

  /* No zoom animation: the base layer's animated fit to the city would end after, and undo,
     the view these maps set next (a shared link's view, a hotspot's outline). */
  function newMap(node) {
    return window.L.map(node, { maxZoom: MAX_ZOOM, zoomControl: true, zoomAnimation: false });
  }

  /* Popups and tooltips: DOM nodes built from text, never HTML strings. */
  function hotspotPopup(p) {
    var box = el("div", null, "popup");
    box.appendChild(el("strong", p.label));
    box.appendChild(el("div", "Status: " + String(p.status).replace(/_/g, " ")));
    box.appendChild(el("div", "Priority " + Math.round(p.priority) + " · " + p.concerns + " concerns · " + p.trend));
    if (p.reasons) { box.appendChild(el("div", p.reasons, "popup-reasons")); }
    var link = el("a", "Open hotspot page");
    link.href = p.url;
    box.appendChild(link);
    return box;
  }

  function concernPopup(p) {
    var box = el("div", null, "popup");
    box.appendChild(el("strong", p.case));
    box.appendChild(el("div", [p.reported, p.category, p.source].filter(Boolean).join(" · ")));
    box.appendChild(el("p", p.text, "resident-text"));
    if (p.place) { box.appendChild(el("div", p.place, "hint")); }
    return box;
  }

  function Triage(node) {
    this.node = node;
    this.query = node.getAttribute("data-query") || "";
    this.urls = {
      hotspots: node.getAttribute("data-hotspots"),
      concerns: node.getAttribute("data-concerns"),
      heat: node.getAttribute("data-heat"),
      repeats: node.getAttribute("data-repeats")
    };
    this.params = new URLSearchParams(window.location.search);
    this.colourMode = this.params.get("color") === "status" ? "status" : "priority";
    this.loaded = {};
    this.seq = {};
    this.hotspotLayers = {};
  }

  Triage.prototype.start = function () {
    var self = this, L = window.L;
    var map = this.map = newMap(this.node);
    // Hotspots above the concern cells (markers, z 600), below tooltips and popups.
    map.createPane("hotspots").style.zIndex = 620;
    this.layers = {
      hotspots: L.featureGroup(),
      concerns: L.layerGroup(),
      heat: L.featureGroup(),
      repeats: L.featureGroup()
    };
    var wanted = (this.params.get("layers") || DEFAULT_LAYERS.join(",")).split(",");
    var colour = document.getElementById("triage-colour");
    if (colour) {
      colour.value = this.colourMode;
      colour.addEventListener("change", function () {
        self.colourMode = colour.value;
        self.restyleHotspots();
        self.syncUrl();
      });
    }
    this.addLegend();
    return window.Basemap.add(map, this.node.getAttribute("data-basemap")).then(function (base) {
      Object.keys(self.layers).forEach(function (name) {
        if (!self.urls[name]) { return; }
        base.control.addOverlay(self.layers[name], LAYER_NAMES[name]);
        if (wanted.indexOf(name) >= 0) { self.layers[name].addTo(map); }
      });
      // Boundary layers (neighbourhoods, districts, wards) named in the link are shown too.
      self.boundaries = {};
      Object.keys(base.layers).forEach(function (id) {
        var spec = base.info.layers.filter(function (l) { return l.id === id; })[0];
        if (!spec || spec.base || spec.shown) { return; }
        self.boundaries[id] = base.layers[id];
        if (wanted.indexOf(id) >= 0) { base.layers[id].addTo(map); }
      });
      var view = (self.params.get("view") || "").split(",").map(Number);
      if (view.length === 3 && view.every(isFinite)) { map.setView([view[0], view[1]], view[2], { animate: false }); }
      map.on("moveend", function () { self.syncUrl(); self.schedule(); });
      map.on("overlayadd overlayremove", function (e) {
        self.syncUrl();
        if (Object.keys(self.layers).some(function (n) { return self.layers[n] === e.layer; })) {
          self.refresh();
        }
      });
      self.bindRanked();
      return self.refresh();
    }).then(function () {
      window.triageReadyMs = Math.round(window.performance.now()); // since navigation began
      window.triageReady = true;
      self.node.setAttribute("data-ready", "true");
    }).catch(function (error) { self.showError(error); });
  };

  Triage.prototype.showError = function (error) {
    var note = document.getElementById("triage-error") || el("p", null, "error");
    note.id = "triage-error";
    note.setAttribute("role", "alert");
    note.textContent = "The map could not load: " + error.message;
    this.node.parentNode.insertBefore(note, this.node);
  };

  Triage.prototype.schedule = function () {
    var self = this;
    clearTimeout(this.timer);
    this.timer = setTimeout(function () { self.refresh(); }, 200);
  };

  Triage.prototype.viewportQuery = function () {
    var b = this.map.getBounds();
    var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v, i) {
      var limit = i % 2 === 0 ? 180 : 90;
      return Math.max(-limit, Math.min(limit, v)).toFixed(5);
    }).join(",");
    return (this.query ? this.query + "&" : "") + "bbox=" + bbox + "&zoom=" + Math.round(this.map.getZoom());
  };

  /* Fetch the layers that are switched on; heat does not depend on the viewport. */
  Triage.prototype.refresh = function () {
    var self = this, map = this.map, waits = [];
    ["hotspots", "concerns", "repeats"].forEach(function (name) {
      if (self.urls[name] && map.hasLayer(self.layers[name])) {
        waits.push(self.load(name, self.urls[name] + "?" + self.viewportQuery()));
      }
    });
    if (this.urls.heat && map.hasLayer(this.layers.heat) && !this.loaded.heat) {
      this.loaded.heat = true;
      waits.push(this.load("heat", this.urls.heat + "?" + this.query));
    }
    return Promise.all(waits);
  };

  Triage.prototype.load = function (name, url) {
    var self = this, seq = (this.seq[name] || 0) + 1;
    this.seq[name] = seq;
    return getJSON(url).then(function (data) {
      if (self.seq[name] !== seq) { return; } // a newer request for this layer is on its way
      self["draw_" + name](data);
    }).catch(function (error) { self.showError(error); });
  };

  /* Centres (zoomed out) are solid dots above the concern cells; outlines (zoomed in) sit
     below the concern markers so those stay clickable. */
  Triage.prototype.hotspotStyle = function (feature) {
    var p = feature.properties;
    var colour = this.colourMode === "status" ? (STATUS_COLOURS[p.status] || "#555") : priorityColour(p.priority);
    if (feature.geometry.type === "Point") {
      return { color: "#222", weight: 1.5, fillColor: colour, fillOpacity: 0.9 };
    }
    return { color: colour, weight: 3, fillColor: colour, fillOpacity: 0.2 };
  };

  Triage.prototype.draw_hotspots = function (data) {
    var self = this, L = window.L, group = this.layers.hotspots;
    group.clearLayers();
    this.hotspotLayers = {};
    L.geoJSON(data, {
      style: function (f) { return self.hotspotStyle(f); },
      pointToLayer: function (f, latlng) { return L.circleMarker(latlng, { radius: 7, pane: "hotspots" }); },
      onEachFeature: function (f, layer) {
        layer.bindTooltip(el("span", f.properties.label), { sticky: true });
        layer.bindPopup(hotspotPopup(f.properties));
        self.hotspotLayers[f.properties.id] = layer;
        group.addLayer(layer);
      }
    });
  };

  Triage.prototype.restyleHotspots = function () {
    var self = this;
    Object.keys(this.hotspotLayers).forEach(function (id) {
      var layer = self.hotspotLayers[id];
      layer.setStyle(self.hotspotStyle(layer.feature));
    });
    this.updateLegend();
  };

  Triage.prototype.draw_concerns = function (data) {
    var L = window.L, group = this.layers.concerns;
    group.clearLayers();
    if (data.properties.kind === "grid") {
      data.features.forEach(function (f) {
        var n = f.properties.count, c = f.geometry.coordinates;
        var size = Math.round(18 + Math.min(26, Math.sqrt(n) * 2));
        var icon = L.divIcon({ html: el("span", n), className: "concern-cell", iconSize: [size, size] });
        group.addLayer(L.marker([c[1], c[0]], { icon: icon, keyboard: false, title: n + " concerns" }));
      });
      return;
    }
    var cluster = L.markerClusterGroup({ maxClusterRadius: 40, showCoverageOnHover: false });
    data.features.forEach(function (f) {
      var p = f.properties, c = f.geometry.coordinates;
      var dot = el("span", null, "concern-dot");
      dot.style.background = categoryColour(p.category || "");
      var icon = L.divIcon({ html: dot, className: "concern-marker", iconSize: [14, 14] });
      var marker = L.marker([c[1], c[0]], { icon: icon, title: p.category || "" });
      marker.bindPopup(concernPopup(p));
      cluster.addLayer(marker);
    });
    group.addLayer(cluster);
  };

  Triage.prototype.draw_heat = function (data) {
    var L = window.L, group = this.layers.heat;
    group.clearLayers();
    L.geoJSON(data, {
      interactive: true,
      style: function (f) {
        var z = f.properties.z || 0, sig = f.properties.significant;
        var colour = z > 0 ? "#d7301f" : "#2b8cbe";
        var strength = sig ? Math.min(0.7, 0.25 + Math.abs(z) / 10) : 0.06;
        return { stroke: false, fillColor: colour, fillOpacity: strength };
      },
      onEachFeature: function (f, layer) {
        var p = f.properties;
        layer.bindTooltip(el("span", p.count + " concerns · z " + (p.z === null ? "n/a" : p.z) + (p.significant ? " · significant" : "")));
        group.addLayer(layer);
      }
    });
  };

  Triage.prototype.draw_repeats = function (data) {
    var L = window.L, group = this.layers.repeats;
    group.clearLayers();
    data.features.forEach(function (f) {
      var p = f.properties, c = f.geometry.coordinates;
      var marker = L.circleMarker([c[1], c[0]], {
        radius: 5 + Math.min(8, p.concerns / 2), color: "#4a1486", weight: 2, fillColor: "#9e9ac8", fillOpacity: 0.8
      });
      marker.bindTooltip(el("span", p.label + " · " + p.concerns + " reports (" + p.first + " to " + p.last + ")"));
      group.addLayer(marker);
    });
  };

  Triage.prototype.addLegend = function () {
    var self = this, L = window.L;
    var legend = L.control({ position: "bottomright" });
    legend.onAdd = function () {
      self.legendNode = el("div", null, "triage-legend");
      self.updateLegend();
      return self.legendNode;
    };
    legend.addTo(this.map);
  };

  Triage.prototype.updateLegend = function () {
    var box = this.legendNode;
    if (!box) { return; }
    box.textContent = "";
    box.appendChild(el("strong", this.colourMode === "status" ? "Hotspot status" : "Hotspot priority"));
    var rows = this.colourMode === "status"
      ? ["new", "triaged", "assigned", "in_progress", "resolved", "closed"].map(function (s) { return [s.replace(/_/g, " "), STATUS_COLOURS[s]]; })
      : PRIORITY_COLOURS.map(function (pair) { return [pair[0] + "+", pair[1]]; });
    rows.forEach(function (row) {
      var line = el("div");
      var swatch = el("span", null, "swatch");
      swatch.style.background = row[1];
      line.appendChild(swatch);
      line.appendChild(document.createTextNode(row[0]));
      box.appendChild(line);
    });
  };

  /* The address bar keeps the view, the layers and the colour mode: a view can be shared. */
  Triage.prototype.syncUrl = function () {
    var self = this, c = this.map.getCenter();
    var on = Object.keys(this.layers).filter(function (n) { return self.urls[n] && self.map.hasLayer(self.layers[n]); });
    Object.keys(this.boundaries || {}).forEach(function (id) {
      if (self.map.hasLayer(self.boundaries[id])) { on.push(id); }
    });
    var keep = { view: [c.lat.toFixed(5), c.lng.toFixed(5), this.map.getZoom()].join(","), layers: on.join(","), color: this.colourMode };
    Object.keys(keep).forEach(function (k) {
      self.params.set(k, keep[k]);
      var input = document.querySelector("input[data-keep='" + k + "']");
      if (input) { input.value = keep[k]; }
    });
    window.history.replaceState(null, "", window.location.pathname + "?" + this.params.toString());
  };

  Triage.prototype.bindRanked = function () {
    var self = this;
    Array.prototype.forEach.call(document.querySelectorAll(".ranked-list li[data-id]"), function (item) {
      var button = item.querySelector("button.pan");
      if (!button) { return; }
      button.addEventListener("click", function () {
        var id = item.getAttribute("data-id");
        self.map.once("moveend", function () {
          // Load the new view now (not after the usual pause), then open this hotspot's popup.
          clearTimeout(self.timer);
          self.refresh().then(function () {
            var layer = self.hotspotLayers[id];
            if (layer) { layer.openPopup(); }
          });
        });
        self.map.setView([Number(item.getAttribute("data-lat")), Number(item.getAttribute("data-lon"))], 16);
      });
    });
  };

  /* The location queue: choose a concern, click the map, the form gets the point. */
  function startLocate(node) {
    var L = window.L, map = newMap(node), marker = null, current = null;
    var items = document.querySelectorAll(".locate-list li[data-id]");
    function choose(item) {
      Array.prototype.forEach.call(items, function (i) { i.classList.toggle("chosen", i === item); });
      current = item;
    }
    function put(lat, lon) {
      if (!current) { return; }
      current.querySelector("input[name=lat]").value = lat.toFixed(6);
      current.querySelector("input[name=lon]").value = lon.toFixed(6);
      if (marker) { marker.setLatLng([lat, lon]); } else { marker = L.marker([lat, lon]).addTo(map); }
    }
    Array.prototype.forEach.call(items, function (item) {
      item.querySelector("button.choose").addEventListener("click", function () { choose(item); });
      Array.prototype.forEach.call(item.querySelectorAll("button.guess"), function (guess) {
        guess.addEventListener("click", function () {
          choose(item);
          var lat = Number(guess.getAttribute("data-lat")), lon = Number(guess.getAttribute("data-lon"));
          put(lat, lon);
          map.setView([lat, lon], 17, { animate: false });
        });
      });
    });
    if (items.length) { choose(items[0]); }
    map.on("click", function (e) { put(e.latlng.lat, e.latlng.lng); });
    return window.Basemap.add(map, node.getAttribute("data-basemap")).then(function () {
      node.setAttribute("data-ready", "true");
    });
  }

  /* A hotspot's page: its outline and its concerns. */
  function startHotspot(node) {
    var L = window.L, map = newMap(node);
    return window.Basemap.add(map, node.getAttribute("data-basemap"), { control: false }).then(function () {
      return getJSON(node.getAttribute("data-url"));
    }).then(function (data) {
      var shapes = L.featureGroup().addTo(map);
      if (data.outline) {
        L.geoJSON(data.outline, { style: { color: STATUS_COLOURS[data.status] || "#e31a1c", weight: 3, fillOpacity: 0.15 } })
          .bindTooltip(el("span", data.label)).addTo(shapes);
      }
      data.concerns.features.forEach(function (f) {
        var c = f.geometry.coordinates;
        L.circleMarker([c[1], c[0]], { radius: 5, color: "#12355b", weight: 1, fillColor: "#ffbf47", fillOpacity: 0.9 })
          .bindPopup(concernPopup(f.properties)).addTo(shapes);
      });
      if (shapes.getLayers().length) {
        map.fitBounds(shapes.getBounds(), { padding: [24, 24], maxZoom: 17, animate: false });
      } else {
        map.setView(data.center, 16, { animate: false });
      }
      node.setAttribute("data-ready", "true");
    });
  }

  function reportFailure(node, error) {
    var note = el("p", "The map could not load: " + error.message, "error");
    note.setAttribute("role", "alert");
    node.parentNode.insertBefore(note, node);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var triage = document.getElementById("triage-map");
    if (triage) { new Triage(triage).start(); }
    var locate = document.getElementById("locate-map");
    if (locate) { startLocate(locate).catch(function (e) { reportFailure(locate, e); }); }
    var hotspot = document.getElementById("hotspot-map");
    if (hotspot) { startHotspot(hotspot).catch(function (e) { reportFailure(hotspot, e); }); }
  });
})();
