"""The portal's production settings for bench/web.py, with a URLconf that adds a bare view."""

from portal.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
