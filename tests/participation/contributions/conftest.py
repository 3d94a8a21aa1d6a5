"""People, projects and helpers for the contributions tests."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from participation.projects.constants import Module
from participation.projects.models import ParticipationBlock
from participation.projects.rules import MODERATORS_GROUP
from portal.accounts.models import TrustLevel
from portal.accounts.signals import SECOND_FACTOR_SESSION_KEY
from portal.core import doorbell
from tests.factories import UserFactory
from tests.participation.factories import phase, project

ROLES = ("anonymous", "new", "confirmed", "blocked", "moderator")


def citizen(**fields):
    """A person with a confirmed e-mail address (trust level 1), as allauth leaves them."""
    fields.setdefault("trust_level", TrustLevel.EMAIL_CONFIRMED)
    return UserFactory(**fields)


def moderator_user(**fields):
    user = citizen(**fields)
    user.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    return user


def blocked_user(**fields):
    user = citizen(**fields)
    ParticipationBlock.objects.create(user=user, reason="Beleidigungen")
    return user


def user_for(role: str):
    """A user of each role of the permission matrix (None: anonymous)."""
    if role == "anonymous":
        return None
    if role == "new":
        return UserFactory(trust_level=TrustLevel.NEW, confirmed=False)
    if role == "confirmed":
        return citizen()
    if role == "blocked":
        return blocked_user()
    if role == "moderator":
        return moderator_user()
    raise ValueError(role)


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def admin_client(user) -> Client:
    """A staff client whose session has passed the second factor (as after allauth's TOTP step,
    see tests/conftest.py login_with_second_factor)."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[SECOND_FACTOR_SESSION_KEY] = user.pk
    session.save()
    return client


def open_project(modules=(Module.IDEAS, Module.COMMENTS, Module.RATINGS), **fields):
    """A published project whose running phase switches `modules` on."""
    vorhaben = project(**fields)
    phase(vorhaben, modules=list(modules))
    return vorhaben


@pytest.fixture
def enqueued(monkeypatch):
    """The outbox's send tasks sent to the broker, as message ids; nothing reaches a broker."""
    from portal.core.tasks import outbox_send_task

    sent: list[int] = []
    doorbell.unpause()
    monkeypatch.setattr(
        outbox_send_task,
        "apply_async",
        lambda args, **kwargs: sent.append(args[0]),
    )
    return sent
