/*
 * Mängelmelder – progressive enhancement only; the form works without this file.
 *  - "Meinen Standort verwenden": fills the hidden latitude/longitude fields from the browser's
 *    location. The address field stays the way that always works.
 */
(function () {
    "use strict";

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
            status.textContent = "Ihr Standort ist übernommen.";
        }
        button.addEventListener("click", function () {
            status.textContent = "Standort wird ermittelt …";
            navigator.geolocation.getCurrentPosition(
                function (position) {
                    latitude.value = position.coords.latitude.toFixed(6);
                    longitude.value = position.coords.longitude.toFixed(6);
                    status.textContent =
                        "Ihr Standort ist übernommen (Genauigkeit etwa " +
                        Math.round(position.coords.accuracy) +
                        " m). Eine Adresse ist jetzt nicht mehr nötig, hilft aber beim Finden.";
                },
                function () {
                    status.textContent =
                        "Ihr Standort konnte nicht ermittelt werden. Bitte geben Sie die Adresse ein.";
                },
                { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
            );
        });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", enhanceLocate);
    } else {
        enhanceLocate();
    }
})();
