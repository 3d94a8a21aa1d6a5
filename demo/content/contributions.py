"""Demo contributions: reason templates for the moderation, and on the Marktplatz project a few
ideas, comments and supports, one of them entered offline by the MitMachBüro. Safe to load again:
a project that already has ideas is left as it is."""

from django.db import transaction

from participation.contributions.constants import ModerationAction
from participation.contributions.models import Comment, Idea, ModerationLog, ReasonTemplate, Support
from participation.projects.constants import ContributionChannel
from participation.projects.models import ProjectPage
from participation.projects.services import participation_record
from portal.accounts.models import User

PROJECT_SLUG = "neugestaltung-marktplatz"
CITIZEN_EMAIL = "buerger@schwerte.example"

REASONS = [
    (
        "Beleidigung",
        "Der Beitrag beleidigt andere Menschen. Bitte bleiben Sie sachlich und respektvoll.",
    ),
    (
        "Persönliche Daten",
        "Der Beitrag enthält persönliche Daten anderer Menschen, die hier nicht veröffentlicht "
        "werden dürfen.",
    ),
    ("Werbung", "Werbung und kommerzielle Angebote sind in der Beteiligung nicht erlaubt."),
    (
        "Kein Bezug zum Vorhaben",
        "Der Beitrag hat keinen Bezug zu diesem Vorhaben. Für andere Anliegen nutzen Sie bitte "
        "das Kontaktformular oder den Mängelmelder.",
    ),
]

IDEAS = [
    (
        "Trinkbrunnen am Rathaus",
        "Ein Trinkbrunnen neben den Bänken am Rathaus hilft an heißen Tagen – besonders "
        "Kindern und älteren Menschen.",
        "Marktplatz, vor dem Rathaus",
    ),
    (
        "Schattenbäume statt Sonnenschirme",
        "Große Bäume an der Südseite spenden Schatten und kühlen den Platz. Bitte keine "
        "Kübelpflanzen, die im Sommer vertrocknen.",
        "Marktplatz, Südseite",
    ),
]


@transaction.atomic
def load(stdout) -> None:
    for position, (title, text) in enumerate(REASONS):
        ReasonTemplate.objects.get_or_create(
            title=title, defaults={"text": text, "sort_order": (position + 1) * 10}
        )
    project = ProjectPage.objects.filter(slug=PROJECT_SLUG).first()
    citizen = User.objects.filter(email=CITIZEN_EMAIL).first()
    if project is None or citizen is None or Idea.objects.for_target(project).exists():
        return
    if not citizen.display_name:
        citizen.display_name = "Bernd aus der Altstadt"
        citizen.save(update_fields=["display_name"])
    phase = project.phase_at()

    ideas = []
    for title, text, address in IDEAS:
        idea = Idea.objects.create(
            target=project, phase=phase, author=citizen, title=title, text=text, address=address
        )
        participation_record(project_id=project.pk, participant_key=idea.participant_key())
        ideas.append(idea)
    office = User.objects.filter(is_superuser=True).order_by("pk").first()
    offline = Idea.objects.create(
        target=project,
        phase=phase,
        channel=ContributionChannel.MITMACHBUERO,
        entered_by=office,
        offline_name="(im MitMachBüro notiert)",
        title="Fahrradbügel an allen Eingängen",
        text="Wer mit dem Rad zum Markt kommt, findet heute keinen Platz zum Anschließen.",
    )
    participation_record(
        project_id=project.pk,
        participant_key=offline.participant_key(),
        channel=ContributionChannel.MITMACHBUERO,
    )
    ModerationLog.objects.create(
        target=project,
        idea=offline,
        actor=office,
        action=ModerationAction.OFFLINE_ENTERED,
        reason=str(ContributionChannel.MITMACHBUERO.label),
        target_label=str(offline),
    )
    Support.objects.create(idea=offline, user=citizen)
    Idea.objects.filter(pk=offline.pk).update(support_count=1)
    participation_record(
        project_id=project.pk, participant_key=f"user:{citizen.pk}", contribution=False
    )

    question = Comment.objects.create(
        target=project,
        phase=phase,
        author=citizen,
        text="Bleibt der Wochenmarkt während der Bauzeit auf dem Platz?",
    )
    participation_record(project_id=project.pk, participant_key=question.participant_key())
    comment = Comment.objects.create(
        target=project,
        phase=phase,
        idea=ideas[1],
        channel=ContributionChannel.EVENT,
        entered_by=office,
        text="Bei der Bürgerversammlung wünschten sich viele Linden, wie früher.",
    )
    participation_record(
        project_id=project.pk,
        participant_key=comment.participant_key(),
        channel=ContributionChannel.EVENT,
    )
    stdout.write(f"  Beiträge angelegt: {project.title}")
