"""Local development: `make run`. Needs no environment variables."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, VAR_DIR, env

DEBUG = env.bool("DEBUG", default=True)
# the demo city (`manage.py load_demo`, run by `make run`); first, so that its `load_demo`
# replaces the shipped one that refuses
INSTALLED_APPS = ["demo", *INSTALLED_APPS]
INTERNAL_IPS = ["127.0.0.1"]

# static files straight from the source folders; no collectstatic needed
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True

# the SQLite database, Redis data and media live here
VAR_DIR.mkdir(exist_ok=True)
