"""Who may do what in a project, decided by role × phase (as in adhocracy4).

Permissions take the project page as object. A module is open when the project's running phase
switches it on; contributing also needs a confirmed e-mail account (polls: anyone) and no active
block. Moderation belongs to the project's department, the Beteiligung staff and admins.
"""

import functools
from datetime import timedelta

import rules
from django.db.models import Q
from django.utils import timezone

from portal.tickets.rules import is_ticket_admin

from .constants import Module

MODERATORS_GROUP = "Moderation"


@rules.predicate
def is_confirmed(user) -> bool:
    from portal.accounts.models import TrustLevel

    return bool(user and user.is_authenticated and user.trust_level >= TrustLevel.EMAIL_CONFIRMED)


# A page asks the same about one person several times (every module's permission asks whether
# they are blocked): the answer is kept on the user object, which lives for one request, for a
# second at most and until this process writes a block, a membership or a group (then every
# kept answer is asked again).
_generation = 0
_KEPT = timedelta(seconds=1)


def _memo(user) -> dict:
    now = timezone.now()
    # getattr/setattr, not __dict__: request.user is a lazy wrapper of the user object
    memo = getattr(user, "_participation_rules", None)
    if memo is None or memo[0] != _generation or not memo[1] <= now < memo[1] + _KEPT:
        memo = (_generation, now, {})
        user._participation_rules = memo
    return memo[2]


def _remembered(user, name: str, compute) -> bool:
    memo = _memo(user)
    if name not in memo:
        memo[name] = compute()
    return memo[name]


def standing_questions(user, project=None) -> dict:
    """What a project page's permission checks will ask about `user` one by one, as questions
    to ask in one query (portal.core.sql.ask): blocked, in the Moderation group, a member of the
    project's department (with a project), allowed to see every Anliegen (Django's own rule:
    active, and a superuser or holding the permission itself or through a group)."""
    if not (user and user.is_authenticated):
        return {}
    from portal.core.sql import exists

    blocked, moderators, member, all_tickets = _standing_sql()
    questions = {
        "standing:blocked": (exists(blocked), [user.pk, timezone.now()]),
        "standing:moderators": (exists(moderators), [user.pk, MODERATORS_GROUP]),
        "standing:all_tickets": (
            exists(all_tickets),
            ["tickets", "view_all_tickets", user.pk, user.pk],
        ),
    }
    if project is not None and project.department_id is not None:
        questions["standing:member"] = (exists(member), [user.pk, project.department_id])
    return questions


def remember_standing(user, project=None, answers: dict | None = None) -> None:
    """Keep the answers of `standing_questions` (asked now, when not given) for the permission
    checks of this request."""
    if not (user and user.is_authenticated):
        return
    if answers is None:
        from portal.core.sql import ask

        answers = ask(standing_questions(user, project))
    memo = _memo(user)
    memo["blocked"] = bool(answers["standing:blocked"])
    memo["moderators"] = bool(answers["standing:moderators"])
    if "standing:member" in answers:
        memo[f"member:{project.department_id}"] = bool(answers["standing:member"])
    memo["ticket_admin"] = user.is_active and (
        user.is_superuser or bool(answers["standing:all_tickets"])
    )


