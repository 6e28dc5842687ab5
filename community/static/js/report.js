/* The report form's helpers: place suggestions, "use my location", a map loaded on demand,
   and the nearby-reports notice. The form works without any of this (server-side check step). */
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form || !window.fetch) { return; }
  var d = form.dataset;
  var input = document.getElementById("location");
  var category = document.getElementById("category");
  var statusBox = document.getElementById("place-status");
  var list = document.getElementById("suggestions");
  var nearbyBox = document.getElementById("nearby");
  var mapBox = document.getElementById("map");
  var tools = form.querySelector(".map-tools");
  var timer = null, lastQuery = "", map = null, marker = null;

  function point() { return form.querySelector("input[name=point]:checked") || document.getElementById("point"); }
  function setPoint(lat, lon) {
    var alt = document.getElementById("alternatives");
    if (alt) { alt.parentNode.removeChild(alt); }
    var field = document.getElementById("point");
    if (!field) {
      field = document.createElement("input");
      field.type = "hidden"; field.name = "point"; field.id = "point";
      form.appendChild(field);
    }
    field.value = lat === null ? "" : lat.toFixed(6) + "," + lon.toFixed(6);
  }
  function say(text, strong) {
    statusBox.textContent = "";
    var p = document.createElement("p");
    p.appendChild(document.createTextNode(text));
    if (strong) {
      var b = document.createElement("strong");
      b.textContent = " " + strong;
      p.appendChild(b);
    }
    statusBox.appendChild(p);
  }
  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); });
  }
  function labelOf(r) { return r.label + (r.neighborhood ? ", " + r.neighborhood : ""); }

  function choose(r, fromTyping) {
    if (fromTyping) { input.value = r.label; }
    setPoint(r.lat, r.lon);
    list.textContent = "";
    say(d.msgChosen, labelOf(r));
    if (marker) { marker.setLatLng([r.lat, r.lon]); } else if (map) { marker = window.L.marker([r.lat, r.lon]).addTo(map); }
    if (map) { map.setView([r.lat, r.lon], 16); }
    loadNearby();
  }

  function suggest() {
    var q = input.value.trim();
    if (q.length < 3 || q === lastQuery) { return; }
    lastQuery = q;
    say(d.msgSearching);
    getJSON(d.suggest + "?q=" + encodeURIComponent(q)).then(function (res) {
      if (input.value.trim() !== q) { return; }
      list.textContent = "";
      var results = (res.body.results || []).filter(function (r) { return r.in_city !== false; });
      if (!results.length) { say(d.msgNone); return; }
      say(d.msgChoose);
      results.forEach(function (r) {
        var b = document.createElement("button");
        b.type = "button"; b.className = "suggestion";
        b.textContent = labelOf(r);
        b.addEventListener("click", function () { choose(r, true); });
        list.appendChild(b);
      });
    }).catch(function () { say(d.msgNone); });
  }

  input.addEventListener("input", function () {
    setPoint(null);  // typed again: the earlier choice no longer holds
    clearTimeout(timer);
    timer = setTimeout(suggest, 400);
  });

  function loadNearby() {
    var p = point();
    if (!p || !p.value || !category.value) { nearbyBox.textContent = ""; return; }
    var url = d.nearby + "?point=" + encodeURIComponent(p.value) + "&category=" + encodeURIComponent(category.value);
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.text(); })
      .then(function (html) { nearbyBox.innerHTML = html; });  // our own escaped template
  }
  category.addEventListener("change", loadNearby);

  function pointChosen(lat, lon) {
    getJSON(d.point + "?point=" + lat.toFixed(6) + "," + lon.toFixed(6)).then(function (res) {
      if (!res.ok || res.body.in_city !== true) { setPoint(null); say(d.msgOutside); nearbyBox.textContent = ""; return; }
      res.body.lat = lat; res.body.lon = lon;
      choose(res.body, false);
    });
  }

  function loadFile(tag, attrs) {
    return new Promise(function (resolve, reject) {
      var el = document.createElement(tag);
      Object.keys(attrs).forEach(function (k) { el[k] = attrs[k]; });
      el.onload = resolve; el.onerror = reject;
      document.head.appendChild(el);
    });
  }
  function showMap() {
    if (map) { return; }
    mapBox.hidden = false;
    // The stylesheet first: Leaflet finds its marker images through it.
    Promise.all([loadFile("link", { rel: "stylesheet", href: d.leafletCss }), loadFile("script", { src: d.leafletJs })])
      .then(function () { return loadFile("script", { src: d.basemapJs }); })
      .then(function () {
        map = window.L.map(mapBox, { maxZoom: 19 });
        mapBox.leafletMap = map;  // for scripts and tests that drive the map
        return window.Basemap.add(map, d.basemap);
      })
      .then(function () {
        var p = point();
        if (p && p.value) {
          var ll = p.value.split(",").map(Number);
          marker = window.L.marker(ll).addTo(map);
          map.setView(ll, 16);
        }
        say(d.msgTap);
        map.on("click", function (e) {
          if (marker) { marker.setLatLng(e.latlng); } else { marker = window.L.marker(e.latlng).addTo(map); }
          pointChosen(e.latlng.lat, e.latlng.lng);
        });
      })
      .catch(function () { mapBox.hidden = true; say(d.msgMapFailed); });
  }

  tools.hidden = false;
  document.getElementById("show-map").addEventListener("click", showMap);
  var locate = document.getElementById("use-location");
  if (!navigator.geolocation) { locate.hidden = true; }
  locate.addEventListener("click", function () {
    say(d.msgLocating);
    navigator.geolocation.getCurrentPosition(
      function (pos) { pointChosen(pos.coords.latitude, pos.coords.longitude); },
      function () { say(d.msgNogeo); },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  });
  if (point() && point().value) { loadNearby(); }
})();
