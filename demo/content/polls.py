"""Demo polls: a short survey on the Marktplatz project (open now, results after the phase) and
the finished vote of the Wandhofen playground with its results, some answers from the
MitMachBüro. Safe to load again: a project that has polls is left as it is."""

from django.db import transaction

from participation.polls.models import Answer, Choice, Poll, Question, QuestionKind, Response
from participation.projects.constants import ContributionChannel
from participation.projects.models import ProjectPage
from participation.projects.services import participation_record

MARKTPLATZ = "neugestaltung-marktplatz"
SPIELPLATZ = "spielplatz-wandhofen"

MARKTPLATZ_QUESTIONS = [
    (
        "Was fehlt Ihnen auf dem Marktplatz am meisten?",
        QuestionKind.SINGLE,
        True,
        True,
        ["Schatten", "Sitzplätze", "Wasser (Brunnen, Wasserspiel)", "Grün"],
    ),
    (
        "Wann sind Sie auf dem Marktplatz?",
        QuestionKind.MULTIPLE,
        False,
        False,
        ["am Markttag", "werktags", "am Wochenende", "abends"],
    ),
    ("Was möchten Sie uns noch mitgeben?", QuestionKind.TEXT, False, False, []),
]

# the playground vote: (choice, online votes, offline votes)
SPIELPLATZ_VOTES = [("Wasser und Wald", 9, 2), ("Abenteuerburg", 4, 1), ("Sinnesgarten", 2, 0)]


def _poll(project, title, description, questions, *, sort_order=0) -> Poll:
    poll = Poll.objects.create(
        project=project,
        title=title,
        description=description,
        is_published=True,
        sort_order=sort_order,
    )
    for position, (text, kind, required, other, choices) in enumerate(questions):
        question = Question.objects.create(
            poll=poll,
            sort_order=position,
            text=text,
            kind=kind,
            required=required,
            allow_other=other,
        )
        for number, choice in enumerate(choices):
            Choice.objects.create(question=question, sort_order=number, text=choice)
    return poll


def _votes(poll: Poll) -> None:
    """The answers the vote got while it ran (written directly: the phase is over)."""
    question = poll.questions.get()
    choices = {choice.text: choice for choice in question.choices.all()}
    number = 0
    for text, online, offline in SPIELPLATZ_VOTES:
        channels = (
            (ContributionChannel.ONLINE, online),
            (ContributionChannel.MITMACHBUERO, offline),
        )
        for channel, count in channels:
            for _ in range(count):
                number += 1
                is_online = channel == ContributionChannel.ONLINE
                key = f"demo-wandhofen-{number:03d}-0000000000" if is_online else ""
                response = Response.objects.create(poll=poll, browser_key=key, channel=channel)
                answer = Answer.objects.create(response=response, question=question)
                answer.choices.add(choices[text])
                participant = (
                    f"browser:{key}" if is_online else f"offline:polls.response:{response.pk}"
                )
                participation_record(
                    project_id=poll.project_id, participant_key=participant, channel=channel
                )


@transaction.atomic
def load(stdout) -> None:
    created = 0
    marktplatz = ProjectPage.objects.filter(slug=MARKTPLATZ).first()
    if marktplatz is not None and not Poll.objects.filter(project=marktplatz).exists():
        _poll(
            marktplatz,
            "Kurze Umfrage zum Marktplatz",
            "Drei Fragen, etwa zwei Minuten. Sie brauchen kein Konto.",
            MARKTPLATZ_QUESTIONS,
        )
        created += 1
    spielplatz = ProjectPage.objects.filter(slug=SPIELPLATZ).first()
    if spielplatz is not None and not Poll.objects.filter(project=spielplatz).exists():
        poll = _poll(
            spielplatz,
            "Abstimmung: Welcher Entwurf soll gebaut werden?",
            "Die Familien aus Wandhofen haben über drei Entwürfe abgestimmt.",
            [
                (
                    "Welcher Entwurf soll gebaut werden?",
                    QuestionKind.SINGLE,
                    True,
                    False,
                    [text for text, _online, _offline in SPIELPLATZ_VOTES],
                )
            ],
        )
        _votes(poll)
        created += 1
    if created:
        stdout.write(f"  {created} Umfragen angelegt")