@functools.cache
def _standing_sql() -> tuple[str, ...]:
    """The four questions in plain SQL: the ORM takes longer to build them (Exists, OuterRef)
    than the database takes to answer, on every project page."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    from portal.core.sql import column, table
    from portal.departments.models import DepartmentMembership

    from .models import ParticipationBlock

    person = get_user_model()
    of_person = person._meta.model_name  # the user's column in the m2m tables
    groups = person._meta.get_field("groups").remote_field.through
    own_permissions = person._meta.get_field("user_permissions").remote_field.through
    group_permissions = Group._meta.get_field("permissions").remote_field.through
    until = column(ParticipationBlock, "until")
    permission_id = f"p.{column(Permission, 'id')}"
    return (
        f"SELECT 1 FROM {table(ParticipationBlock)} WHERE {column(ParticipationBlock, 'user')} = %s"
        f" AND ({until} IS NULL OR {until} > %s)",
        f"SELECT 1 FROM {table(groups)} ug INNER JOIN {table(Group)} g"
        f" ON g.{column(Group, 'id')} = ug.{column(groups, 'group')}"
        f" WHERE ug.{column(groups, of_person)} = %s AND g.{column(Group, 'name')} = %s",
        f"SELECT 1 FROM {table(DepartmentMembership)}"
        f" WHERE {column(DepartmentMembership, 'user')} = %s"
        f" AND {column(DepartmentMembership, 'department')} = %s",
        f"SELECT 1 FROM {table(Permission)} p INNER JOIN {table(ContentType)} ct"
        f" ON ct.{column(ContentType, 'id')} = p.{column(Permission, 'content_type')}"
        f" WHERE ct.{column(ContentType, 'app_label')} = %s"
        f" AND p.{column(Permission, 'codename')} = %s"
        f" AND ({permission_id} IN (SELECT {column(own_permissions, 'permission')}"
        f" FROM {table(own_permissions)} WHERE {column(own_permissions, of_person)} = %s)"
        f" OR {permission_id} IN (SELECT gp.{column(group_permissions, 'permission')}"
        f" FROM {table(group_permissions)} gp INNER JOIN {table(groups)} ug"
        f" ON ug.{column(groups, 'group')} = gp.{column(group_permissions, 'group')}"
        f" WHERE ug.{column(groups, of_person)} = %s))",
    )


def forget_remembered(**kwargs) -> None:
    """Connected to the writes that change an answer (participation.projects.apps)."""
    global _generation
    _generation += 1


@rules.predicate
def is_blocked(user) -> bool:
    if not (user and user.is_authenticated):
        return False
    from .models import ParticipationBlock

    def blocked() -> bool:
        now = timezone.now()
        return (
            ParticipationBlock.objects.filter(user=user)
            .filter(Q(until__isnull=True) | Q(until__gt=now))
            .exists()
        )

    return _remembered(user, "blocked", blocked)


def _phase_allows(module: str):
    @rules.predicate(name=f"phase_allows_{module}")
    def predicate(user, project) -> bool:
        if project is None:
            return False
        phase = project.phase_at()
        return phase is not None and phase.has_module(module)

    return predicate


phase_allows_ideas = _phase_allows(Module.IDEAS)
phase_allows_comments = _phase_allows(Module.COMMENTS)
phase_allows_ratings = _phase_allows(Module.RATINGS)
phase_allows_polls = _phase_allows(Module.POLLS)


@rules.predicate
def is_moderator(user, project=None) -> bool:
    if not (user and user.is_authenticated):
        return False
    if _remembered(user, "ticket_admin", lambda: is_ticket_admin(user)) or _remembered(
        user, "moderators", lambda: user.groups.filter(name=MODERATORS_GROUP).exists()
    ):
        return True
    if project is None or project.department_id is None:
        return False
    department_id = project.department_id
    return _remembered(
        user,
        f"member:{department_id}",
        lambda: user.department_memberships.filter(department_id=department_id).exists(),
    )


rules.add_perm("projects.add_idea", phase_allows_ideas & is_confirmed & ~is_blocked)
rules.add_perm("projects.add_comment", phase_allows_comments & is_confirmed & ~is_blocked)
rules.add_perm("projects.add_rating", phase_allows_ratings & is_confirmed & ~is_blocked)
rules.add_perm("projects.answer_poll", phase_allows_polls & ~is_blocked)
rules.add_perm("projects.moderate", is_moderator)
# staff of the MitMachBüro enter offline contributions in any phase of the project
rules.add_perm("projects.add_offline_contribution", is_moderator)
