"""The polls' row in the public figures' participation table (participation.contributions)."""

from django.utils.translation import gettext as _

from participation.contributions.figures import EXTRA_ROWS, channel_counts

from .models import Response


def _poll_row(start) -> tuple[str, str, int, int]:
    return ("umfragen", _("Antworten auf Umfragen"), *channel_counts(Response.objects.all(), start))


EXTRA_ROWS.append(_poll_row)
