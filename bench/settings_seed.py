"""bench/settings_prod.py with the demo app, which only the seeding process needs
(`load_demo` refuses to run without it; the served portal runs without it, as in production)."""

from .settings_prod import *  # noqa: F403

# first, so that its `load_demo` replaces the refusing one (as in portal/settings/dev.py)
INSTALLED_APPS = ["demo", *INSTALLED_APPS]  # noqa: F405
