"""Reads of the polls app: the polls of a project page, whether someone may answer, and the
results, counted by the database in a fixed number of queries however many answered."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from participation.projects.constants import ContributionChannel, Module, ResultsVisibility
from portal.core.sql import column, id_list, ids, rows, table

from .cookies import browser_key_get
from .models import Answer, Choice, Poll, Question, QuestionKind, Response

OFFLINE = ~Q(response__channel=ContributionChannel.ONLINE)

MSG_BLOCKED = _(
    "Ihr Konto ist für die Beteiligung gesperrt. Sie können an dieser Umfrage nicht teilnehmen."
)
MSG_NOT_NOW = _("Diese Umfrage kann zurzeit nicht beantwortet werden.")


class PollState:
    """Where a poll stands in its project's phases."""

    OPEN = "open"  # a phase with the poll module runs
    UPCOMING = "upcoming"  # a phase with the poll module is still to come
    CLOSED = "closed"  # the phases with the poll module are over
    NONE = "none"  # no phase has the poll module


# --- polls ---------------------------------------------------------------------------------------
def _with_questions(queryset: QuerySet[Poll]) -> QuerySet[Poll]:
    return queryset.select_related("project").prefetch_related(
        Prefetch(
            "questions",
            queryset=Question.objects.order_by("sort_order", "pk").prefetch_related(
                Prefetch("choices", queryset=Choice.objects.order_by("sort_order", "pk"))
            ),
        )
    )


def poll_list_for_project(*, project) -> QuerySet[Poll]:
    """The published polls of a project page, with questions and choices (three queries)."""
    return _with_questions(Poll.objects.filter(project=project, is_published=True))


def poll_get_public(*, pk: int) -> Poll | None:
    """A published poll of a live project, with its questions and choices."""
    return _with_questions(
        Poll.objects.filter(pk=pk, is_published=True, project__live=True)
    ).first()


def poll_get_with_questions(*, pk: int) -> Poll | None:
    """Any poll (for staff), with its questions and choices."""
    return _with_questions(Poll.objects.filter(pk=pk)).first()


def poll_list_for_staff(*, user) -> QuerySet[Poll]:
    """The polls a staff member may see in the admin: all for moderators and editors, the polls of
    their departments' projects for department staff."""
    from participation.projects.rules import is_moderator
    from portal.tickets.selectors import user_department_ids

    polls = Poll.objects.select_related("project").order_by("-created_at", "-pk")
    if is_moderator(user) or user.has_perm("polls.change_poll"):
        return polls
    return polls.filter(project__department_id__in=user_department_ids(user))


def poll_answered_ids(
    *, polls: list[Poll] | None = None, project=None, user=None, browser_key: str = ""
) -> set[int]:
    """The ids of the polls (`polls`, or the published ones of `project`) this account or this
    browser has answered (one query at most)."""
    query = _answered_sql(polls=polls, project=project, user=user, browser_key=browser_key)
    return {poll_id for (poll_id,) in rows(*query)} if query is not None else set()


def _answered_sql(*, polls, project, user, browser_key) -> tuple[str, list] | None:
    """poll_answered_ids() as plain SQL (one column `id`), or None where the answer is "none".
    Asked on every view of a project page with polls, where the ORM took longer to build it
    than the database to answer."""
    by_account = user is not None and user.is_authenticated
    if (polls is not None and not polls) or not (by_account or browser_key):
        return None
    whose = [f"r.{column(Response, 'user')} = %s"] if by_account else []
    if browser_key:
        whose.append(f"r.{column(Response, 'browser_key')} = %s")
    params = ([user.pk] if by_account else []) + ([browser_key] if browser_key else [])
    if polls is not None:
        which = f"r.{column(Response, 'poll')} IN ({', '.join(['%s'] * len(polls))})"
        params += [poll.pk for poll in polls]
    else:
        which = (
            f"r.{column(Response, 'poll')} IN (SELECT p.{column(Poll, 'id')} FROM {table(Poll)} p"
            f" WHERE p.{column(Poll, 'project')} = %s AND p.{column(Poll, 'is_published')})"
        )
        params.append(project.pk)
    sql = (
        f"SELECT r.{column(Response, 'poll')} AS id FROM {table(Response)} r"
        f" WHERE ({' OR '.join(whose)}) AND {which}"
    )
    return sql, params


# --- phases --------------------------------------------------------------------------------------
@dataclass
class PhaseInfo:
    state: str
    phase: object | None = None  # the running, next or last phase with the poll module
    results_setting: str = ResultsVisibility.AFTER_PHASE


