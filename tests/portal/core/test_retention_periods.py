"""The periods of the retention job (issue 15, item 4) with a frozen clock: for each kind of data,
rows just past their period and rows just within it; exactly the due rows change or go, every
other row keeps every value, and the Löschprotokoll in the admin shows one line per rule with its
count.

    contact data of closed Anliegen    PRIVACY_CONTACT_DAYS_AFTER_CLOSE  (90)
    never confirmed, never used accounts  PRIVACY_UNCONFIRMED_DAYS     (7)
    never submitted applications       PRIVACY_DRAFT_DAYS                (30)
    browser keys of ended polls        PRIVACY_POLL_KEY_DAYS             (30)
    decided reports of contributions   PRIVACY_MODERATION_REPORT_DAYS    (365)
"""

import html
import re
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from participation.contributions import services as contributions
from participation.contributions.models import ContributionReport
from participation.polls.models import Answer, Poll, Question, QuestionKind, Response
from participation.projects.constants import Module
from participation.projects.models import ProjectParticipant
from portal.accounts.models import TrustLevel, User
from portal.core.models import ErasureLog, Subscription
from portal.core.retention import retention_run, rules
from portal.core.subscriptions.models import State
from portal.departments.models import DepartmentMembership
from portal.tickets.constants import TicketStatus
from portal.tickets.models import Ticket
from services.eforms.constants import SubmissionStatus
from services.eforms.models import Submission, SubmissionFile
from services.payments.models import FailureReason, Payment, PaymentState
from services.reports.models import Report
from tests.factories import DepartmentFactory, StaffUserFactory, UserFactory, open_ticket
from tests.participation.factories import phase, project

pytestmark = pytest.mark.django_db

NOW = timezone.datetime(2026, 12, 6, 3, 30, tzinfo=timezone.get_current_timezone())
HOUR = timedelta(hours=1)


@pytest.fixture(autouse=True)
def periods(settings):
    """The defaults, written out: the tests place rows an hour either side of them."""
    settings.PRIVACY_CONTACT_DAYS_AFTER_CLOSE = 90
    settings.PRIVACY_UNCONFIRMED_DAYS = 7
    settings.PRIVACY_DRAFT_DAYS = 30
    settings.PRIVACY_PROOFS_DAYS_AFTER_CLOSE = 365
    settings.PRIVACY_POLL_KEY_DAYS = 30
    settings.PRIVACY_MODERATION_REPORT_DAYS = 365


def row(obj) -> dict:
    """Every stored value of the row, as the database has it now."""
    return type(obj)._default_manager.filter(pk=obj.pk).values().get()


def rows(*objs) -> dict:
    return {(type(obj).__name__, obj.pk): row(obj) for obj in objs}


def run() -> dict[str, int]:
    with time_machine.travel(NOW, tick=False):
        return retention_run()


# --- contact data of closed Anliegen --------------------------------------------------------------
def anliegen(*, email: str, status: str, closed_days_ago: float | None, user=None, name=""):
    """An Anliegen from the Mängelmelder (with its report) or, without `name`, from the contact
    form, in `status` since `closed_days_ago`."""
    ticket = open_ticket(email=email, user=user, message="Laterne am Markt ist dunkel")
    closed_at = None if closed_days_ago is None else NOW - timedelta(days=closed_days_ago)
    Ticket.objects.filter(pk=ticket.pk).update(status=status, closed_at=closed_at)
    ticket.refresh_from_db()
    if name:
        Report.objects.create(
            category=ticket.category,
            description="Laterne am Markt ist dunkel",
            latitude=Decimal("51.443"),
            longitude=Decimal("7.565"),
            reporter_name=name,
            reporter_email=email,
            reporter=user,
            ticket=ticket,
        )
    return ticket


