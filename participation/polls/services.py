"""Writes of the polls app: one response to a poll, online or entered by staff from paper.

The form parses; this module decides. Everything a form checks is checked here again (the
question belongs to the poll, the choice to the question, one choice for single choice, required
questions, "Sonstiges" with its text, lengths), so that no edge can write an invalid answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from participation.projects.constants import OFFLINE_CHANNELS, ContributionChannel
from participation.projects.services import participation_record
from portal.core.errors import ApplicationError

from .models import OTHER_TEXT_MAX, Answer, Poll, Question, QuestionKind, Response


@dataclass(frozen=True)
class AnswerInput:
    """What a person gave for one question."""

    question_id: int
    choice_ids: tuple[int, ...] = ()
    other: bool = False  # "Sonstiges" chosen
    other_text: str = ""
    text: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.choice_ids or self.other or self.other_text.strip() or self.text.strip())


def _msg_already_answered() -> str:
    return _("Sie haben diese Umfrage bereits beantwortet. Jede Person kann nur einmal teilnehmen.")


def poll_has_response(*, poll: Poll, user=None, browser_key: str = "") -> bool:
    """Whether this account or this browser has answered the poll."""
    match = Q(pk__in=[])
    if user is not None and user.is_authenticated:
        match |= Q(user=user)
    if browser_key:
        match |= Q(browser_key=browser_key)
    return Response.objects.filter(match, poll=poll).exists()


def _check_answers(
    *, poll: Poll, answers: Iterable[AnswerInput], enforce_required: bool
) -> list[AnswerInput]:
    """The given answers, checked against the poll's questions; empty answers dropped."""
    # a query of its own: chaining on `poll.questions` would reuse a prefetch's unfiltered
    # queryset when the poll came with its questions prefetched (and see every poll's questions)
    questions = {
        q.pk: q
        for q in Question.objects.filter(poll=poll)
        .order_by("sort_order", "pk")
        .prefetch_related("choices")
    }
    given: dict[int, AnswerInput] = {}
    for answer in answers:
        if answer.question_id not in questions:
            raise ApplicationError(_("Diese Frage gehört nicht zu dieser Umfrage."))
        given[answer.question_id] = answer
    text_max = settings.POLLS_FREE_TEXT_MAX_LENGTH
    checked = []
    for question in questions.values():
        answer = given.get(question.pk)
        field_name = f"q{question.pk}"
        if answer is None or answer.is_empty:
            if question.required and enforce_required:
                raise ApplicationError(
                    _("Bitte beantworten Sie die Frage „%(question)s“.") % {"question": question},
                    field=field_name,
                )
            continue
        if question.kind == QuestionKind.TEXT:
            if answer.choice_ids or answer.other:
                raise ApplicationError(_("Diese Frage hat keine Antwortmöglichkeiten."))
            if len(answer.text) > text_max:
                raise ApplicationError(
                    _("Bitte fassen Sie sich kürzer: höchstens %(max)d Zeichen.")
                    % {"max": text_max},
                    field=field_name,
                )
            checked.append(answer)
            continue
        valid_choices = {choice.pk for choice in question.choices.all()}
        if not set(answer.choice_ids) <= valid_choices:
            raise ApplicationError(
                _("Bitte wählen Sie eine der genannten Antworten aus."), field=field_name
            )
        other = answer.other or bool(answer.other_text.strip())
        if other and not question.allow_other:
            raise ApplicationError(
                _("Bei dieser Frage gibt es keine Antwort „Sonstiges“."), field=field_name
            )
        if other and not answer.other_text.strip():
            raise ApplicationError(
                _("Bitte beschreiben Sie Ihre Antwort unter „Sonstiges“."),
                field=f"{field_name}_other",
            )
        if len(answer.other_text) > OTHER_TEXT_MAX:
            raise ApplicationError(
                _("Bitte fassen Sie sich kürzer: höchstens %(max)d Zeichen.")
                % {"max": OTHER_TEXT_MAX},
                field=f"{field_name}_other",
            )
        picked = len(set(answer.choice_ids)) + (1 if other else 0)
        if question.kind == QuestionKind.SINGLE and picked > 1:
            raise ApplicationError(
                _("Bitte wählen Sie bei dieser Frage nur eine Antwort aus."), field=field_name
            )
        checked.append(
            AnswerInput(
                question_id=question.pk,
                choice_ids=tuple(sorted(set(answer.choice_ids))),
                other=other,
                other_text=answer.other_text.strip() if other else "",
            )
        )
    if not checked:
        raise ApplicationError(_("Bitte beantworten Sie mindestens eine Frage."))
    return checked


