"""Poll answers: who answered (an account or a browser key) and what they wrote (see
portal.core.privacy)."""

from portal.core.privacy import PUBLIC_TASK, Erasure, PersonalData, Retention, declare
from portal.core.retention import RetentionRule, register_rule

declare(
    PersonalData(
        model="polls.Response",
        category="Umfragen",
        purpose="Antworten einer Umfrage zählen, einmal je Person",
        legal_basis=PUBLIC_TASK,
        fields=("user", "entered_by", "browser_key"),
        people=("user",),
        erasure=Erasure.DETACH,
        retention=Retention(
            "der Browser-Schlüssel (eine mit dem Geheimschlüssel des Portals gebildete Prüfsumme "
            "des Zufallswerts im Cookie, der doppelte Antworten verhindert; der Wert selbst wird "
            "nicht gespeichert) "
            "wird geleert, wenn die letzte Phase des Vorhabens mit dem Modul „Umfrage "
            "beantworten“ seit der Frist (voreingestellt 30 Tage) vorbei ist, und in der Zählung "
            "der Teilnehmenden des Vorhabens durch einen Zufallswert ersetzt; die Antworten "
            "bleiben ohne ihn anonym mit der Umfrage. Die Zuordnung zu einem Konto bis zur "
            "Löschung des Kontos",
            setting="PRIVACY_POLL_KEY_DAYS",
            enforced=True,
        ),
    ),
    PersonalData(
        model="polls.Answer",
        category="Umfragen",
        purpose="Antworten auswerten",
        legal_basis=PUBLIC_TASK,
        fields=("text", "other_text"),
        people=("response__user",),
        erasure=Erasure.DETACH,
        retention=Retention("mit der Umfrage"),
    ),
)


def _browser_keys(cutoff) -> int:
    """Browser keys of polls that can no longer be answered: no phase of their project with the
    poll module ends after the cutoff (a later or prolonged poll phase keeps them, so that a
    browser still answers once). The key is the random value in the browser's cookie; without
    it, nothing ties the answers to a browser. The project's participant count holds the same
    key ("browser:<key>"): it gets a random one, so it still counts once and names no browser."""
    import secrets

    from participation.projects.constants import Module
    from participation.projects.models import Phase, ProjectParticipant

    from .models import Response

    still_open = {
        phase.project_id
        for phase in Phase.objects.filter(ends_at__gte=cutoff).only("project_id", "modules")
        if phase.has_module(Module.POLLS)
    }
    due = (
        Response.objects.filter(created_at__lt=cutoff)
        .exclude(browser_key="")
        .exclude(poll__project_id__in=still_open)
    )
    for project_id, key in set(due.values_list("poll__project_id", "browser_key")):
        ProjectParticipant.objects.filter(project_id=project_id, key=f"browser:{key}"[:80]).update(
            key=f"browser:{secrets.token_urlsafe(24)}"
        )
    return due.update(browser_key="")


register_rule(
    RetentionRule(
        name="polls.browser_keys",
        label="Browser-Schlüssel beendeter Umfragen",
        setting="PRIVACY_POLL_KEY_DAYS",
        erase=_browser_keys,
    )
)
