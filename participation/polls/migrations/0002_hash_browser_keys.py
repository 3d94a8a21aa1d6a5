"""Answers and participant counts keep a keyed hash of the browser's cookie instead of its value
(participation.polls.cookies.browser_key_digest): a copy of the database no longer holds keys
that a browser presents. The hash is computed from SECRET_KEY as the running portal does."""

from django.db import migrations
from django.utils.crypto import salted_hmac

DIGEST_SALT = "participation.polls.browser.digest"  # as in participation/polls/cookies.py
PREFIX = "browser:"


def _digest(value: str) -> str:
    return salted_hmac(DIGEST_SALT, value, algorithm="sha256").hexdigest()


def hash_keys(apps, schema_editor):
    Response = apps.get_model("polls", "Response")
    for response in Response.objects.exclude(browser_key="").only("pk", "browser_key"):
        if len(response.browser_key) != 64:  # not hashed yet
            Response.objects.filter(pk=response.pk).update(
                browser_key=_digest(response.browser_key)
            )
    Participant = apps.get_model("projects", "ProjectParticipant")
    for participant in Participant.objects.filter(key__startswith=PREFIX).only("pk", "key"):
        value = participant.key[len(PREFIX) :]
        if len(value) != 64:
            Participant.objects.filter(pk=participant.pk).update(key=PREFIX + _digest(value))


class Migration(migrations.Migration):
    dependencies = [
        ("polls", "0001_initial"),
        ("projects", "0002_projectevent"),
    ]

    operations = [migrations.RunPython(hash_keys, migrations.RunPython.noop)]