def _write(*, response: Response, answers: list[AnswerInput]) -> None:
    rows = Answer.objects.bulk_create(
        [
            Answer(
                response=response,
                question_id=answer.question_id,
                other_text=answer.other_text,
                text=answer.text.strip(),
            )
            for answer in answers
        ]
    )
    links = [
        Answer.choices.through(answer_id=row.pk, choice_id=choice_id)
        for row, answer in zip(rows, answers, strict=True)
        for choice_id in answer.choice_ids
    ]
    Answer.choices.through.objects.bulk_create(links)


@transaction.atomic
def poll_answer(
    *,
    poll: Poll,
    answers: Iterable[AnswerInput],
    user=None,
    browser_key: str = "",
) -> Response:
    """Record one online response: anyone may answer while the project's running phase has the
    poll module (and they are not blocked), once per browser and once per account."""
    user = user if user is not None and user.is_authenticated else None
    project = poll.project
    if not poll.is_published or not project.live:
        raise ApplicationError(_("Diese Umfrage ist nicht veröffentlicht."))
    if not (user or AnonymousUser()).has_perm("projects.answer_poll", project):
        raise ApplicationError(_("Diese Umfrage kann zurzeit nicht beantwortet werden."))
    if user is None and not browser_key:
        raise ApplicationError(_("Ihr Browser konnte nicht erkannt werden."))
    checked = _check_answers(poll=poll, answers=answers, enforce_required=True)
    # the row locks of the other tables are not needed: the unique constraints decide a race
    if poll_has_response(poll=poll, user=user, browser_key=browser_key):
        raise ApplicationError(_msg_already_answered())
    try:
        with transaction.atomic():
            response = Response.objects.create(
                poll=poll, user=user, browser_key=browser_key, channel=ContributionChannel.ONLINE
            )
    except IntegrityError:
        raise ApplicationError(_msg_already_answered()) from None
    _write(response=response, answers=checked)
    participation_record(
        project_id=project.pk,
        participant_key=f"user:{user.pk}" if user else f"browser:{browser_key}",
        channel=ContributionChannel.ONLINE,
    )
    return response


@transaction.atomic
def poll_answer_offline(
    *, poll: Poll, answers: Iterable[AnswerInput], channel: str, entered_by
) -> Response:
    """Record a questionnaire filled in on paper, by phone or at an event, entered by staff of
    the MitMachBüro (in any phase). Unanswered questions stay unanswered, even required ones:
    staff write down what the person said, nothing more."""
    if channel not in OFFLINE_CHANNELS:
        raise ApplicationError(_("Bitte wählen Sie, auf welchem Weg die Antworten kamen."))
    if not entered_by.has_perm("projects.add_offline_contribution", poll.project):
        raise ApplicationError(_("Sie dürfen für dieses Vorhaben keine Antworten erfassen."))
    checked = _check_answers(poll=poll, answers=answers, enforce_required=False)
    response = Response.objects.create(poll=poll, channel=channel, entered_by=entered_by)
    _write(response=response, answers=checked)
    participation_record(
        project_id=poll.project_id,
        participant_key=f"offline:polls.response:{response.pk}",
        channel=channel,
    )
    return response
