"""Who may do what with tickets. A clerk sees and changes only their departments' tickets."""

import rules

from .selectors import user_department_ids, user_headed_department_ids, user_is_ticket_admin


@rules.predicate
def is_ticket_admin(user) -> bool:
    return user_is_ticket_admin(user)


@rules.predicate
def is_department_staff(user) -> bool:
    return bool(user_department_ids(user))


@rules.predicate
def works_in_ticket_department(user, ticket) -> bool:
    return ticket is not None and ticket.department_id in user_department_ids(user)


@rules.predicate
def heads_department(user, department) -> bool:
    return department is not None and department.pk in user_headed_department_ids(user)


@rules.predicate
def heads_any_department(user) -> bool:
    return bool(user_headed_department_ids(user))


rules.add_perm("tickets.access_queue", is_ticket_admin | is_department_staff)
rules.add_perm("tickets.view_ticket", is_ticket_admin | works_in_ticket_department)
rules.add_perm("tickets.handle_ticket", is_ticket_admin | works_in_ticket_department)
rules.add_perm("tickets.view_statistics", is_ticket_admin | heads_department)
rules.add_perm("tickets.access_statistics", is_ticket_admin | heads_any_department)
rules.add_perm("tickets.retry_failed_job", is_ticket_admin)


@rules.predicate
def may_change_routing_rules(user) -> bool:
    # the model permission Wagtail's snippet editor checks, from the user's groups
    return user.is_active and "tickets.change_routingrule" in user.get_all_permissions()


# editors who may change the routing rules may also try them out
rules.add_perm("tickets.test_routing_rules", is_ticket_admin | may_change_routing_rules)
