"""Following a project and the Mitmachpool keep no tables of their own: their subscriptions are
the kernel's (portal.core.subscriptions), their e-mails the outbox's."""

import secrets


def _new_token() -> str:  # kept for migration 0001 (the subscriptions moved to the kernel)
    return secrets.token_urlsafe(32)
