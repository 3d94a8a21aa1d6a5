"""The public poll pages: a poll on its own page (the project page shows the same block) and the
POST that answers it. No account needed: honeypot, a rate limit per IP address and one answer
per browser (signed cookie) and per account."""

import math

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from portal.core.errors import ApplicationError
from portal.core.ratelimit import client_ip, rate_limit_hit

from .cookies import browser_cookie_get, browser_key_digest, browser_key_new, browser_key_set
from .forms import PollForm
from .selectors import MSG_BLOCKED, MSG_NOT_NOW, poll_blocks, poll_get_public
from .services import poll_answer

RATE_WINDOW = 60 * 60  # the limit counts per hour

MSG_THANKS = gettext_lazy("Vielen Dank! Ihre Antworten sind gespeichert.")


def _poll_or_404(pk: int):
    poll = poll_get_public(pk=pk)
    if poll is None:
        raise Http404
    return poll


def _project_url(request, poll) -> str:
    return f"{poll.project.get_url(request)}#umfrage-{poll.pk}"


def _render(request, poll, *, form=None, status: int = 200, error: str = ""):
    blocks = poll_blocks(
        project=poll.project, request=request, polls=[poll], forms={poll.pk: form} if form else None
    )
    return render(
        request,
        "polls/poll_detail.html",
        {
            "poll": poll,
            "project": poll.project,
            "project_url": poll.project.get_url(request),
            "poll_block": blocks[0] if blocks else None,
            "error": error,
        },
        status=status,
    )


@require_GET
def poll_detail_view(request, pk: int):
    return _render(request, _poll_or_404(pk))


@require_POST
def poll_answer_view(request, pk: int):
    poll = _poll_or_404(pk)
    form = PollForm(request.POST, poll=poll)
    wait = rate_limit_hit(
        scope="poll-answer-ip",
        identity=client_ip(request),
        limit=settings.POLLS_ANSWER_LIMIT_PER_IP_HOUR,
        seconds=RATE_WINDOW,
    )
    if wait:
        return _too_many(request, poll, form, wait)
    if form.is_spam:
        # bots get the same answer as people, and nothing is saved
        messages.success(request, MSG_THANKS)
        return redirect(_project_url(request, poll))
    if not request.user.has_perm("projects.answer_poll", poll.project):
        from participation.projects.rules import is_blocked

        message = MSG_BLOCKED if is_blocked(request.user) else MSG_NOT_NOW
        return _render(request, poll, status=403, error=str(message))
    if not form.is_valid():
        return _render(request, poll, form=form)
    key = browser_cookie_get(request) or browser_key_new()
    try:
        poll_answer(
            poll=poll,
            answers=form.answers(),
            user=request.user,
            browser_key=browser_key_digest(key),
        )
    except ApplicationError as error:
        if error.field in form.fields:
            form.add_error(error.field, error.message)
            return _render(request, poll, form=form)
        return _render(request, poll, status=409, error=error.message)
    messages.success(request, MSG_THANKS)
    response = redirect(_project_url(request, poll))
    browser_key_set(response, key)
    return response


def _too_many(request, poll, form: PollForm, wait: int):
    """429: the poll again, with the reason in the form's error summary."""
    minutes = math.ceil(wait / 60)
    form.is_valid()  # the form keeps what was entered
    message = ngettext(
        "In kurzer Zeit kamen von Ihrem Anschluss zu viele Antworten. Bitte versuchen Sie es "
        "in %(minutes)s Minute noch einmal.",
        "In kurzer Zeit kamen von Ihrem Anschluss zu viele Antworten. Bitte versuchen Sie es "
        "in %(minutes)s Minuten noch einmal.",
        minutes,
    ) % {"minutes": minutes}
    form.add_error(None, message)
    response = _render(request, poll, form=form, status=429, error=message)
    response["Retry-After"] = str(wait)
    return response