def test_contact_data_goes_90_days_after_the_anliegen_closed(client):
    member = UserFactory(email="konto@example.org")
    due = anliegen(
        email="alt@example.org", name="Anna Alt", status=TicketStatus.DONE, closed_days_ago=90.05
    )
    due_form = anliegen(
        email="formular@example.org", status=TicketStatus.DUPLICATE, closed_days_ago=200
    )
    due_member = anliegen(
        email="konto@example.org",
        name="Karl Konto",
        user=member,
        status=TicketStatus.NOT_FEASIBLE,
        closed_days_ago=91,
    )
    recent = anliegen(
        email="neu@example.org", name="Nina Neu", status=TicketStatus.DONE, closed_days_ago=89.95
    )
    # reopened: no closing time while it is worked on again, however old it is
    reopened = anliegen(
        email="offen@example.org",
        name="Otto Offen",
        status=TicketStatus.IN_REVIEW,
        closed_days_ago=None,
    )
    Ticket.objects.filter(pk=reopened.pk).update(received_at=NOW - timedelta(days=400))
    kept = [recent, recent.report, reopened, reopened.report]
    before, kept_before = (
        rows(due, due.report, due_form, due_member, due_member.report),
        rows(*kept),
    )

    counts = run()

    assert counts["tickets.contact_after_close"] == 3
    assert counts["reports.reporter_after_close"] == 2
    after = rows(due, due.report, due_form, due_member, due_member.report)
    for (model, pk), values in before.items():
        if model == "Ticket":
            assert after[(model, pk)] == {**values, "contact_email": ""}
        else:  # the report keeps its account link: the account is the person's own
            assert after[(model, pk)] == {**values, "reporter_name": "", "reporter_email": ""}
    assert after[("Report", due_member.report.pk)]["reporter_id"] == member.pk
    assert rows(*kept) == kept_before

    # the status link still shows how the Anliegen ended, with nobody's address on it
    page = client.get(f"/anliegen/status/{due.access_token}/")
    assert page.status_code == 200
    assert "Erledigt" in page.content.decode() or "erledigt" in page.content.decode()
    assert "alt@example.org" not in page.content.decode()
    assert "Anna Alt" not in page.content.decode()


# --- accounts never confirmed and never used ------------------------------------------------------
def account(email: str, *, joined_days_ago: float, confirmed=None, **fields) -> User:
    """`confirmed`: None = no address row (as `createsuperuser` or an import leaves it), False
    = an unconfirmed address (as allauth's sign-up leaves it), True = confirmed."""
    user = UserFactory(
        email=email,
        confirmed=False,
        date_joined=NOW - timedelta(days=joined_days_ago),
        **fields,
    )
    if confirmed is not None:
        EmailAddress.objects.create(user=user, email=email, verified=confirmed, primary=True)
    return user


def test_accounts_never_confirmed_and_never_used_go_after_7_days():
    due = account("vergessen@example.org", joined_days_ago=7.05, confirmed=False)
    due_bare = account("ohne-adresse@example.org", joined_days_ago=30)
    # somebody signed up with an address that is not theirs: the owner's subscription stays
    owners = Subscription.objects.create(
        kind="test.kind", email="vergessen@example.org", state=State.CONFIRMED
    )
    fresh = account("frisch@example.org", joined_days_ago=6.95, confirmed=False)
    confirmed = account("treu@example.org", joined_days_ago=400, confirmed=True)
    used = account(
        "benutzt@example.org",
        joined_days_ago=400,
        confirmed=False,
        last_login=NOW - timedelta(days=300),
    )
    identified = account("eid@example.org", joined_days_ago=400, trust_level=TrustLevel.IDENTIFIED)
    staff = account("sachbearbeitung@stadt.example", joined_days_ago=400, is_staff=True)
    editor = account("redaktion@stadt.example", joined_days_ago=400)
    editor.groups.add(Group.objects.get(name="Sachbearbeitung"))
    with_permission = account("recht@stadt.example", joined_days_ago=400)
    with_permission.user_permissions.add(Permission.objects.get(codename="view_erasure_log"))
    member = account("amt@stadt.example", joined_days_ago=400)
    DepartmentMembership.objects.create(department=DepartmentFactory(), user=member)
    kept = [fresh, confirmed, used, identified, staff, editor, with_permission, member, owners]
    kept += list(EmailAddress.objects.filter(user__in=kept[:-1]))
    kept_before = rows(*kept)

    counts = run()

    assert counts["accounts.unconfirmed_accounts"] == 2
    assert not User.objects.filter(pk__in=[due.pk, due_bare.pk]).exists()
    assert not EmailAddress.objects.filter(email="vergessen@example.org").exists()
    assert rows(*kept) == kept_before


