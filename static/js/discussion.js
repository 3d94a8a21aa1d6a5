/*
 * Discussion – progressive enhancement only; without this file "Weitere Beiträge" is a plain
 * link to the next page of the discussion (?beitraege=2#diskussion).
 *  - With it, the next page is fetched and its comments are added to the list in place; the
 *    link then points to the page after (or goes away on the last page).
 *  - The focus moves to the first new comment, and a polite live region says how many came.
 *  - Should the request fail, the browser simply follows the link.
 * Texts are German msgids translated by Django's JavaScript catalog (/jsi18n/, loaded before
 * this file); each msgid is one string literal, so that `makemessages -d djangojs` finds it.
 */
(function () {
    "use strict";

    // should the catalog fail to load, the German msgids are shown as they are
    var ngettext = window.ngettext || function (singular, plural, count) {
        return count === 1 ? singular : plural;
    };
    var interpolate = window.interpolate || function (format, values) {
        var rest = values.slice();
        return format.replace(/%s/g, function () { return String(rest.shift()); });
    };

    function loadMore(section, link) {
        var list = section.querySelector("[data-discussion-list]");
        var status = section.querySelector("[data-discussion-status]");
        if (!list || link.getAttribute("aria-disabled") === "true") {
            return;
        }
        link.setAttribute("aria-disabled", "true");
        list.setAttribute("aria-busy", "true");
        window.fetch(link.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
            .then(function (response) {
                if (!response.ok) {
                    throw new Error(String(response.status));
                }
                return response.text();
            })
            .then(function (html) {
                var page = new DOMParser().parseFromString(html, "text/html");
                var fetched = page.querySelector("#" + section.id + " [data-discussion-list]");
                if (!fetched) {
                    throw new Error("no discussion");
                }
                var items = Array.prototype.slice.call(fetched.children);
                var first = null;
                items.forEach(function (item) {
                    var node = document.importNode(item, true);
                    list.appendChild(node);
                    first = first || node.querySelector("article");
                });
                var next = page.querySelector("#" + section.id + " [data-discussion-more]");
                if (next) {
                    link.href = next.getAttribute("href");
                    link.removeAttribute("aria-disabled");
                } else {
                    var nav = link.closest("[data-discussion-pages]");
                    link.remove();
                    if (nav && !nav.querySelector("a")) {
                        nav.remove();
                    }
                }
                list.removeAttribute("aria-busy");
                if (status) {
                    status.textContent = interpolate(
                        ngettext(
                            "%s weiterer Beitrag geladen.",
                            "%s weitere Beiträge geladen.",
                            items.length
                        ),
                        [items.length]
                    );
                }
                if (first) {
                    first.setAttribute("tabindex", "-1");
                    first.focus();
                }
            })
            .catch(function () {
                window.location.href = link.href;
            });
    }

    function enhance(section) {
        var link = section.querySelector("[data-discussion-more]");
        if (!link || !window.fetch || !window.DOMParser) {
            return;
        }
        link.addEventListener("click", function (event) {
            if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) {
                return; // a new tab or window: the plain link
            }
            event.preventDefault();
            loadMore(section, link);
        });
    }

    function start() {
        Array.prototype.forEach.call(
            document.querySelectorAll("section[id]"),
            function (section) {
                if (section.querySelector("[data-discussion-list]")) {
                    enhance(section);
                }
            }
        );
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
