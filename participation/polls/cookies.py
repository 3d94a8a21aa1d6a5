"""The browser token: one random value per browser in a signed, httpOnly cookie, so that a poll
can be answered once per browser without an account. It identifies the browser, not the person,
and is only set when someone answers a poll (a cookie the answering itself needs). The database
holds only a keyed hash of it (`browser_key_digest`), never the cookie's value, and the retention
job empties even that once the poll has ended (polls/personal_data.py)."""

import secrets

from django.conf import settings
from django.utils.crypto import salted_hmac

SALT = "participation.polls.browser"
DIGEST_SALT = "participation.polls.browser.digest"


def browser_cookie_get(request) -> str:
    """The cookie's value, or "" if there is none (or a forged one)."""
    value = request.get_signed_cookie(settings.POLLS_BROWSER_COOKIE_NAME, default="", salt=SALT)
    return value if 20 <= len(value) <= 64 and value.isascii() else ""


def browser_key_digest(value: str) -> str:
    """What the database keeps of a cookie's value (64 hexadecimal digits)."""
    return salted_hmac(DIGEST_SALT, value, algorithm="sha256").hexdigest() if value else ""


def browser_key_get(request) -> str:
    """The browser's key as stored with its answers, or "" if it has no cookie."""
    return browser_key_digest(browser_cookie_get(request))


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
