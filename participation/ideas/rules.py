"""Who may do what in the Ideenpool. Submitting and supporting need a confirmed e-mail account and
no participation block (the projects' predicates); handling an idea belongs to the department its
ticket is routed to, the Moderation group (MitMachBüro) and ticket admins."""

import rules

from participation.projects.rules import MODERATORS_GROUP, is_blocked, is_confirmed
from portal.tickets.rules import is_department_staff, is_ticket_admin


@rules.predicate
def is_pool_staff(user) -> bool:
    """MitMachBüro staff and admins: every idea, offline input, moderation."""
    if not (user and user.is_authenticated):
        return False
    return is_ticket_admin(user) or user.groups.filter(name=MODERATORS_GROUP).exists()


@rules.predicate
def is_idea_department(user, idea) -> bool:
    """A member of the department the idea's ticket is routed to."""
    if not (user and user.is_authenticated) or idea is None or idea.ticket_id is None:
        return False
    department_id = idea.ticket.department_id
    return (
        department_id is not None
        and user.department_memberships.filter(department_id=department_id).exists()
    )


rules.add_perm("ideas.submit", is_confirmed & ~is_blocked)
rules.add_perm("ideas.support", is_confirmed & ~is_blocked)
rules.add_perm("ideas.enter_offline", is_pool_staff)
rules.add_perm("ideas.handle", is_pool_staff | is_idea_department)
rules.add_perm("ideas.view_admin", is_pool_staff | is_department_staff)


def allowed(permission: str, user, obj=None) -> bool:
    return rules.has_perm(permission, user, obj)
