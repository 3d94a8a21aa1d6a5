"""The kinds of subscription of following and the Mitmachpool, and the kinds of news."""

from django.db import models
from django.utils.translation import gettext_lazy as _

PROJECT = "following.project"  # "Vorhaben folgen": the target is a project
POOL = "following.pool"  # the Mitmachpool: no target, a scope of topics × districts


class NoticeKind(models.TextChoices):
    PHASE = "phase", _("Neue Phase")
    UPDATE = "fortschritt", _("Fortschrittsmeldung")
    RESULT = "ergebnis", _("Ergebnis")
    PARTICIPATION = "beteiligung", _("Beteiligung startet (Mitmachpool)")
