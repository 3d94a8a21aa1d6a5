/*
 * Mängelmelder – progressive enhancement only; the form and the list work without this file.
 *  - The Zusatzfragen of a category appear as soon as it is chosen (a piece of the form from
 *    reports:attribute-fields); without this file they appear when the form comes back.
 *  - With a geocoder configured, the address field's suggestions grow while people type
 *    (reports:address-suggest); the street list in the page works without it.
 *  - "Meinen Standort verwenden": fills the hidden latitude/longitude fields from the browser's
 *    location. The address field stays the way that always works.
 *  - The map of the list page: markers from the bbox endpoint (reports:map-data), clustered by
 *    the server when zoomed out. The list below it stays the complete, accessible view.
 *  - The map of the report form: a click (or Enter on the focused map) sets the pin and fills
 *    latitude/longitude, like the button above.
 * Map settings come from data- attributes ({% report_map_attrs %}): the CSP allows no inline
 * script. Leaflet (from django-leaflet) and static/js/map.js (the map, and the consent before
 * tiles come from another host) are loaded only on pages with a map. Texts are German
 * msgids translated by Django's JavaScript catalog (/jsi18n/, loaded before this file); each
 * msgid is one string literal, so that `makemessages -d djangojs` finds it.
 */
(function () {
    "use strict";

    // should the catalog fail to load, the German msgids are shown as they are
    var gettext = window.gettext || function (msgid) { return msgid; };
    var ngettext = window.ngettext || function (singular, plural, count) {
        return count === 1 ? singular : plural;
    };
    var interpolate = window.interpolate || function (format, values) {
        var rest = values.slice();
        return format.replace(/%s/g, function () { return String(rest.shift()); });
    };

    var LOCATION_EVENT = "reports:location";

    function enhanceLocate() {
        var box = document.querySelector("[data-locate]");
        var latitude = document.getElementById("id_latitude");
        var longitude = document.getElementById("id_longitude");
        if (!box || !latitude || !longitude || !("geolocation" in navigator)) {
            return;
        }
        var button = box.querySelector("button");
        var status = box.querySelector("[data-locate-status]");
        box.hidden = false;
        if (latitude.value && longitude.value) {
            status.textContent = gettext("Ihr Standort ist übernommen.");
        }
        button.addEventListener("click", function () {
            status.textContent = gettext("Standort wird ermittelt …");
            navigator.geolocation.getCurrentPosition(
                function (position) {
                    latitude.value = position.coords.latitude.toFixed(6);
                    longitude.value = position.coords.longitude.toFixed(6);
                    document.dispatchEvent(new CustomEvent(LOCATION_EVENT));
                    status.textContent = interpolate(
                        gettext(
                            "Ihr Standort ist übernommen (Genauigkeit etwa %s m). Eine Adresse ist jetzt nicht mehr nötig, hilft aber beim Finden."
                        ),
                        [Math.round(position.coords.accuracy)]
                    );
                },
                function () {
                    status.textContent = gettext(
                        "Ihr Standort konnte nicht ermittelt werden. Bitte geben Sie die Adresse ein."
                    );
                },
                { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
            );
        });
    }

    // --- maps ------------------------------------------------------------------------------
    function text(tag, className, content) {
        var node = document.createElement(tag);
        node.className = className;
        node.textContent = content;
        return node;
    }

    function bboxOf(map) {
        // Leaflet's bounds may leave the world when zoomed out; the endpoint refuses that
        var bounds = map.getBounds();
        return [
            Math.max(bounds.getWest(), -180),
            Math.max(bounds.getSouth(), -90),
            Math.min(bounds.getEast(), 180),
            Math.min(bounds.getNorth(), 90),
        ]
            .map(function (value) {
                return value.toFixed(6);
            })
            .join(",");
    }

    function clusterMarker(map, feature, latlng) {
        var count = feature.properties.count;
        var size = count < 10 ? 32 : count < 100 ? 40 : 48;
        var label = interpolate(gettext("%s Meldungen – zum Vergrößern auswählen"), [count]);
        var marker = L.marker(latlng, {
            title: label,
            icon: L.divIcon({
                className: "map-cluster",
                html: text("span", "map-cluster__count", String(count)),
                iconSize: [size, size],
            }),
        });
        marker.on("click", function () {
            map.setView(latlng, Math.min(map.getZoom() + 2, map.getMaxZoom()));
        });
        return marker;
    }

    function reportMarker(feature, latlng) {
        var p = feature.properties;
        var marker = L.marker(latlng, {
            title: p.category + ", " + p.number + ": " + p.status_label,
            icon: L.divIcon({
                className: "map-marker map-marker--" + p.traffic_light,
                html: text("span", "map-marker__dot", ""),
                iconSize: [24, 24],
            }),
        });
        var popup = document.createElement("div");
        popup.className = "map-popup";
        popup.appendChild(text("p", "map-popup__title", p.category));
        popup.appendChild(text("p", "map-popup__meta", p.number + " · " + p.status_label));
        var link = text("a", "map-popup__link", gettext("Meldung ansehen"));
        link.href = p.url;
        popup.appendChild(link);
        marker.bindPopup(popup);
        marker.reportNumber = p.number;
        return marker;
    }

    function enhanceReportMap() {
        var element = document.querySelector("[data-report-map]");
        var box = document.querySelector("[data-report-map-box]");
        if (!element || !box || !window.L || !window.fetch || !window.PortalMap) {
            return;
        }
        box.hidden = false;
        PortalMap.whenAllowed(element, function () {
            showReportMap(element, box);
        });
    }

    function showReportMap(element, box) {
        var status = box.querySelector("[data-report-map-status]");
        var map = PortalMap.create(element, { minZoom: 10 });
        var layer = L.layerGroup().addTo(map);
        var pending = null;

        function load() {
            var params = new URLSearchParams({ bbox: bboxOf(map), zoom: String(map.getZoom()) });
            // the list's filters, as the server applied them
            ["category", "status", "district", "days"].forEach(function (name) {
                if (element.dataset[name]) {
                    params.set(name, element.dataset[name]);
                }
            });
            if (pending) {
                pending.abort();
            }
            pending = new AbortController();
            fetch(element.dataset.url + "?" + params.toString(), {
                headers: { Accept: "application/json" },
                signal: pending.signal,
            })
                .then(function (response) {
                    if (!response.ok) {
                        throw new Error(response.status);
                    }
                    return response.json();
                })
                .then(function (data) {
                    // a report whose popup is open stays as it is (opening it may have moved
                    // the map, which loads the markers again)
                    var open = null;
                    layer.eachLayer(function (marker) {
                        if (marker.reportNumber && marker.isPopupOpen()) {
                            open = marker;
                        }
                    });
                    layer.eachLayer(function (marker) {
                        if (marker !== open) {
                            layer.removeLayer(marker);
                        }
                    });
                    data.features.forEach(function (feature) {
                        var c = feature.geometry.coordinates;
                        var latlng = L.latLng(c[1], c[0]);
                        if (open && feature.properties.number === open.reportNumber) {
                            return;
                        }
                        layer.addLayer(
                            feature.properties.cluster
                                ? clusterMarker(map, feature, latlng)
                                : reportMarker(feature, latlng)
                        );
                    });
                    status.textContent = "";
                })
                .catch(function (error) {
                    if (error.name !== "AbortError") {
                        status.textContent = gettext(
                            "Die Karte konnte gerade nicht geladen werden."
                        );
                    }
                });
        }

        map.on("moveend", load);
        load();
    }

    function enhanceLocationMap() {
        var box = document.querySelector("[data-location-map]");
        var latitude = document.getElementById("id_latitude");
        var longitude = document.getElementById("id_longitude");
        if (!box || !latitude || !longitude || !window.L || !window.PortalMap) {
            return;
        }
        box.hidden = false;
        var element = box.querySelector(".report-map");
        PortalMap.whenAllowed(element, function () {
            showLocationMap(box, element, latitude, longitude);
        });
    }

    function showLocationMap(box, element, latitude, longitude) {
        var status = box.querySelector("[data-location-map-status]");
        var clear = box.querySelector("[data-location-map-clear]");
        var map = PortalMap.create(element, { minZoom: 10 });
        var pin = null;

        function showPin(latlng) {
            if (pin) {
                pin.setLatLng(latlng);
            } else {
                pin = L.marker(latlng, {
                    keyboard: false,
                    interactive: false,
                    icon: L.divIcon({
                        className: "map-marker map-marker--pin",
                        html: text("span", "map-marker__dot", ""),
                        iconSize: [28, 28],
                    }),
                }).addTo(map);
            }
            clear.hidden = false;
        }

        function setLocation(latlng) {
            latitude.value = latlng.lat.toFixed(6);
            longitude.value = latlng.lng.toFixed(6);
            showPin(latlng);
            status.textContent = gettext(
                "Der Ort ist auf der Karte markiert. Eine Adresse ist jetzt nicht mehr nötig, hilft aber beim Finden."
            );
        }

        function fromFields() {
            if (latitude.value && longitude.value) {
                var latlng = L.latLng(Number(latitude.value), Number(longitude.value));
                showPin(latlng);
                map.setView(latlng, Math.max(map.getZoom(), 16));
                return true;
            }
            return false;
        }

        map.on("click", function (event) {
            setLocation(event.latlng);
        });
        map.on("keypress", function (event) {
            // Enter on the map itself, not on its zoom buttons or links
            var target = event.originalEvent.target;
            if (event.originalEvent.key === "Enter" && target === map.getContainer()) {
                setLocation(map.getCenter());
            }
        });
        clear.addEventListener("click", function () {
            latitude.value = "";
            longitude.value = "";
            if (pin) {
                map.removeLayer(pin);
                pin = null;
            }
            clear.hidden = true;
            status.textContent = gettext(
                "Die Markierung ist entfernt. Bitte geben Sie die Adresse ein."
            );
            document.getElementById("id_address").focus();
        });
        document.addEventListener(LOCATION_EVENT, fromFields);
        if (fromFields()) {
            status.textContent = gettext("Der Ort ist auf der Karte markiert.");
        }
    }

    // --- the category's Zusatzfragen ---------------------------------------------------------
    function enhanceAttributes() {
        var slot = document.querySelector("[data-attribute-fields]");
        var status = document.querySelector("[data-attribute-status]");
        var radios = document.querySelectorAll("input[name='category']");
        if (!slot || !status || !radios.length || !window.fetch) {
            return;
        }
        // the questions of each category seen so far, with what was typed into them
        var kept = {};
        var shown = slot.querySelector("[data-category]");
        var current = shown ? shown.dataset.category : "";
        var pending = null;

        function announce(box) {
            var count = box ? Number(box.dataset.count) : 0;
            status.textContent = count
                ? interpolate(
                      ngettext(
                          "Zu dieser Kategorie gibt es %s Zusatzfrage. Sie folgt direkt unter der Auswahl.",
                          "Zu dieser Kategorie gibt es %s Zusatzfragen. Sie folgen direkt unter der Auswahl.",
                          count
                      ),
                      [count]
                  )
                : "";
        }

        function show(category, box) {
            while (slot.firstChild) {
                slot.removeChild(slot.firstChild);
            }
            if (box) {
                slot.appendChild(box);
            }
            current = category;
            announce(box);
        }

        function choose(category) {
            if (category === current) {
                return;
            }
            var box = slot.querySelector("[data-category]");
            if (current && box) {
                kept[current] = box;
            }
            if (pending) {
                pending.abort();
                pending = null;
            }
            if (Object.prototype.hasOwnProperty.call(kept, category)) {
                show(category, kept[category]);
                return;
            }
            pending = new AbortController();
            var params = new URLSearchParams({ category: category });
            fetch(slot.dataset.url + "?" + params.toString(), { signal: pending.signal })
                .then(function (response) {
                    if (!response.ok) {
                        throw new Error(response.status);
                    }
                    return response.text();
                })
                .then(function (html) {
                    var holder = document.createElement("div");
                    holder.innerHTML = html; // our own server-rendered, escaped markup
                    var box = holder.querySelector("[data-category]");
                    kept[category] = box;
                    show(category, box);
                })
                .catch(function (error) {
                    // without the questions the form still works: they come with the next step
                    if (error.name !== "AbortError") {
                        show(category, null);
                    }
                });
        }

        Array.prototype.forEach.call(radios, function (radio) {
            radio.addEventListener("change", function () {
                if (radio.checked) {
                    choose(radio.value);
                }
            });
        });
    }

    // --- address suggestions from the geocoder -----------------------------------------------
    function enhanceAddressSuggestions() {
        var input = document.getElementById("id_address");
        var list = input && document.getElementById(input.getAttribute("list"));
        if (!list || !list.dataset.suggestUrl || !window.fetch) {
            return;
        }
        var timer = null;
        var pending = null;
        var asked = "";

        function fill(suggestions) {
            Array.prototype.forEach.call(list.querySelectorAll("[data-suggested]"), function (o) {
                list.removeChild(o);
            });
            var known = {};
            Array.prototype.forEach.call(list.options, function (option) {
                known[option.value] = true;
            });
            suggestions.forEach(function (value) {
                if (!known[value]) {
                    var option = document.createElement("option");
                    option.value = value;
                    option.setAttribute("data-suggested", "");
                    list.appendChild(option);
                }
            });
        }

        function ask() {
            var query = input.value.trim();
            if (query.length < 3 || query === asked) {
                return;
            }
            asked = query;
            if (pending) {
                pending.abort();
            }
            pending = new AbortController();
            var params = new URLSearchParams({ q: query });
            fetch(list.dataset.suggestUrl + "?" + params.toString(), {
                headers: { Accept: "application/json" },
                signal: pending.signal,
            })
                .then(function (response) {
                    return response.ok ? response.json() : { suggestions: [] };
                })
                .then(function (data) {
                    fill(data.suggestions || []);
                })
                .catch(function () {
                    // the street list in the page stays
                });
        }

        input.addEventListener("input", function () {
            window.clearTimeout(timer);
            timer = window.setTimeout(ask, 300);
        });
    }

    function enhance() {
        enhanceAttributes();
        enhanceAddressSuggestions();
        enhanceLocate();
        enhanceReportMap();
        enhanceLocationMap();
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", enhance);
    } else {
        enhance();
    }
})();
