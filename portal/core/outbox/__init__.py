"""The one outbox of the portal: every e-mail goes through it (docs/architecture.md, "The kernel").

from portal.core import outbox
outbox.owe("tickets.receipt:12", kind="tickets.receipt", recipient=address,
           template="emails/tickets/receipt", context={"ticket": 12})

@outbox.context_builder("tickets.receipt")   # in the app's emails.py
def build(message): ...                      # ids -> template context; None = nothing to say
"""

from .registry import context_builder
from .services import message_retry, owe, owe_many

__all__ = ["context_builder", "message_retry", "owe", "owe_many"]