# --- applications never submitted -----------------------------------------------------------------
def application(status: str, *, changed_days_ago: float, upload: bool = False, **fields):
    """An application last changed `changed_days_ago`, with an uploaded proof if `upload`."""
    with time_machine.travel(NOW - timedelta(days=changed_days_ago), tick=False):
        submission = Submission.objects.create(
            form_key="sperrmuell",
            service_title="Sperrmüll anmelden",
            applicant=UserFactory(),
            status=status,
            data={"name": "Erika Mustermann", "strasse": "Markt 1"},
            **fields,
        )
        if upload:
            SubmissionFile.objects.create(
                submission=submission,
                field="nachweis",
                file=ContentFile(b"%PDF-1.4 Nachweis", name="nachweis.pdf"),
                original_name="Meldebescheinigung Mustermann.pdf",
                content_type="application/pdf",
                size=17,
            )
    return submission


def payment(submission, state: str, *, days_ago: float, reason: str = "") -> Payment:
    with time_machine.travel(NOW - timedelta(days=days_ago), tick=False):
        return Payment.objects.create(
            order_content_type=ContentType.objects.get_for_model(Submission),
            order_object_id=str(submission.pk),
            amount_minor=2500,
            purpose="Antrag",
            provider="demo",
            continue_url="/antraege/",
            state=state,
            failure_reason=reason,
        )


def stored(submission) -> list[str]:
    return [upload.file.name for upload in submission.files.all()]


def test_applications_never_submitted_go_after_30_days(django_capture_on_commit_callbacks):
    private = SubmissionFile._meta.get_field("file").storage
    due_draft = application(SubmissionStatus.DRAFT, changed_days_ago=30.05, upload=True)
    due_unpaid = application(SubmissionStatus.AWAITING_PAYMENT, changed_days_ago=40, upload=True)
    declined = payment(due_unpaid, PaymentState.FAILED, days_ago=39, reason=FailureReason.DECLINED)
    due_withdrawn = application(SubmissionStatus.WITHDRAWN, changed_days_ago=60)
    due_files = stored(due_draft) + stored(due_unpaid)
    assert len(due_files) == 2 and all(private.exists(name) for name in due_files)

    fresh_draft = application(SubmissionStatus.DRAFT, changed_days_ago=29.95, upload=True)
    paid = application(SubmissionStatus.AWAITING_PAYMENT, changed_days_ago=90)
    paid_payment = payment(paid, PaymentState.SUCCEEDED, days_ago=89)
    paying = application(SubmissionStatus.AWAITING_PAYMENT, changed_days_ago=90)
    paying_payment = payment(paying, PaymentState.IN_PROGRESS, days_ago=89)
    unclear = application(SubmissionStatus.AWAITING_PAYMENT, changed_days_ago=90)
    unclear_payment = payment(
        unclear, PaymentState.ERROR, days_ago=89, reason=FailureReason.AMOUNT_MISMATCH
    )
    tried_lately = application(SubmissionStatus.AWAITING_PAYMENT, changed_days_ago=90)
    late_attempt = payment(
        tried_lately, PaymentState.FAILED, days_ago=2, reason=FailureReason.USER_CANCELLED
    )
    released = application(
        SubmissionStatus.RELEASED,
        changed_days_ago=400,
        upload=True,
        number="2025-000001",
        submitted_at=NOW - timedelta(days=400),
        released_at=NOW - timedelta(days=400),
    )
    kept = [fresh_draft, paid, paying, unclear, tried_lately, released]
    kept_payments = [paid_payment, paying_payment, unclear_payment, late_attempt]
    kept_files = list(SubmissionFile.objects.filter(submission__in=kept))
    kept_before = rows(*kept, *kept_payments, *kept_files)
    declined_before = row(declined)

    with django_capture_on_commit_callbacks(execute=True):
        counts = run()

    assert counts["eforms.unsent_applications"] == 3
    gone = [due_draft.pk, due_unpaid.pk, due_withdrawn.pk]
    assert not Submission.objects.filter(pk__in=gone).exists()
    assert not SubmissionFile.objects.filter(submission__in=gone).exists()
    assert not any(private.exists(name) for name in due_files)
    # the declined attempt took no money; it stays as the provider knows it, leading to no one
    assert row(declined) == declined_before
    assert rows(*kept, *kept_payments, *kept_files) == kept_before
    assert all(private.exists(upload.file.name) for upload in kept_files)


