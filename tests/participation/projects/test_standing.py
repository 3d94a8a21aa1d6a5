"""remember_standing(): the one query a project page asks about its viewer gives the same answers
as the permission checks asked one by one (blocked, Moderation group, department, every
Anliegen through the permission itself, a group or as superuser)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from participation.projects import rules
from participation.projects.models import ParticipationBlock
from portal.departments.models import DepartmentMembership
from tests.factories import DepartmentFactory, UserFactory
from tests.participation.factories import project

pytestmark = pytest.mark.django_db


def asked_one_by_one(user, vorhaben) -> tuple:
    fresh = type(user).objects.get(pk=user.pk)  # nothing remembered
    return (
        rules.is_blocked(fresh),
        rules.is_moderator(fresh, vorhaben),
        fresh.has_perm("projects.moderate", vorhaben),
    )


def asked_at_once(user, vorhaben) -> tuple:
    fresh = type(user).objects.get(pk=user.pk)
    rules.remember_standing(fresh, vorhaben)
    return (
        rules.is_blocked(fresh),
        rules.is_moderator(fresh, vorhaben),
        fresh.has_perm("projects.moderate", vorhaben),
    )


def people(department) -> dict:
    everyone = {name: UserFactory() for name in (
        "citizen", "blocked", "block_over", "moderator", "member", "other_member",
        "own_permission", "group_permission", "superuser", "inactive_superuser",
    )}  # fmt: skip
    ParticipationBlock.objects.create(user=everyone["blocked"], reason="x")
    ParticipationBlock.objects.create(
        user=everyone["block_over"], reason="x", until=timezone.now() - timedelta(days=1)
    )
    everyone["moderator"].groups.add(Group.objects.get(name=rules.MODERATORS_GROUP))
    DepartmentMembership.objects.create(user=everyone["member"], department=department)
    DepartmentMembership.objects.create(
        user=everyone["other_member"], department=DepartmentFactory()
    )
    permission = Permission.objects.get(
        content_type__app_label="tickets", codename="view_all_tickets"
    )
    everyone["own_permission"].user_permissions.add(permission)
    group = Group.objects.create(name="Leitstelle")
    group.permissions.add(permission)
    everyone["group_permission"].groups.add(group)
    for name in ("superuser", "inactive_superuser"):
        everyone[name].is_superuser = True
        everyone[name].save()
    everyone["inactive_superuser"].is_active = False
    everyone["inactive_superuser"].save()
    return everyone


@pytest.mark.parametrize("with_department", [True, False])
def test_the_one_query_answers_as_the_checks_one_by_one(with_department):
    department = DepartmentFactory()
    vorhaben = project(department=department if with_department else None)
    answers = {}
    for name, user in people(department).items():
        answers[name] = asked_at_once(user, vorhaben)
        assert answers[name] == asked_one_by_one(user, vorhaben), name
    assert answers["blocked"][0] and not answers["block_over"][0]
    assert answers["moderator"][1] and answers["own_permission"][1]
    assert answers["group_permission"][1] and answers["superuser"][1]
    assert answers["member"][1] is with_department
    assert not answers["citizen"][1] and not answers["other_member"][1]
    assert not answers["inactive_superuser"][1]
