from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectStatus(models.TextChoices):
    PLANNING = "in_planung", _("in Planung")
    IMPLEMENTING = "in_umsetzung", _("in Umsetzung")
    PARTLY = "teilweise", _("teilweise in Umsetzung")
    DONE = "abgeschlossen", _("abgeschlossen")


class Intensity(models.TextChoices):
    """How much say the public has in a phase (the ladder of participation)."""

    INFORMATION = "information", _("Information")
    CONSULTATION = "konsultation", _("Konsultation")
    CODECISION = "mitentscheidung", _("Mitentscheidung")
    DECISION = "entscheidung", _("Entscheidung")


# What each level means for the input, said plainly on the project page (an editor may refine it
# per phase).
INTENSITY_EXPLAINED = {
    Intensity.INFORMATION: _(
        "Wir informieren Sie. In dieser Phase können Sie nicht mitentscheiden; Fragen "
        "beantworten wir gern."
    ),
    Intensity.CONSULTATION: _(
        "Wir fragen Sie nach Ihrer Meinung. Alle Beiträge werden ausgewertet und fließen in die "
        "Planung ein; entschieden wird danach von Verwaltung und Rat."
    ),
    Intensity.CODECISION: _(
        "Sie entscheiden mit. Das Ergebnis ist für die Verwaltung bindend, soweit Recht und "
        "Haushalt es zulassen."
    ),
    Intensity.DECISION: _("Sie entscheiden. Das Ergebnis wird umgesetzt."),
}


class Module(models.TextChoices):
    """What people can do in a phase. A phase switches modules on; rules.py decides per person."""

    IDEAS = "ideen", _("Ideen einreichen")
    COMMENTS = "kommentare", _("Kommentieren")
    RATINGS = "bewerten", _("Unterstützen")
    POLLS = "umfrage", _("Umfrage beantworten")


class ContributionChannel(models.TextChoices):
    """Where a contribution came from; offline channels are entered by staff (MitMachBüro)."""

    ONLINE = "online", _("online")
    MITMACHBUERO = "mitmachbuero", _("MitMachBüro")
    EVENT = "veranstaltung", _("Veranstaltung")
    LETTER = "brief", _("Brief")
    PHONE = "telefon", _("Telefon")


OFFLINE_CHANNELS = frozenset(set(ContributionChannel) - {ContributionChannel.ONLINE})


class ResultsVisibility(models.TextChoices):
    IMMEDIATELY = "sofort", _("sofort nach der Teilnahme")
    AFTER_PHASE = "nach_phase", _("nach Ende der Phase")


class EventFormat(models.TextChoices):
    ON_SITE = "vor_ort", _("vor Ort")
    ONLINE = "online", _("online")
    HYBRID = "hybrid", _("hybrid (vor Ort und im Livestream)")


SDG_CHOICES = [
    (1, _("1 Keine Armut")),
    (2, _("2 Kein Hunger")),
    (3, _("3 Gesundheit und Wohlergehen")),
    (4, _("4 Hochwertige Bildung")),
    (5, _("5 Geschlechtergleichheit")),
    (6, _("6 Sauberes Wasser und Sanitäreinrichtungen")),
    (7, _("7 Bezahlbare und saubere Energie")),
    (8, _("8 Menschenwürdige Arbeit und Wirtschaftswachstum")),
    (9, _("9 Industrie, Innovation und Infrastruktur")),
    (10, _("10 Weniger Ungleichheiten")),
    (11, _("11 Nachhaltige Städte und Gemeinden")),
    (12, _("12 Nachhaltige/r Konsum und Produktion")),
    (13, _("13 Maßnahmen zum Klimaschutz")),
    (14, _("14 Leben unter Wasser")),
    (15, _("15 Leben an Land")),
    (16, _("16 Frieden, Gerechtigkeit und starke Institutionen")),
    (17, _("17 Partnerschaften zur Erreichung der Ziele")),
]
