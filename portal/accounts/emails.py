"""The outbox's part of allauth's e-mails (confirmation, password reset, change notices, second
factor): they arrive rendered (adapter.AccountAdapter.owe_mail) and their text, which may hold a
one-time link, is forgotten once sent."""

from portal.core import outbox

from .adapter import MAIL_KIND


@outbox.context_builder(MAIL_KIND, forget_after_send=True)
def build(message) -> dict:
    return dict(message.context)
