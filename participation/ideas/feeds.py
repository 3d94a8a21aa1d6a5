"""The Atom feed of the Ideenpool: the newest visible ideas with their stage. Nothing about their
authors."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.template.defaultfilters import linebreaksbr, truncatechars
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from portal.core.feeds import CleanAtom1Feed
from portal.core.links import absolute_url

from .selectors import idea_feed_items


class IdeaFeed(Feed):
    feed_type = CleanAtom1Feed

    def title(self) -> str:
        return _("Ideenpool – %(site)s") % {"site": settings.WAGTAIL_SITE_NAME}

    def subtitle(self) -> str:
        return _("Die neuesten Ideen aus dem Ideenpool mit ihrer Stufe.")

    def link(self) -> str:
        return absolute_url(reverse("ideas:list"))

    def feed_url(self) -> str:
        return absolute_url(reverse("ideas:feed"))

    def author_name(self) -> str:
        # Atom asks for an author: the city, never the person with the idea
        return settings.WAGTAIL_SITE_NAME

    def items(self):
        return idea_feed_items()

    def item_title(self, idea) -> str:
        return idea.title

    def item_description(self, idea) -> str:
        # the summary is HTML to feed readers: the citizen's text is escaped here
        stage = _("Stufe: %(stage)s") % {"stage": idea.get_stage_display()}
        return format_html(
            "<p>{}</p><p>{}</p>",
            stage,
            linebreaksbr(truncatechars(idea.text, 500), autoescape=True),
        )

    def item_link(self, idea) -> str:
        return absolute_url(idea.get_absolute_url())

    def item_pubdate(self, idea):
        return idea.submitted_at

    def item_updateddate(self, idea):
        return max(idea.stage_changed_at or idea.submitted_at, idea.submitted_at)

    def item_categories(self, idea):
        return [idea.field_of_action.name]
