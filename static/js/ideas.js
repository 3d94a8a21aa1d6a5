/*
 * Ideenpool – progressive enhancement only; the idea form works without this file.
 *  - While the title is typed, similar ideas (ideas:similar, JSON) are listed in a polite live
 *    region under the title field, so that people can support an existing idea instead of
 *    submitting it twice. Asked for at most once per pause in typing.
 * The endpoint's address comes from data- attributes: the CSP allows no inline script. Texts are
 * German msgids translated by Django's JavaScript catalog (/jsi18n/, loaded before this file);
 * each msgid is one string literal, so that `makemessages -d djangojs` finds it.
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

    var DELAY_MS = 400;
    var MIN_LETTERS = 4;

    function text(tag, className, content) {
        var node = document.createElement(tag);
        node.className = className;
        node.textContent = content;
        return node;
    }

    function render(region, ideas) {
        region.textContent = "";
        if (!ideas.length) {
            return;
        }
        region.appendChild(
            text(
                "p",
                "pool-similar__title",
                gettext("Ähnliche Ideen gibt es schon – vielleicht möchten Sie eine davon unterstützen?")
            )
        );
        var list = document.createElement("ul");
        list.className = "pool-similar__list";
        ideas.forEach(function (idea) {
            var item = document.createElement("li");
            var link = text("a", "pool-similar__link", idea.title);
            link.href = idea.url;
            item.appendChild(link);
            var supports = interpolate(
                ngettext("%s Unterstützung", "%s Unterstützungen", idea.support_count),
                [idea.support_count]
            );
            item.appendChild(
                text("span", "pool-similar__meta", " (" + idea.stage_label + ", " + supports + ")")
            );
            list.appendChild(item);
        });
        region.appendChild(list);
    }

    function enhanceSimilar() {
        var region = document.querySelector("[data-pool-similar]");
        if (!region || !window.fetch) {
            return;
        }
        var input = document.getElementById(region.dataset.input);
        if (!input) {
            return;
        }
        var timer = null;
        var asked = "";
        var latest = 0;

        function ask() {
            var title = input.value.trim();
            if (title === asked) {
                return;
            }
            asked = title;
            var words = title.split(/\s+/).filter(function (word) {
                return word.length >= MIN_LETTERS;
            });
            if (!words.length) {
                render(region, []);
                return;
            }
            latest += 1;
            var request = latest;
            fetch(region.dataset.url + "?titel=" + encodeURIComponent(title), {
                headers: { Accept: "application/json" },
                credentials: "same-origin",
            })
                .then(function (response) {
                    return response.ok ? response.json() : { ideas: [] };
                })
                .then(function (data) {
                    // an older answer arriving late must not replace a newer one
                    if (request === latest) {
                        render(region, data.ideas || []);
                    }
                })
                .catch(function () {
                    // suggestions are a help, not a step: without them the form works as before
                });
        }

        input.addEventListener("input", function () {
            window.clearTimeout(timer);
            timer = window.setTimeout(ask, DELAY_MS);
        });
        if (input.value.trim()) {
            ask();
        }
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", enhanceSimilar);
    } else {
        enhanceSimilar();
    }
})();
