"""What the follow box on a project page needs to know about the signed-in visitor."""

from django import template

from ..selectors import follow_for_user

register = template.Library()


@register.simple_tag(takes_context=True)
def project_follow_of_visitor(context, project):
    """The visitor's follow of the project (signed-in only; at most one query), or None."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return follow_for_user(project=project, user=user, answers=context.get("viewer_answers"))
