"""The moderation workflow of ideas and comments: states, the one map of allowed transitions, and
what the audit log records."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from participation.projects.constants import ContributionChannel
from portal.core.workflow import Workflow

TITLE_MAX = 120
TEXT_MAX = 2000
REASON_MAX = 1000
REPORT_REASON_MAX = 500


class ContributionKind(models.TextChoices):
    """Also the URL word of a contribution (/mitmachen/idee/12/melden/)."""

    IDEA = "idee", _("Idee")
    COMMENT = "kommentar", _("Kommentar")


class ModerationState(models.TextChoices):
    VISIBLE = "sichtbar", _("sichtbar")
    AUTO_HIDDEN = "gemeldet", _("nach Meldungen ausgeblendet – wartet auf Entscheidung")
    HIDDEN = "ausgeblendet", _("von der Moderation ausgeblendet")
    DELETED = "geloescht", _("von der Verfasserin oder dem Verfasser gelöscht")


# from → allowed to. Only the services in services.py and moderation.py change the state.
MODERATION_WORKFLOW = Workflow(
    "moderation",
    {
        ModerationState.VISIBLE: frozenset(
            {ModerationState.AUTO_HIDDEN, ModerationState.HIDDEN, ModerationState.DELETED}
        ),
        ModerationState.AUTO_HIDDEN: frozenset(
            {ModerationState.VISIBLE, ModerationState.HIDDEN, ModerationState.DELETED}
        ),
        ModerationState.HIDDEN: frozenset({ModerationState.VISIBLE, ModerationState.DELETED}),
        ModerationState.DELETED: frozenset(),
    },
    states=ModerationState,
)


class ModerationAction(models.TextChoices):
    """One line of the audit log: a decision, made by a moderator or (auto-hide) by the rules."""

    AUTO_HIDDEN = "automatisch_ausgeblendet", _("automatisch ausgeblendet (Meldungen)")
    HIDDEN = "ausgeblendet", _("ausgeblendet")
    RESTORED = "wiederhergestellt", _("wieder sichtbar gemacht")
    REPORTS_DISMISSED = "meldungen_abgewiesen", _("Meldungen abgewiesen, bleibt sichtbar")
    USER_BLOCKED = "gesperrt", _("Person gesperrt")
    USER_UNBLOCKED = "entsperrt", _("Sperre aufgehoben")
    TICKET_OPENED = "als_anliegen", _("als Anliegen weitergegeben")
    OFFLINE_ENTERED = "offline_erfasst", _("offline eingegangen, erfasst")


# How an offline contribution is marked publicly ("im MitMachBüro eingegangen").
CHANNEL_RECEIVED = {
    ContributionChannel.MITMACHBUERO: _("im MitMachBüro eingegangen"),
    ContributionChannel.EVENT: _("bei einer Veranstaltung eingegangen"),
    ContributionChannel.LETTER: _("per Brief eingegangen"),
    ContributionChannel.PHONE: _("per Telefon eingegangen"),
}

# The ticket channel of an Anliegen made from a contribution (tickets know no "Veranstaltung":
# such input reached the city through its MitMachBüro staff).
TICKET_CHANNEL = {
    ContributionChannel.ONLINE: "online",
    ContributionChannel.MITMACHBUERO: "mitmachbuero",
    ContributionChannel.EVENT: "mitmachbuero",
    ContributionChannel.LETTER: "brief",
    ContributionChannel.PHONE: "telefon",
}

SOURCE_KIND = "beteiligung"

# The discussion of a Vorhaben (and of its ideas) is shown in pages of this many top-level
# comments, each with all its replies; `?beitraege=2` is the second page (views read it).
DISCUSSION_PAGE_SIZE = 20
DISCUSSION_PAGE_PARAM = "beitraege"
# How long a rendered comment stays in the fragment cache. Its key names everything it shows
# (selectors.discussion.fragment_version), so a change is never served stale; this only bounds
# the memory that old versions take.
DISCUSSION_FRAGMENT_SECONDS = 7 * 24 * 3600
