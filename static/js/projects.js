/*
 * Vorhabenliste – the map only; the list, the filters and the export work without this file.
 * Markers come from the page's karte/ route with the list's filters (data-url). The list below
 * the map stays the complete, accessible view of the same projects.
 * Map settings come from data- attributes (the CSP allows no inline script); the map itself and
 * the consent before tiles come from another host are static/js/map.js. Texts are German
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
        if (!element || !box || !window.L || !window.fetch || !window.PortalMap) {
            return;
        }
        box.hidden = false;
        PortalMap.whenAllowed(element, function () {
            showProjectMap(element, box);
        });
    }

    function showProjectMap(element, box) {
        var status = box.querySelector("[data-project-map-status]");
        var map = PortalMap.create(element);
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
