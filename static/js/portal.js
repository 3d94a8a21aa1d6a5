/*
 * Bürgerportal – progressive enhancement only. Every page works without this file.
 *  - focuses the error summary after a failed form submission
 *  - collapses the main navigation behind a "Menü" button on small screens
 *  - loads content of another provider (a video in rich text) only after "Inhalt laden",
 *    remembered per host in this browser (templates/wagtailembeds/embed_frontend.html)
 *  - fills the empty CSRF field of a form on a page from the cache when the form is sent
 *    ({% csrf_field %}, portal.core.pagecache); without it the server asks once more
 */
(function () {
    "use strict";

    document.documentElement.classList.remove("no-js");
    document.documentElement.classList.add("js");

    function focusErrorSummary() {
        var summary = document.getElementById("error-summary");
        if (summary) {
            summary.focus();
        }
    }

    // Links in the error summary: move focus to the field itself (not only scroll to it), and
    // bring its label into view, as the label says what the field is for.
    function enhanceErrorLinks() {
        var summary = document.getElementById("error-summary");
        if (!summary) {
            return;
        }
        summary.addEventListener("click", function (event) {
            var link = event.target.closest("a[href^='#']");
            if (!link) {
                return;
            }
            var field = document.getElementById(link.getAttribute("href").slice(1));
            if (!field) {
                return;
            }
            event.preventDefault();
            var container = field.closest(".field") || field;
            container.scrollIntoView();
            field.focus({ preventScroll: true });
        });
    }

    function enhanceMenu() {
        var toggle = document.querySelector(".menu-toggle");
        var nav = document.getElementById("main-nav");
        if (!toggle || !nav) {
            return;
        }
        toggle.hidden = false;
        nav.classList.add("is-collapsible");
        toggle.addEventListener("click", function () {
            var open = toggle.getAttribute("aria-expanded") === "true";
            toggle.setAttribute("aria-expanded", open ? "false" : "true");
            nav.classList.toggle("is-open", !open);
        });
        document.addEventListener("keydown", function (event) {
            if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
                toggle.setAttribute("aria-expanded", "false");
                nav.classList.remove("is-open");
                toggle.focus();
            }
        });
    }

    function init() {
        enhanceMenu();
        enhanceErrorLinks();
        focusErrorSummary();
        enhanceEmbeds();
        fillFormTokens();
    }

    // --- consent before third parties: a host the citizen allowed, remembered in this browser.
    // One store for every kind of content from another host (maps in static/js/map.js, embeds).
    var CONSENT_KEY = "erlaubt:";

    var consent = {
        allowed: function (host) {
            try {
                return window.localStorage.getItem(CONSENT_KEY + host) === "ja";
            } catch (error) {
                return false;
            }
        },
        remember: function (host) {
            try {
                window.localStorage.setItem(CONSENT_KEY + host, "ja");
            } catch (error) {
                // private mode: this page shows it, the question comes again next time
            }
        },
    };
    window.PortalConsent = consent;

    // --- embedded content of other providers: nothing goes to their host before the click -----

    function showEmbeds(host) {
        document.querySelectorAll("[data-embed-consent]").forEach(function (box) {
            if (box.dataset.host !== host) {
                return;
            }
            var template = box.querySelector("template[data-embed-html]");
            if (template) {
                box.replaceWith(template.content.cloneNode(true));
            }
        });
    }

    function enhanceEmbeds() {
        var hosts = {};
        document.querySelectorAll("[data-embed-consent]").forEach(function (box) {
            var host = box.dataset.host;
            hosts[host] = true;
            var button = box.querySelector("[data-embed-load]");
            if (!button) {
                return;
            }
            button.hidden = false;
            button.addEventListener("click", function () {
                consent.remember(host);
                showEmbeds(host);
            });
        });
        Object.keys(hosts).forEach(function (host) {
            if (consent.allowed(host)) {
                showEmbeds(host);
            }
        });
    }

    // A page from the cache carries no CSRF token (it is the same for every visitor): fetch one
    // for this browser, then send the form as the person sent it (with the button they used).
    function fillFormTokens() {
        document.addEventListener("submit", function (event) {
            var form = event.target;
            var field = form.querySelector("input[data-csrf-fill]");
            if (!field || field.value || !window.fetch) {
                return;
            }
            event.preventDefault();
            var submitter = event.submitter;
            fetch(field.getAttribute("data-csrf-fill"), {
                credentials: "same-origin",
                headers: { Accept: "application/json" }
            })
                .then(function (response) { return response.json(); })
                .then(function (body) { field.value = body.token; })
                .catch(function () { field.value = ""; })
                .then(function () {
                    // without a token the server shows the entries once more to be sent again
                    field.removeAttribute("data-csrf-fill");
                    if (form.requestSubmit) {
                        form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
                    } else {
                        form.submit();
                    }
                });
        });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }

})();