def test_proofs_of_a_decided_application_go_a_year_after_its_anliegen_closed(
    django_capture_on_commit_callbacks,
):
    private = SubmissionFile._meta.get_field("file").storage

    def decided(closed_days_ago: float | None, status=TicketStatus.DONE) -> Submission:
        submission = application(
            SubmissionStatus.RELEASED,
            changed_days_ago=500,
            upload=True,
            number=f"2025-{Submission.objects.count() + 1:06d}",
            released_at=NOW - timedelta(days=500),
        )
        ticket = anliegen(email="", status=status, closed_days_ago=closed_days_ago)
        Submission.objects.filter(pk=submission.pk).update(ticket=ticket)
        return submission

    due = decided(365.05)
    due_files = stored(due)
    recent = decided(364.95)
    still_open = decided(None, status=TicketStatus.IN_PROGRESS)
    kept_files = list(SubmissionFile.objects.filter(submission__in=[recent, still_open]))
    kept_before = rows(due, recent, still_open, *kept_files)
    kept_before.pop(("Submission", due.pk))
    due_before = row(due)

    with django_capture_on_commit_callbacks(execute=True):
        counts = run()

    assert counts["eforms.proofs_after_close"] == 1
    assert not SubmissionFile.objects.filter(submission=due).exists()
    assert not any(private.exists(name) for name in due_files)
    assert row(due) == due_before  # the application itself stays, with its answers
    assert rows(recent, still_open, *kept_files) == kept_before
    assert all(private.exists(upload.file.name) for upload in kept_files)


# --- browser keys of ended polls ------------------------------------------------------------------
def poll_with_answers(*, poll_phases: list[tuple[float, float]], keys: list[str], user=None):
    """A project whose poll phases ran from/to (days ago; negative = in the future) and a poll
    answered by browsers with `keys` (the last also by `user`), each counted as a participant."""
    vorhaben = project()
    phase(vorhaben, modules=[Module.IDEAS], starts_at=NOW - timedelta(days=500),
          ends_at=NOW - timedelta(days=400))  # fmt: skip
    for starts, ends in poll_phases:
        phase(vorhaben, modules=[Module.POLLS], starts_at=NOW - timedelta(days=starts),
              ends_at=NOW - timedelta(days=ends))  # fmt: skip
    poll = Poll.objects.create(
        project=vorhaben, title="Wie kommen Sie zum Markt?", is_published=True
    )
    question = Question.objects.create(
        poll=poll, text="Was wünschen Sie sich?", kind=QuestionKind.TEXT
    )
    answered_at = NOW - timedelta(days=poll_phases[0][1] + 1)  # in the first poll phase
    responses, answers = [], []
    for number, key in enumerate(keys):
        response = Response.objects.create(
            poll=poll,
            browser_key=key,
            user=user if number == len(keys) - 1 else None,
            created_at=answered_at,
        )
        answers.append(Answer.objects.create(response=response, question=question, text="Bänke"))
        ProjectParticipant.objects.create(project=vorhaben, key=f"browser:{key}")
        responses.append(response)
    return vorhaben, responses, answers


def test_browser_keys_go_30_days_after_the_last_poll_phase():
    member = UserFactory()
    ended, due, due_answers = poll_with_answers(
        poll_phases=[(200, 100), (60, 30.05)], keys=["k" * 32, "l" * 32], user=member
    )
    _recent, recent, recent_answers = poll_with_answers(poll_phases=[(60, 29.95)], keys=["m" * 32])
    # an old phase ended long ago, but the poll is asked again in a later phase
    _again, again, again_answers = poll_with_answers(
        poll_phases=[(300, 200), (-10, -40)], keys=["n" * 32]
    )
    kept = [*recent, *recent_answers, *again, *again_answers, *due_answers]
    kept += list(ProjectParticipant.objects.exclude(project=ended))
    kept_before, due_before = rows(*kept), rows(*due)

    counts = run()

    assert counts["polls.browser_keys"] == 2
    for (_model, pk), values in due_before.items():
        assert row(Response.objects.get(pk=pk)) == {**values, "browser_key": ""}
    assert Response.objects.get(pk=due[-1].pk).user_id == member.pk  # the account's own link
    # the project still counts two participants, neither under the browser's key
    participants = set(
        ProjectParticipant.objects.filter(project=ended).values_list("key", flat=True)
    )
    assert len(participants) == 2
    assert not participants & {"browser:" + "k" * 32, "browser:" + "l" * 32}
    assert rows(*kept) == kept_before


