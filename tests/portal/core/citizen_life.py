"""A citizen's life in the portal, for the tests of "Meine Daten" and "Konto löschen" (issue 15):
Henrike Quarzmann has a Mängelmeldung with a photo, a paid online application with an upload, a
project idea and a pool idea with supports, a comment, a poll answer and three subscriptions.
Otto Nachbar, another citizen, lives beside her; none of his data is hers.

Everything is built the way the apps' own tests build it (services, and HTTP where the person
meets it: the application and its payment on the demo provider's page), with real files in a
temporary media folder and private storage.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.db.models import Q
from django.test import Client
from PIL import Image

from participation.contributions.models import Comment, Idea, Support
from participation.contributions.services import comment_create, idea_create
from participation.contributions.services import idea_support as project_idea_support
from participation.following.services.subscriptions import pool_subscribe, project_follow
from participation.ideas.models import PoolIdea
from participation.ideas.services import idea_category, idea_submit
from participation.ideas.services.supports import idea_support as pool_idea_support
from participation.polls.models import Answer, Response
from participation.polls.services import AnswerInput, poll_answer
from participation.projects.constants import Intensity, Module
from portal.accounts.models import TrustLevel
from portal.core.images import clean_photo
from portal.core.subscriptions.models import State, Subscription
from portal.core.subscriptions.services import confirm, confirm_code
from portal.tickets.constants import TicketStatus
from portal.tickets.models import Ticket
from portal.tickets.services import ticket_change_status
from services.eforms.constants import SubmissionStatus
from services.eforms.models import Submission, SubmissionFile
from services.payments.constants import PaymentState
from services.payments.models import Payment
from services.reports.follow import report_follow
from services.reports.models import Report, ReportPhoto, ReportSupport
from services.reports.services import report_support
from tests.factories import (
    DepartmentFactory,
    DistrictFactory,
    StaffUserFactory,
    UserFactory,
    square,
)
from tests.participation.factories import field_of_action, phase, project
from tests.participation.polls.conftest import make_poll
from tests.services.reports.test_follow import make_category, make_report

FIRST, LAST = "Henrike", "Quarzmann"
FULL_NAME = f"{FIRST} {LAST}"
EMAIL = "henrike.quarzmann@example.org"
# her second confirmed address, which she used for a report before she had an account
SECOND_EMAIL = "post@quarzmann.example"
OTHER_EMAIL = "otto.nachbar@example.org"
OTHER_NAME = ("Otto", "Nachbar")
# what must be gone after the erasure, everywhere (compared case-insensitively)
TRACES = (EMAIL, SECOND_EMAIL, FULL_NAME, FIRST, LAST)

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def jpeg(colour: str, name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (160, 120), colour).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def real_media(files_on_disk):
    """MEDIA_ROOT and the private storage in folders of the test, on disk."""
    return [files_on_disk / "media", files_on_disk / "private"]


def files_under(folders: list[Path]) -> list[Path]:
    return [path for folder in folders for path in folder.rglob("*") if path.is_file()]


@dataclass
class Life:
    citizen: object
    other: object
    report: Report
    submission: Submission
    project_idea: Idea
    pool_idea: PoolIdea
    others_project_idea: Idea
    others_pool_idea: PoolIdea
    comment: Comment
    response: Response
    quoted_ticket: Ticket  # staff quoted her name and address in a note on someone else's case
    clerk: object  # who answered on her report and wrote that note
    folders: list[Path] = field(default_factory=list)

    def citizen_rows(self) -> dict[str, models.QuerySet]:
        """Her rows of each kind, straight from the database (not through the registry)."""
        user = self.citizen
        emails = [EMAIL, SECOND_EMAIL]
        submissions = Submission.objects.filter(applicant=user)
        return {
            "reports.Report": Report.objects.filter(
                Q(reporter=user) | Q(reporter_email__in=emails)
            ),
            "reports.ReportPhoto": ReportPhoto.objects.filter(
                Q(report__reporter=user) | Q(report__reporter_email__in=emails)
            ),
            "eforms.Submission": submissions,
            "eforms.SubmissionFile": SubmissionFile.objects.filter(submission__applicant=user),
            "payments.Payment": Payment.objects.filter(
                order_object_id__in=[str(pk) for pk in submissions.values_list("pk", flat=True)]
            ),
            "reports.ReportSupport": ReportSupport.objects.filter(
                Q(user=user) | Q(email__in=emails)
            ),
            "contributions.Idea": Idea.objects.filter(author=user),
            "ideas.PoolIdea": PoolIdea.objects.filter(input__author=user),
            "contributions.Support": Support.objects.filter(user=user),
            "contributions.Comment": Comment.objects.filter(author=user),
            "polls.Response": Response.objects.filter(user=user),
            "polls.Answer": Answer.objects.filter(response__user=user),
            "core.Subscription": Subscription.objects.filter(Q(user=user) | Q(email__in=emails)),
            "tickets.Ticket": Ticket.objects.filter(Q(citizen=user) | Q(contact_email__in=emails)),
        }

    def other_rows(self) -> dict[str, list[dict]]:
        """Everything of the other person, as values, to compare before and after."""
        other = self.other
        # what others' supports change in a shared counter is not the other person's data
        idea_fields = [f.name for f in Idea._meta.concrete_fields if f.name != "support_count"]
        report_fields = [f.name for f in Report._meta.concrete_fields if f.name != "support_count"]
        return {
            "user": list(type(other).objects.filter(pk=other.pk).values()),
            "report": list(Report.objects.filter(reporter=other).values(*report_fields)),
            "photos": [
                (photo.pk, photo.image.name, photo.image.read())
                for photo in ReportPhoto.objects.filter(report__reporter=other).order_by("pk")
            ],
            "ideas": list(Idea.objects.filter(author=other).order_by("pk").values(*idea_fields)),
            "pool": list(PoolIdea.objects.filter(input__author=other).values()),
            "supports": list(Support.objects.filter(user=other).order_by("pk").values()),
            "comments": list(Comment.objects.filter(author=other).order_by("pk").values()),
            "responses": list(Response.objects.filter(user=other).values()),
            "answers": list(Answer.objects.filter(response__user=other).order_by("pk").values()),
            "subscriptions": list(
                Subscription.objects.filter(Q(user=other) | Q(email=OTHER_EMAIL))
                .order_by("pk")
                .values()
            ),
            "tickets": list(Ticket.objects.filter(citizen=other).values()),
        }


def offer_certificate(department) -> None:
    """The service page of the Personenstandsurkunde, with its online form and fee."""
    from wagtail.models import Site

    from portal.tickets.constants import CategoryKind
    from services.catalogue.models import ServiceIndexPage, ServicePage
    from tests.factories import CategoryFactory

    root = Site.objects.get(is_default_site=True).root_page
    index = root.add_child(instance=ServiceIndexPage(title="Dienstleistungen", slug="dl"))
    index.add_child(
        instance=ServicePage(
            title="Personenstandsurkunde",
            slug="personenstandsurkunde",
            teaser="Urkunden aus dem Personenstandsregister.",
            department=department,
            is_online=True,
            has_fee=True,
            has_epayment=True,
            form_key="personenstandsurkunde",
            category=CategoryFactory(kind=CategoryKind.APPLICATION, default_department=department),
        )
    )


def apply_for_a_certificate(browser) -> tuple[Submission, str]:
    """The certificate application with a proof, sent over HTTP as in
    tests/services/eforms/test_payment.py: (the application, the demo provider's pay page)."""
    assert browser.post("/antraege/personenstandsurkunde/").status_code == 302
    submission = Submission.objects.latest("created_at")
    steps = [
        {"kind": "geburt", "copies": "2", "purpose": "erbe"},
        {
            "family_name": LAST,
            "given_names": "Albert",
            "event_date": "1950-05-01",
            "event_place": "Schwerte",
        },
        {
            "relation": "interesse",
            "proof": SimpleUploadedFile("erbschein-quarzmann.pdf", PDF, "application/pdf"),
            "delivery": "post",
            "recipient_name": FULL_NAME,
            "street": "Quarzweg 3",
            "postcode": "58239",
            "city": "Schwerte",
        },
    ]
    for number, data in enumerate(steps, start=1):
        response = browser.post(
            f"/antraege/antrag/{submission.public_id}/schritt/{number}/",
            {**data, "action": "weiter"},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    response = browser.post(f"/antraege/antrag/{submission.public_id}/pruefen/", {"consent": "on"})
    assert response.status_code == 302 and response["Location"].startswith("/bezahlen/demo/")
    return submission, response["Location"]


def _apply_and_pay(citizen, department) -> Submission:
    """Applied, and paid on the demo provider's page."""
    offer_certificate(department)
    browser = Client()
    browser.force_login(citizen)
    submission, pay_page = apply_for_a_certificate(browser)
    back = browser.post(pay_page, {"action": "pay"})
    assert back.status_code == 302
    browser.get(back["Location"])  # the return fetches the payment's status
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RELEASED
    assert Payment.objects.get(order_object_id=str(submission.pk)).state == PaymentState.SUCCEEDED
    return submission


def _answer(poll, text: str) -> list[AnswerInput]:
    single, multiple, free = poll.questions.order_by("sort_order")
    return [
        AnswerInput(question_id=single.pk, choice_ids=(single.choices.get(text="Bäume").pk,)),
        AnswerInput(question_id=multiple.pk, choice_ids=(multiple.choices.get(text="abends").pk,)),
        AnswerInput(question_id=free.pk, text=text),
    ]


@pytest.fixture
def citizen_life(db, real_media, outbox_worker, django_capture_on_commit_callbacks) -> Life:
    callbacks = django_capture_on_commit_callbacks
    DistrictFactory(name="Mitte", area=square(7.5, 51.4, 0.1))
    department = DepartmentFactory(name="Stabsstelle Bürgerbeteiligung")
    category = idea_category()
    category.default_department = department
    category.save()
    staff = StaffUserFactory(first_name="Sabine", last_name="Sachbearbeiterin")
    citizen = UserFactory(
        first_name=FIRST,
        last_name=LAST,
        display_name=FULL_NAME,
        email=EMAIL,
        trust_level=TrustLevel.EMAIL_CONFIRMED,
    )
    other = UserFactory(
        first_name=OTHER_NAME[0],
        last_name=OTHER_NAME[1],
        display_name="Otto N.",
        email=OTHER_EMAIL,
        trust_level=TrustLevel.EMAIL_CONFIRMED,
    )
    EmailAddress.objects.create(user=citizen, email=SECOND_EMAIL, verified=True, primary=False)
    lights = make_category(name="Straßenbeleuchtung", department=department)
    with callbacks(execute=True):
        # before she had an account: a report under her other address, without a photo
        make_report(
            lights,
            name=FULL_NAME,
            email=SECOND_EMAIL,
            description="Bank am Quarzweg kaputt, meldet Henrike Quarzmann.",
        )
        # a Mängelmeldung with a photo, and the other person's
        report = make_report(
            lights,
            name=FULL_NAME,
            email=EMAIL,
            user=citizen,
            description="Laterne vor Quarzweg 3 ist dunkel.",
            photos=[(clean_photo(jpeg("orange", "laterne.jpg")), "Die dunkle Laterne")],
        )
        others_report = make_report(
            lights,
            name=" ".join(OTHER_NAME),
            email=OTHER_EMAIL,
            user=other,
            description="Schlagloch am Markt.",
            photos=[(clean_photo(jpeg("navy", "loch.jpg")), "Das Schlagloch")],
        )
        ticket_change_status(
            ticket=others_report.ticket,
            actor=staff,
            status=TicketStatus.IN_PROGRESS,
            public_message="Wir sind dran.",
            internal_note=f"Auch gemeldet von {FULL_NAME} ({EMAIL}), bitte zusammen erledigen.",
        )
        ticket_change_status(
            ticket=report.ticket,
            actor=staff,
            status=TicketStatus.IN_PROGRESS,
            public_message=f"Wir kümmern uns darum, Frau {LAST}.",
        )
        # "Ich bin auch betroffen"
        report_support(report=others_report, user=citizen)
    # an online application with an upload, paid on the demo provider's page
    with callbacks(execute=True):
        submission = _apply_and_pay(citizen, department)
    # a project with ideas, supports, comments and a poll
    vorhaben = project(title="Neugestaltung des Marktplatzes", slug="marktplatz")
    phase(
        vorhaben,
        modules=[Module.IDEAS, Module.COMMENTS, Module.RATINGS, Module.POLLS],
        intensity=Intensity.CONSULTATION,
    )
    with callbacks(execute=True):
        project_idea = idea_create(
            actor=citizen,
            project=vorhaben,
            title="Wasserspiel für Kinder",
            text="Ein flaches Wasserspiel, schlägt Henrike Quarzmann vor.",
        )
        others_project_idea = idea_create(
            actor=other, project=vorhaben, title="Mehr Bäume", text="Schatten für alle."
        )
        project_idea_support(actor=citizen, idea=project_idea)
        project_idea_support(actor=other, idea=project_idea)
        project_idea_support(actor=citizen, idea=others_project_idea)
        comment = comment_create(
            actor=citizen,
            target=vorhaben,
            idea=others_project_idea,
            text="Gute Idee! Ich helfe beim Pflanzen. Henrike",
        )
        comment_create(actor=other, target=vorhaben, idea=project_idea, text="Prima Vorschlag.")
        # ideas of the Ideenpool: hers with a photo, supported by others; she supports another
        topic = field_of_action(name="Grün und Freiraum")
        pool_idea = idea_submit(
            actor=citizen,
            title="Bücherschrank am Bahnhof",
            text="Ein offener Bücherschrank, von Henrike Quarzmann betreut.",
            field_of_action=topic,
            photo=clean_photo(jpeg("green", "schrank.jpg")),
        )
        others_pool_idea = idea_submit(
            actor=other, title="Trinkbrunnen", text="Am Markt fehlt Wasser.", field_of_action=topic
        )
        pool_idea_support(actor=other, idea=pool_idea)
        pool_idea_support(actor=UserFactory(trust_level=TrustLevel.EMAIL_CONFIRMED), idea=pool_idea)
        pool_idea_support(actor=citizen, idea=others_pool_idea)
        # a poll answer with free text, and the other person's
        poll = make_poll(vorhaben)
        response = poll_answer(
            poll=poll,
            answers=_answer(poll, "Mehr Schatten am Brunnen. Henrike Quarzmann, Quarzweg 3"),
            user=citizen,
        )
        poll_answer(poll=poll, answers=_answer(poll, "Mehr Bänke."), user=other)
        # three subscriptions, confirmed: a report (by address, double opt-in), a project
        # (signed in) and the Mitmachpool (by address)
        followed = report_follow(report=others_report, email=EMAIL)
        project_follow(project=vorhaben, user=citizen)
        pool = pool_subscribe(email=EMAIL, fields_of_action=[topic])
        project_follow(project=vorhaben, email=OTHER_EMAIL)
    for subscription in (followed, pool):
        confirm(code=confirm_code(subscription))
    assert not Subscription.objects.filter(state=State.PENDING, email=EMAIL).exists()
    pool_idea = PoolIdea.objects.get(pk=pool_idea.pk)
    return Life(
        citizen=citizen,
        other=other,
        report=report,
        submission=submission,
        project_idea=project_idea,
        pool_idea=pool_idea,
        others_project_idea=others_project_idea,
        others_pool_idea=PoolIdea.objects.get(pk=others_pool_idea.pk),
        comment=comment,
        response=response,
        quoted_ticket=others_report.ticket,
        clerk=staff,
        folders=real_media,
    )


def login(client, email: str = EMAIL) -> None:
    """The login through allauth's page, with the password: it counts as fresh."""
    from tests.factories import DEFAULT_PASSWORD

    response = client.post("/accounts/login/", {"login": email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]
