"""A database from before the discussion target and the one timeline migrates with nothing lost:
project ideas, comments and moderation decisions keep their project as target; every line of an
idea's old timeline is a line of its ticket's timeline, once (a stage change is not doubled by the
ticket line it had written); an e-mail still owed for a line is still owed, for that ticket line."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from participation.contributions.models import Comment, Idea, ModerationLog
from participation.ideas.models import PoolIdea
from portal.core.models import OutboxMessage
from portal.tickets.models import TicketEvent
from tests.participation.factories import project
from tests.participation.ideas.factories import citizen, submitted_idea

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [
    ("contributions", "0002_moderation_group"),
    ("ideas", "0002_pool_defaults"),
    ("tickets", "0007_delete_notification"),
]


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def test_contributions_and_idea_timelines_migrate_with_nothing_lost(vorhabenliste):
    vorhaben = project(title="Marktplatz")
    idea = submitted_idea(title="Trinkbrunnen", route=False)  # its ticket has its first line
    supporter = citizen(email="unterstuetzerin@example.org")
    clerk = citizen(email="amt@example.org")
    ticket_id, idea_id = idea.ticket_id, idea.pk
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        apps = _migrate(BEFORE).loader.project_state(BEFORE).apps
        old = {name: apps.get_model(*name.split(".")) for name in (
            "contributions.Idea", "contributions.Comment", "contributions.ModerationLog",
            "ideas.IdeaEvent", "ideas.IdeaNotice", "tickets.TicketEvent",
        )}  # fmt: skip
        project_idea = old["contributions.Idea"].objects.create(
            project_id=vorhaben.pk, title="Bänke", text="Mehr Bänke."
        )
        old["contributions.Comment"].objects.create(project_id=vorhaben.pk, text="Ja!")
        old["contributions.ModerationLog"].objects.create(
            project_id=vorhaben.pk, action="ausgeblendet", reason="Beleidigung"
        )
        lines = old["tickets.TicketEvent"].objects
        events = old["ideas.IdeaEvent"].objects
        now = timezone.now()
        # what the old stage change wrote: the ticket's status line and the idea's own line
        status_line = lines.create(
            ticket_id=ticket_id, kind="status", from_status="eingegangen",
            to_status="in_pruefung", public_message="Machbar.", actor_id=clerk.pk,
            internal_note="Ideenpool: Vorprüfung: zulässig", created_at=now,
        )  # fmt: skip
        answer_line = lines.create(
            ticket_id=ticket_id, kind="accepted", public_message="Wir prüfen.",
            created_at=now - timedelta(minutes=5),
        )  # fmt: skip
        events.create(idea_id=idea_id, kind="eingereicht", to_stage="eingereicht")
        events.create(idea_id=idea_id, kind="antwort", public_text="Wir prüfen.",
                      ticket_event_id=answer_line.pk)  # fmt: skip
        stage = events.create(
            idea_id=idea_id, kind="stufe", from_stage="eingereicht", to_stage="zulaessig",
            public_text="Machbar.", actor_id=clerk.pk, created_at=now,
        )  # fmt: skip
        events.create(idea_id=idea_id, kind="quorum", public_text="75 Menschen unterstützen.")
        old["ideas.IdeaNotice"].objects.create(event_id=stage.pk, recipient_id=supporter.pk)
        line_count = lines.filter(ticket_id=ticket_id).count()
    finally:
        _migrate(latest)

    # the discussion keeps its project as target
    assert Idea.objects.get(pk=project_idea.pk).target == vorhaben
    assert Comment.objects.for_target(vorhaben).count() == 1
    assert ModerationLog.objects.get().target == vorhaben

    # one timeline: the old lines are the ticket's, none doubled
    ticket_lines = TicketEvent.objects.filter(ticket_id=ticket_id)
    assert ticket_lines.count() == line_count + 1  # only the quorum line is new
    assert ticket_lines.get(kind="created").public_status == "eingereicht"
    assert ticket_lines.get(pk=status_line.pk).public_status == "zulaessig"
    assert ticket_lines.get(pk=answer_line.pk).public_status == ""
    quorum = ticket_lines.get(public_status="quorum")
    assert (quorum.kind, quorum.public_message) == ("step", "75 Menschen unterstützen.")
    assert PoolIdea.objects.get(pk=idea_id).ticket_id == ticket_id

    # the e-mail still owed for the stage is owed for its ticket line
    owed = OutboxMessage.objects.get(recipient="unterstuetzerin@example.org", sent_at=None)
    assert owed.context["event"] == status_line.pk
