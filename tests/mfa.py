"""The code an authenticator app shows for a TOTP secret, for tests that sign in with a second
factor."""

import time

from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value


def totp_code(secret: str) -> str:
    """The code of the current period, as an app shows it. (The oldest period the server still
    accepts would be refused when the period changes before the code arrives.)"""
    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))
