"""'Vorhaben folgen': double opt-in with a signed, expiring link, the account's verified address
without one, one-click unsubscribe, honeypot and rate limits."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from participation.following.services import project_follow
from portal.core.subscriptions.models import State
from portal.core.subscriptions.services import confirm_code, subscription_from_confirm_code
from portal.core.tasks import outbox_send_task
from tests.factories import UserFactory
from tests.participation.factories import phase, project

from .conftest import confirmations, confirmed_follow, follow_of, follows, links, run_enqueued

pytestmark = pytest.mark.django_db

FOLLOWER = "fritz.folger@example.org"


@pytest.fixture
def vorhaben(db):
    page = project(title="Radweg Ruhrtal")
    phase(page)
    return page


def follow_by_form(client, page, callbacks, email=FOLLOWER, **extra):
    with callbacks(execute=True):
        return client.post(
            f"/mitmachpool/vorhaben/{page.pk}/folgen/", {"folgen-email": email, **extra}
        )


def test_the_project_page_offers_the_follow_form(client, vorhaben):
    text = client.get(vorhaben.url).content.decode()
    assert "Vorhaben folgen" in text
    assert f'action="/mitmachpool/vorhaben/{vorhaben.pk}/folgen/"' in text
    assert 'name="folgen-email"' in text and 'for="id_folgen-email"' in text


def test_following_sends_one_confirmation_with_a_signed_link(
    client, vorhaben, enqueued, django_capture_on_commit_callbacks
):
    response = follow_by_form(
        client, vorhaben, django_capture_on_commit_callbacks, "Fritz.Folger@Example.org"
    )
    assert response.status_code == 302
    assert response["Location"] == f"{vorhaben.url}#folgen"
    follow = follows().get()
    assert follow.email == FOLLOWER and not follow.is_active
    assert confirmations(enqueued) == [follow.pk] and len(enqueued) == 1
    message_id = enqueued[0]

    run_enqueued(enqueued)
    assert outbox_send_task.apply(args=[message_id]).get() is False  # once
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [FOLLOWER]
    assert "Bitte bestätigen" in message.subject and "Radweg Ruhrtal" in message.subject
    found = links(message)
    assert set(found) == {"follow-confirm", "follow-unsubscribe"}
    code = found["follow-confirm"].split("/")[-2]
    assert ":" in code and subscription_from_confirm_code(code) == follow  # signed, expiring
    assert found["follow-unsubscribe"] == f"/mitmachpool/vorhaben/abmelden/{follow.end_code}/"
    assert message.extra_headers["List-Unsubscribe"] == (
        f"<http://testserver{found['follow-unsubscribe']}>"
    )
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert found["follow-confirm"] in message.alternatives[0][0]

    # the link shows a button; only the POST confirms
    page = client.get(found["follow-confirm"])
    assert "Ja, ich möchte diesem Vorhaben folgen" in page.content.decode()
    follow.refresh_from_db()
    assert follow.state == State.PENDING
    response = client.post(found["follow-confirm"])
    assert response.status_code == 302 and response["Location"] == f"{vorhaben.url}#folgen"
    follow.refresh_from_db()
    assert follow.is_active


def test_the_message_after_the_form_says_to_check_the_mail(
    client, vorhaben, enqueued, django_capture_on_commit_callbacks
):
    response = follow_by_form(client, vorhaben, django_capture_on_commit_callbacks)
    text = client.get(response["Location"].split("#")[0]).content.decode()
    assert "Fast geschafft" in text and "Bestätigungslink" in text


def test_a_tampered_or_expired_link_confirms_nothing(client, vorhaben, enqueued):
    follow = project_follow(project=vorhaben, email=FOLLOWER)
    code = confirm_code(follow)
    response = client.post(f"/mitmachpool/vorhaben/bestaetigen/{code[:-2]}xx/")
    assert response.status_code == 404
    assert "Dieser Link ist ungültig." in response.content.decode()
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        response = client.post(f"/mitmachpool/vorhaben/bestaetigen/{code}/")
    assert response.status_code == 404
    assert "abgelaufen" in response.content.decode()
    follow.refresh_from_db()
    assert follow.state == State.PENDING and follow.confirmed_at is None


def test_asking_twice_sends_no_second_confirmation_soon_after(
    client, vorhaben, enqueued, django_capture_on_commit_callbacks
):
    follow_by_form(client, vorhaben, django_capture_on_commit_callbacks)
    run_enqueued(enqueued)
    follow_by_form(client, vorhaben, django_capture_on_commit_callbacks)
    assert follows().count() == 1
    assert enqueued == []
    # much later (the first link may be lost or expired) a new one goes out
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        follow_by_form(Client(), vorhaben, django_capture_on_commit_callbacks)
        run_enqueued(enqueued)
    assert len(mail.outbox) == 2


def test_a_signed_in_person_with_a_verified_address_follows_at_once(
    client, vorhaben, enqueued, django_capture_on_commit_callbacks
):
    user = UserFactory(email="konto@example.org")
    client.force_login(user)
    text = client.get(vorhaben.url).content.decode()
    assert "Die E-Mails gehen an die Adresse Ihres Kontos: konto@example.org" in text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/mitmachpool/vorhaben/{vorhaben.pk}/folgen/", {})
    assert response.status_code == 302
    follow = follows().get()
    assert follow.is_active and follow.user == user and follow.email == "konto@example.org"
    assert enqueued == []
    text = client.get(vorhaben.url).content.decode()
    assert "Sie folgen diesem Vorhaben." in text and "Nicht mehr folgen" in text


def test_an_unverified_account_address_needs_the_link(
    client, vorhaben, enqueued, django_capture_on_commit_callbacks
):
    client.force_login(UserFactory(email="neu@example.org", confirmed=False))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/mitmachpool/vorhaben/{vorhaben.pk}/folgen/", {})
    follow = follows().get()
    assert not follow.is_active
    assert confirmations(enqueued) == [follow.pk]


def test_unsubscribe_by_one_click_post_without_csrf(vorhaben):
    follow = confirmed_follow(vorhaben, FOLLOWER)
    client = Client(enforce_csrf_checks=True)
    url = f"/mitmachpool/vorhaben/abmelden/{follow.end_code}/"
    page = client.get(url)
    assert page.status_code == 200 and "Abmelden" in page.content.decode()
    follow.refresh_from_db()
    assert follow.is_active  # opening the link changes nothing
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "Sie sind abgemeldet" in response.content.decode()
    follow.refresh_from_db()
    assert follow.state == State.ENDED and follow.ended_at is not None
    assert client.get("/mitmachpool/vorhaben/abmelden/falsch/").status_code == 404


def test_following_again_after_unsubscribing_starts_over(
    client, vorhaben, enqueued, django_capture_on_commit_callbacks
):
    follow = follow_of(
        vorhaben, FOLLOWER, state=State.ENDED, confirmed_at=timezone.now(), ended_at=timezone.now()
    )
    follow_by_form(client, vorhaben, django_capture_on_commit_callbacks)
    follow.refresh_from_db()
    assert follow.state == State.PENDING and follow.confirmed_at is None
    assert confirmations(enqueued) == [follow.pk]


def test_the_honeypot_pretends_success_and_saves_nothing(
    client, vorhaben, enqueued, django_capture_on_commit_callbacks
):
    response = follow_by_form(
        client, vorhaben, django_capture_on_commit_callbacks, **{"folgen-homepage": "x"}
    )
    assert response.status_code == 302
    assert not follows().exists() and enqueued == []


def test_an_invalid_address_is_shown_with_a_german_error(client, vorhaben, enqueued):
    response = client.post(f"/mitmachpool/vorhaben/{vorhaben.pk}/folgen/", {"folgen-email": "x@"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Bitte geben Sie eine gültige E-Mail-Adresse an." in text
    assert 'href="#id_folgen-email"' in text
    assert not follows().exists()


def test_the_rate_limit_per_address_and_per_ip(
    vorhaben, enqueued, settings, django_capture_on_commit_callbacks
):
    settings.FOLLOWING_LIMIT_PER_EMAIL_HOUR = 1
    settings.FOLLOWING_LIMIT_PER_IP_HOUR = 3
    assert follow_by_form(Client(), vorhaben, django_capture_on_commit_callbacks).status_code == 302
    response = follow_by_form(Client(), vorhaben, django_capture_on_commit_callbacks)
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "zu viele Anfragen" in response.content.decode()
    follow_by_form(Client(), vorhaben, django_capture_on_commit_callbacks, "a@example.org")
    response = follow_by_form(
        Client(), vorhaben, django_capture_on_commit_callbacks, "b@example.org"
    )
    assert response.status_code == 429  # the fourth request from this address
    assert follows().count() == 2


def test_a_draft_project_cannot_be_followed(client, enqueued):
    draft = project(live=False)
    response = client.post(f"/mitmachpool/vorhaben/{draft.pk}/folgen/", {"folgen-email": FOLLOWER})
    assert response.status_code == 404
    assert not follows().exists()
