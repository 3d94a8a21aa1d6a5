/*
 * Vorhabenliste – the map only; the list, the filters and the export work without this file.
 * Markers come from the page's karte/ route with the list's filters (data-url). The list below
 * the map stays the complete, accessible view of the same projects.
 * Map settings come from data- attributes (the CSP allows no inline script). Texts are German
 * msgids translated by Django's JavaScript catalog (/jsi18n/, loaded before this file).
 */
(function () {
    "use strict";

    var gettext = window.gettext || function (msgid) { return msgid; };
    var interpolate = window.interpolate || function (format, values) {
        var rest = values.slice();
        return format.replace(/%s/g, function () { return String(rest.shift()); });
    };

    function text(tag, className, content) {
        var node = document.createElement(tag);
        node.className = className;
        node.textContent = content;
        return node;
    }

    function marker(feature) {
        var p = feature.properties;
        var c = feature.geometry.coordinates;
        var state = p.participation_open ? "offen" : "vorhaben";
        var title = p.title + ": " + p.status_label;
        if (p.participation_open) {
            title += ", " + gettext("Beteiligung läuft");
        }
        var item = L.marker(L.latLng(c[1], c[0]), {
            title: title,
            icon: L.divIcon({
                className: "map-marker map-marker--" + state,
                html: text("span", "map-marker__dot", ""),
                iconSize: [24, 24],
            }),
        });
        var popup = document.createElement("div");
        popup.className = "map-popup";
        popup.appendChild(text("p", "map-popup__title", p.title));
        var meta = p.status_label;
        if (p.location) {
            meta += " · " + p.location;
        }
        popup.appendChild(text("p", "map-popup__meta", meta));
        var link = text("a", "map-popup__link", gettext("Vorhaben ansehen"));
        link.href = p.url;
        popup.appendChild(link);
        item.bindPopup(popup);
        return item;
    }

    function enhanceProjectMap() {
        var element = document.querySelector("[data-project-map]");
        var box = document.querySelector("[data-project-map-box]");
        if (!element || !box || !window.L || !window.fetch) {
            return;
        }
        var status = box.querySelector("[data-project-map-status]");
        box.hidden = false;
        var center = (element.dataset.center || "0,0").split(",").map(Number);
        var map = L.map(element, {
            center: center,
            zoom: Number(element.dataset.zoom) || 13,
            zoomControl: false,
        });
        L.control
            .zoom({ zoomInTitle: gettext("Vergrößern"), zoomOutTitle: gettext("Verkleinern") })
            .addTo(map);
        L.tileLayer(element.dataset.tileUrl, {
            attribution: element.dataset.attribution,
            maxZoom: 19,
        }).addTo(map);
        map.on("popupopen", function (event) {
            var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
            if (close) {
                close.setAttribute("aria-label", gettext("Schließen"));
            }
        });
        fetch(element.dataset.url, { headers: { Accept: "application/json" } })
            .then(function (response) {
                if (!response.ok) {
                    throw new Error(response.status);
                }
                return response.json();
            })
            .then(function (data) {
                var layer = L.featureGroup();
                data.features.forEach(function (feature) {
                    layer.addLayer(marker(feature));
                });
                layer.addTo(map);
                if (data.features.length) {
                    map.fitBounds(layer.getBounds(), { padding: [24, 24], maxZoom: 15 });
                }
                status.textContent = interpolate(
                    gettext("Die Karte zeigt %s Vorhaben."),
                    [data.features.length]
                );
            })
            .catch(function () {
                status.textContent = gettext("Die Karte konnte gerade nicht geladen werden.");
            });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", enhanceProjectMap);
    } else {
        enhanceProjectMap();
    }
})();