def poll_phase_info(*, project, moment=None) -> PhaseInfo:
    """Where the project's polls stand: answered in the running phase with the poll module;
    afterwards closed (results for all)."""
    moment = moment or timezone.now()
    poll_phases = [p for p in project.phases.all() if p.has_module(Module.POLLS)]
    running = next((p for p in poll_phases if p.is_running(moment)), None)
    if running is not None:
        return PhaseInfo(PollState.OPEN, running, running.poll_results)
    past = [p for p in poll_phases if p.ends_at <= moment]
    if past:
        return PhaseInfo(PollState.CLOSED, max(past, key=lambda p: p.ends_at))
    future = [p for p in poll_phases if p.starts_at > moment]
    if future:
        return PhaseInfo(PollState.UPCOMING, min(future, key=lambda p: p.starts_at))
    return PhaseInfo(PollState.NONE)


# --- results -------------------------------------------------------------------------------------
def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


@dataclass
class ChoiceResult:
    label: str
    count: int
    offline: int
    percent: int
    is_other: bool = False


@dataclass
class QuestionResult:
    question: Question
    respondents: int = 0
    offline: int = 0
    rows: list[ChoiceResult] = field(default_factory=list)

    @property
    def is_text(self) -> bool:
        return self.question.kind == QuestionKind.TEXT


@dataclass
class PollResults:
    poll: Poll
    responses: int = 0
    offline: int = 0
    questions: list[QuestionResult] = field(default_factory=list)

    @property
    def online(self) -> int:
        return self.responses - self.offline


def poll_results(*, polls: list[Poll]) -> dict[int, PollResults]:
    """Counts and percentages per choice of each poll (whose questions and choices are
    prefetched): three queries for any number of polls and responses. Percentages are of the
    people who answered the question; with multiple choice they add up to more than 100."""
    if not polls:
        return {}
    responses = {
        row["poll_id"]: row
        for row in Response.objects.filter(poll__in=polls)
        .values("poll_id")
        .annotate(
            total=Count("pk"), offline=Count("pk", filter=~Q(channel=ContributionChannel.ONLINE))
        )
        .order_by()
    }
    questions = {
        row["question_id"]: row
        for row in Answer.objects.filter(question__poll__in=polls)
        .values("question_id")
        .annotate(
            total=Count("pk"),
            offline=Count("pk", filter=OFFLINE),
            other=Count("pk", filter=~Q(other_text="")),
            other_offline=Count("pk", filter=~Q(other_text="") & OFFLINE),
        )
        .order_by()
    }
    through = Answer.choices.through
    choices = {
        row["choice_id"]: row
        for row in through.objects.filter(choice__question__poll__in=polls)
        .values("choice_id")
        .annotate(
            total=Count("pk"),
            offline=Count("pk", filter=~Q(answer__response__channel=ContributionChannel.ONLINE)),
        )
        .order_by()
    }
    results = {}
    for poll in polls:
        counts = responses.get(poll.pk, {})
        result = PollResults(poll, counts.get("total", 0), counts.get("offline", 0))
        for question in poll.questions.all():
            answered = questions.get(question.pk, {})
            base = answered.get("total", 0)
            item = QuestionResult(question, base, answered.get("offline", 0))
            if question.kind != QuestionKind.TEXT:
                for choice in question.choices.all():
                    row = choices.get(choice.pk, {})
                    count = row.get("total", 0)
                    item.rows.append(
                        ChoiceResult(
                            choice.text, count, row.get("offline", 0), _percent(count, base)
                        )
                    )
                if question.allow_other:
                    count = answered.get("other", 0)
                    item.rows.append(
                        ChoiceResult(
                            str(_("Sonstiges")),
                            count,
                            answered.get("other_offline", 0),
                            _percent(count, base),
                            is_other=True,
                        )
                    )
            result.questions.append(item)
        results[poll.pk] = result
    return results


def poll_free_texts(*, poll: Poll) -> QuerySet[Answer]:
    """The free texts and "Sonstiges" texts of a poll, for moderators (one query)."""
    return (
        Answer.objects.filter(question__poll=poll)
        .filter(~Q(text="") | ~Q(other_text=""))
        .select_related("response", "question")
        .order_by("question__sort_order", "question_id", "response__created_at", "pk")
    )


# --- the project page ----------------------------------------------------------------------------
@dataclass
class PollBlock:
    """What the project page shows of one poll."""

    poll: Poll
    state: str
    phase: object | None
    answered: bool = False
    can_answer: bool = False
    refusal: str = ""  # why this person cannot answer although the poll is open
    form: object | None = None
    results: PollResults | None = None
    results_public: bool = False  # False: shown only because the visitor moderates
    results_note: str = ""


