"""With the real parts: a moderator hides a comment in the admin, the real Celery worker sends the
author the reason by e-mail."""

import pytest

from participation.contributions import services
from portal.core.models import OutboxMessage
from tests.waiting import filed_mails, wait_until

from .conftest import admin_client, citizen, moderator_user, open_project

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REASON = "Persönliche Daten Dritter werden hier nicht veröffentlicht."


def test_worker_tells_the_author_why(vorhabenliste, redis_server, start_celery_worker, tmp_path):
    mail_dir = tmp_path / "mail"
    start_celery_worker(
        redis_server,
        TEST_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        TEST_EMAIL_FILE_PATH=str(mail_dir),
    )
    vorhaben = open_project(title="Marktplatz")
    author = citizen(email="autorin@example.org")
    comment = services.comment_create(
        actor=author, target=vorhaben, text="Herr M. aus der Hauptstraße 5 parkt immer falsch."
    )
    response = admin_client(moderator_user()).post(
        f"/admin/beteiligung/kommentar/{comment.pk}/ausblenden/", {"reason": REASON}
    )
    assert response.status_code == 302

    def sent():
        return OutboxMessage.objects.filter(
            kind="contributions.moderation_notice", sent_at__isnull=False
        ).exists()

    assert wait_until(sent), "the worker sent no e-mail"
    mails = filed_mails(mail_dir)
    assert len(mails) == 1
    assert "To: autorin@example.org" in mails[0]
    assert "Persönliche Daten Dritter" in mails[0] or "Pers=C3=B6nliche" in mails[0]
