// The network directory's map: an enhancement of the list, which works without it.
// Points come from the page's own map data (same origin); tiles from the one tile server
// named in the settings (NETWORK_MAP_TILE_URL), asked with a referrer policy that gives
// it the site's origin only. No other request leaves the page.
(function () {
  "use strict";
  var element = document.getElementById("network-map");
  if (!element || !window.L || !window.fetch) {
    return;
  }
  function escaped(text) {
    var holder = document.createElement("span");
    holder.textContent = text;
    return holder.innerHTML;
  }
  // Leaflet's own words, in the page's language (the template passes them translated).
  var words = element.dataset;
  element.hidden = false;
  var map = L.map(element, { scrollWheelZoom: false, attributionControl: true, zoomControl: false });
  L.control
    .zoom({ zoomInTitle: words.zoomIn || "Zoom in", zoomOutTitle: words.zoomOut || "Zoom out" })
    .addTo(map);
  map.attributionControl.setPrefix(false);
  // Leaflet 1.9 has no option for its popups' close button: named when a popup opens.
  map.on("popupopen", function (event) {
    var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
    if (close && words.closePopup) {
      close.setAttribute("aria-label", words.closePopup);
      close.title = words.closePopup;
    }
  });
  var tiles = element.dataset.tiles;
  if (tiles) {
    var attribution = escaped(element.dataset.attributionText || "");
    if (element.dataset.attributionUrl) {
      attribution =
        '<a href="' + escaped(element.dataset.attributionUrl) + '" rel="noopener noreferrer">' +
        attribution + "</a>";
    }
    L.tileLayer(tiles, {
      maxZoom: 18,
      attribution: attribution,
      referrerPolicy: element.dataset.referrerPolicy || "strict-origin",
    }).addTo(map);
  }
  map.setView([48, 10], 4);
  fetch(element.dataset.points, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) {
      return response.ok ? response.json() : { features: [] };
    })
    .then(function (data) {
      var bounds = [];
      data.features.forEach(function (feature) {
        var where = [feature.geometry.coordinates[1], feature.geometry.coordinates[0]];
        var props = feature.properties;
        var link = document.createElement("a");
        link.href = props.url;
        link.textContent = props.name;
        var popup = document.createElement("div");
        popup.appendChild(link);
        var place = document.createElement("div");
        place.textContent = [props.city, props.country].filter(Boolean).join(", ");
        popup.appendChild(place);
        if (props.field_of_work) {
          var work = document.createElement("div");
          work.textContent = props.field_of_work;
          popup.appendChild(work);
        }
        // Leaflet writes strings as HTML: names go in as text nodes only.
        var label = document.createElement("span");
        label.textContent = props.name;
        // A marker the keyboard reaches (Tab, then Enter opens its popup), named after
        // the organisation (title; the name as text, set as an attribute, never HTML).
        var marker = L.marker(where, {
          icon: L.divIcon({ className: "network-map-marker", iconSize: [18, 18] }),
          title: props.name,
          alt: props.name,
          keyboard: true,
        });
        marker.bindPopup(popup).bindTooltip(label).addTo(map);
        marker.getElement().setAttribute("aria-label", props.name);
        bounds.push(where);
      });
      if (bounds.length > 1) {
        map.fitBounds(bounds, { padding: [30, 30], maxZoom: 8 });
      } else if (bounds.length === 1) {
        map.setView(bounds[0], 8);
      }
    });
})();