@dataclass
class PollViewer:
    """What a visitor may do with a project's polls now (the same for all its polls)."""

    info: PhaseInfo
    answered: set[int]
    moderator: bool
    allowed: bool
    refusal: str

    @property
    def key(self) -> str:
        """Everything of the viewer the polls show: viewers with the same key see the same."""
        answered = ",".join(str(pk) for pk in sorted(self.answered))
        return f"{self.info.state}:{self.allowed:d}:{self.moderator:d}:{self.refusal}:{answered}"


def poll_viewer(*, project, request, polls=None, answered=None) -> PollViewer | None:
    """The visitor's standing towards the project's polls (`polls`, or all its published ones);
    None while no phase has the poll module. At most four small queries, none for the polls;
    `answered`: the ids of the polls they answered, where these were asked already."""
    from participation.projects.rules import is_blocked

    info = poll_phase_info(project=project)
    if info.state == PollState.NONE:
        return None
    user = request.user
    if answered is None:
        answered = poll_answered_ids(
            polls=polls, project=project, user=user, browser_key=browser_key_get(request)
        )
    # results not yet public are shown to moderators; after the phase they are everybody's
    moderator = (
        info.state != PollState.CLOSED
        and user.is_authenticated
        and user.has_perm("projects.moderate", project)
    )
    allowed = info.state == PollState.OPEN and user.has_perm("projects.answer_poll", project)
    refusal = ""
    if info.state == PollState.OPEN and not allowed:
        refusal = MSG_BLOCKED if is_blocked(user) else MSG_NOT_NOW
    return PollViewer(info, answered, moderator, allowed, str(refusal))


def poll_blocks(*, project, request, polls=None, forms=None, viewer=None) -> list[PollBlock]:
    """The polls of a project as the page shows them, for this visitor: the form while they may
    answer, the results when they may see them. `forms` replaces the empty form of a poll (with
    the errors of a failed attempt). A fixed number of queries for any number of responses."""
    from .forms import PollForm

    polls = list(poll_list_for_project(project=project)) if polls is None else list(polls)
    if not polls:
        return []
    if viewer is None:
        viewer = poll_viewer(project=project, request=request, polls=polls)
    if viewer is None:
        return []
    info = viewer.info
    blocks = []
    for poll in polls:
        block = PollBlock(poll, info.state, info.phase, answered=poll.pk in viewer.answered)
        block.can_answer = viewer.allowed and not block.answered
        block.refusal = viewer.refusal
        if block.can_answer:
            block.form = (forms or {}).get(poll.pk) or PollForm(poll=poll)
        public = info.state == PollState.CLOSED or (
            info.state == PollState.OPEN
            and info.results_setting == ResultsVisibility.IMMEDIATELY
            and block.answered
        )
        block.results_public = public
        if info.state == PollState.OPEN and not public:
            if info.results_setting == ResultsVisibility.IMMEDIATELY:
                block.results_note = _("Die Ergebnisse sehen Sie, nachdem Sie geantwortet haben.")
            else:
                block.results_note = _(
                    "Die Ergebnisse veröffentlichen wir nach dem Ende dieser Phase am %(date)s."
                ) % {"date": date_format(timezone.localtime(info.phase.ends_at), "j. F Y")}
        blocks.append(block)
    shown = [block.poll for block in blocks if block.results_public or viewer.moderator]
    results = poll_results(polls=shown)
    for block in blocks:
        block.results = results.get(block.poll.pk)
    return blocks


def project_questions(*, project, request) -> dict:
    """What the project page asks about the viewer for this app (projects.sections): the polls
    they answered (by account or browser), while a phase has the poll module."""
    if poll_phase_info(project=project).state == PollState.NONE:
        return {}
    query = _answered_sql(
        polls=None, project=project, user=request.user, browser_key=browser_key_get(request)
    )
    return {"polls:answered": (id_list(query[0]), query[1])} if query is not None else {}


def project_context(*, project, request, answers=None) -> dict:
    """What the project page needs from this app (merged into its template context): the polls
    are read when first shown, `poll_key` says who sees the same of them (a public part of the
    page for viewers with the same key). `answers`: those of `project_questions`, if asked."""
    from participation.projects.sections import PUBLIC_KEY

    answered = None
    if answers is not None:
        answered = ids(answers.get("polls:answered"))
    viewer = poll_viewer(project=project, request=request, answered=answered)
    if viewer is None:
        return {"poll_blocks": [], "poll_key": None, PUBLIC_KEY: ""}
    return {
        "poll_blocks": SimpleLazyObject(
            lambda: poll_blocks(project=project, request=request, viewer=viewer)
        ),
        "poll_key": viewer.key,
        PUBLIC_KEY: viewer.key,
    }
