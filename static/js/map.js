/*
 * One Leaflet map for every page that shows one (static/js/reports.js, projects.js), and the
 * consent before it: the tiles come from MAP_TILE_URL (data-tile-url). When that is another host
 * than the portal's, nothing is requested from it before the citizen clicks "Karte laden" in the
 * box that names the host; the choice is remembered per host in this browser (PortalConsent of
 * static/js/portal.js, shared with embedded videos),
 * and every map of the page starts. The list and the address field work without any map.
 * Texts are German msgids translated by Django's JavaScript catalog (/jsi18n/).
 */
(function () {
    "use strict";

    var gettext = window.gettext || function (msgid) { return msgid; };
    var interpolate = window.interpolate || function (format, values) {
        var rest = values.slice();
        return format.replace(/%s/g, function () { return String(rest.shift()); });
    };
    var waiting = [];

    function tileHost(url) {
        try {
            var plain = String(url).replace("{s}.", "").replace(/\{[^}]*\}/g, "0");
            return new URL(plain, window.location.href).host;
        } catch (error) {
            return "";
        }
    }

    // the consent store of static/js/portal.js (loaded on every page, before this file)
    var consent = window.PortalConsent || {
        allowed: function () { return false; },
        remember: function () {},
    };

    function allowed(host) {
        return !host || host === window.location.host || consent.allowed(host);
    }

    function release(host) {
        waiting = waiting.filter(function (entry) {
            if (entry.host !== host) {
                return true;
            }
            entry.gate.remove();
            entry.element.hidden = false;
            entry.start();
            return false;
        });
    }

    function gate(element, host, start) {
        var box = document.createElement("div");
        box.className = "map-consent";
        var text = document.createElement("p");
        text.className = "map-consent__text";
        text.textContent = interpolate(
            gettext("Die Karte lädt Kartenbilder von %s. Dabei erhält %s Ihre IP-Adresse. Ohne Karte können Sie alles über die Liste und das Adressfeld erledigen."),
            [host, host]
        );
        var button = document.createElement("button");
        button.type = "button";
        button.className = "button button--secondary";
        button.textContent = gettext("Karte laden");
        button.addEventListener("click", function () {
            consent.remember(host);
            release(host);
        });
        box.appendChild(text);
        box.appendChild(button);
        element.hidden = true;
        element.parentNode.insertBefore(box, element);
        waiting.push({ host: host, element: element, gate: box, start: start });
    }

    // start(): builds the map; runs at once when the tiles come from the portal itself or the
    // host was allowed before, otherwise after "Karte laden"
    function whenAllowed(element, start) {
        var host = tileHost(element.dataset.tileUrl);
        if (allowed(host)) {
            start();
        } else {
            gate(element, host, start);
        }
    }

    function create(element, options) {
        var center = (element.dataset.center || "0,0").split(",").map(Number);
        var map = L.map(element, Object.assign({
            center: center,
            zoom: Number(element.dataset.zoom) || 13,
            zoomControl: false,
        }, options || {}));
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
        return map;
    }

    window.PortalMap = { whenAllowed: whenAllowed, create: create };
})();