# --- reports of contributions after the moderation decided --------------------------------------
def test_reports_of_contributions_go_a_year_after_the_decision():
    vorhaben = project()
    phase(vorhaben, modules=[Module.COMMENTS], starts_at=NOW - timedelta(days=800),
          ends_at=NOW + timedelta(days=30))  # fmt: skip
    author = UserFactory(trust_level=TrustLevel.EMAIL_CONFIRMED)
    with time_machine.travel(NOW - timedelta(days=700), tick=False):
        comment = contributions.comment_create(actor=author, target=vorhaben, text="Unsinn!")

    def reported(key: str, *, decided_days_ago: float | None) -> ContributionReport:
        return ContributionReport.objects.create(
            comment=comment,
            reporter=UserFactory(),
            reporter_key=key,
            reason="beleidigend",
            created_at=NOW - timedelta(days=600),
            resolved_at=None
            if decided_days_ago is None
            else NOW - timedelta(days=decided_days_ago),
        )

    due = reported("browser:a", decided_days_ago=365.05)
    recent = reported("browser:b", decided_days_ago=364.95)
    waiting = reported("browser:c", decided_days_ago=None)  # never decided: waits for it
    kept_before = rows(recent, waiting, comment)

    counts = run()

    assert counts["contributions.decided_reports"] == 1
    assert not ContributionReport.objects.filter(pk=due.pk).exists()
    assert rows(recent, waiting, comment) == kept_before


# --- the whole run, as cron starts it, and the Löschprotokoll ----------------------------------
def log_lines(page: str) -> list[tuple[str, str, str]]:
    """(Daten, Frist, gelöscht) of every line of the Löschprotokoll's table."""
    cell = r"\s*<td>\s*([^<]*?)\s*</td>"
    return [
        match.groups()[1:]
        for match in re.finditer(r"<tr>" + cell * 4 + r"\s*</tr>", html.unescape(page))
    ]


def test_the_run_of_the_night_shows_one_line_per_rule_with_its_count(
    login_with_second_factor, django_capture_on_commit_callbacks
):
    anliegen(email="alt@example.org", name="Anna Alt", status=TicketStatus.DONE, closed_days_ago=91)
    anliegen(email="neu@example.org", name="Nina Neu", status=TicketStatus.DONE, closed_days_ago=89)
    account("vergessen@example.org", joined_days_ago=8, confirmed=False)
    account("frisch@example.org", joined_days_ago=6, confirmed=False)
    application(SubmissionStatus.DRAFT, changed_days_ago=31, upload=True)
    application(SubmissionStatus.DRAFT, changed_days_ago=40)
    application(SubmissionStatus.DRAFT, changed_days_ago=29)
    poll_with_answers(poll_phases=[(90, 31)], keys=["p" * 32, "q" * 32, "r" * 32])
    clerk = StaffUserFactory(
        email="loeschkonzept@stadt.example"
    )  # joined now, confirmed: the run leaves them alone
    clerk.user_permissions.add(Permission.objects.get(codename="view_erasure_log"))

    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        call_command("apply_retention", stdout=open("/dev/null", "w"))

    staff = Client()
    login_with_second_factor(staff, clerk)
    page = staff.get("/admin/loeschprotokoll/")
    assert page.status_code == 200
    lines = log_lines(page.content.decode())
    assert len(lines) == len(rules())  # one line per rule of the run, and no person
    shown = {label: (days, count) for label, days, count in lines}
    assert shown["Kontakt-E-Mail-Adressen abgeschlossener Anliegen"] == ("90 Tage", "1")
    assert shown["Name und E-Mail-Adresse von Meldenden abgeschlossener Anliegen"] == (
        "90 Tage",
        "1",
    )
    assert shown["Nie bestätigte und nie genutzte Konten"] == ("7 Tage", "1")
    assert shown[
        "Nie eingereichte Anträge (Entwürfe, unbezahlt, zurückgezogen) mit ihren Dateien"
    ] == ("30 Tage", "2")
    assert shown["Browser-Schlüssel beendeter Umfragen"] == ("30 Tage", "3")
    assert shown["Meldungen von Beiträgen nach der Entscheidung der Moderation"] == (
        "365 Tage",
        "0",
    )
    body = page.content.decode()
    for personal in ("example.org", "Anna Alt", "p" * 32):
        assert personal not in body
    assert ErasureLog.objects.filter(ran_at=NOW).count() == len(rules())
