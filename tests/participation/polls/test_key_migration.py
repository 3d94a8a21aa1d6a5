"""Answers given before the browser keys were hashed: the migration replaces every stored key
(and the project's participant key) by its keyed hash, so the same browser is still recognised
and may not answer twice, and a copy of the database holds no key a browser presents."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse

from participation.polls.cookies import browser_key_digest, browser_key_set
from participation.polls.models import Response
from participation.projects.models import ProjectParticipant

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TOKEN = "alter-schluessel-aus-dem-cookie-0123"


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


def test_stored_keys_become_hashes_and_the_browser_is_still_recognised(client, poll, data):
    _migrate(("polls", "0001_initial"))
    Response.objects.create(poll=poll, browser_key=TOKEN, channel="online")
    ProjectParticipant.objects.create(project=poll.project, key=f"browser:{TOKEN}")
    _migrate(("polls", "0002_hash_browser_keys"))

    stored = Response.objects.get()
    assert stored.browser_key == browser_key_digest(TOKEN)
    assert ProjectParticipant.objects.get().key == f"browser:{browser_key_digest(TOKEN)}"

    # the browser with the old cookie comes back: it has answered already
    with_cookie = HttpResponse()
    browser_key_set(with_cookie, TOKEN)
    client.cookies["umfrage_browser"] = with_cookie.cookies["umfrage_browser"].value
    response = client.post(f"/umfragen/{poll.pk}/antworten/", data.valid())
    assert response.status_code == 409
    assert Response.objects.count() == 1
