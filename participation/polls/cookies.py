"""The browser token: one random value per browser in a signed, httpOnly cookie, so that a poll
can be answered once per browser without an account. It identifies the browser, not the person,
and is only set when someone answers a poll (a cookie the answering itself needs)."""

import secrets

from django.conf import settings

SALT = "participation.polls.browser"


def browser_key_get(request) -> str:
    """The browser's token, or "" if it has none (or a forged one)."""
    value = request.get_signed_cookie(settings.POLLS_BROWSER_COOKIE_NAME, default="", salt=SALT)
    return value if 20 <= len(value) <= 64 and value.isascii() else ""


def browser_key_new() -> str:
    return secrets.token_urlsafe(24)


def browser_key_set(response, key: str) -> None:
    response.set_signed_cookie(
        settings.POLLS_BROWSER_COOKIE_NAME,
        key,
        salt=SALT,
        max_age=settings.POLLS_BROWSER_COOKIE_AGE,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )
