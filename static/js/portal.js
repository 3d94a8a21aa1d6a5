/*
 * Bürgerportal – progressive enhancement only. Every page works without this file.
 *  - focuses the error summary after a failed form submission
 *  - collapses the main navigation behind a "Menü" button on small screens
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
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }
})();
