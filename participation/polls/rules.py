"""Who may do what with polls in the admin. Answering is `projects.answer_poll` (the project's
rules); here: editing polls (moderators and editors with the model permission from their group),
reading the results with the free texts (the project's moderators) and entering paper
questionnaires (the project's MitMachBüro staff)."""

import rules

from participation.projects.rules import is_moderator
from portal.tickets.rules import is_department_staff


@rules.predicate
def moderates_poll_project(user, poll) -> bool:
    return poll is not None and user.has_perm("projects.moderate", poll.project)


@rules.predicate
def enters_offline_for_poll_project(user, poll) -> bool:
    return poll is not None and user.has_perm("projects.add_offline_contribution", poll.project)


# the admin's list of polls: department staff see their projects' polls (selectors)
rules.add_perm("polls.view_poll", is_moderator | is_department_staff)
rules.add_perm("polls.add_poll", is_moderator)
rules.add_perm("polls.change_poll", is_moderator)
rules.add_perm("polls.delete_poll", is_moderator)
rules.add_perm("polls.view_results", moderates_poll_project)
rules.add_perm("polls.add_offline_response", enters_offline_for_poll_project)
