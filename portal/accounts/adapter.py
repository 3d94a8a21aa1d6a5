import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse

from portal.core import outbox
from portal.core.links import absolute_url, rebased_url

from .models import TrustLevel

MAIL_KIND = "accounts.mail"

# allauth's links in its e-mails (confirmation, password reset, sign-up)
_MAIL_LINKS = ("activate_url", "password_reset_url", "signup_url")


@dataclass(frozen=True)
class PortalSite:
    """What allauth's templates call `current_site`. Without Django's sites framework allauth
    would take the host of the request for the name ("Hallo von 127.0.0.1")."""

    name: str
    domain: str


def portal_site() -> PortalSite:
    return PortalSite(name=settings.WAGTAIL_SITE_NAME, domain=urlsplit(settings.BASE_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):
    def confirm_email(self, request, email_address):
        super().confirm_email(request, email_address)
        user = email_address.user
        if user.trust_level < TrustLevel.EMAIL_CONFIRMED:
            user.trust_level = TrustLevel.EMAIL_CONFIRMED
            user.save(update_fields=["trust_level"])

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Every allauth e-mail is signed with the portal's name, and its links lead to BASE_URL,
        never to the host the request came in on."""
        site = portal_site()
        context = {
            "current_site": site,
            "site_name": site.name,
            # the way back into a hijacked account, named in every change notice
            "password_forgotten_url": absolute_url(reverse("account_reset_password")),
            **context,
        }
        for key in _MAIL_LINKS:
            if context.get(key):
                context[key] = rebased_url(context[key])
        self.owe_mail(template_prefix, email, context)

    def owe_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's e-mail goes through the portal's one outbox like every other: rendered here,
        where allauth's context (request, user, one-time links) exists, and owed as text. The
        outbox forgets the text once it is sent (emails.py), so a reset link does not stay in
        the database."""
        message = self.render_mail(template_prefix, email, {"email": email, **context})
        html = next(
            (content for content, mimetype in getattr(message, "alternatives", ())
             if mimetype == "text/html"),
            "",
        )  # fmt: skip
        if message.content_subtype == "html":
            html = message.body
        outbox.owe(
            f"accounts.mail:{uuid.uuid4()}",
            kind=MAIL_KIND,
            recipient=email,
            template="emails/core/rendered",
            context={
                # the outbox puts the portal's subject prefix in front again
                "subject": message.subject.removeprefix(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX),
                "body": message.body,
                "html": html,
            },
        )
