import pytest
from django.core.cache import cache
from django.test import override_settings

from portal.core import breaker

DEAD_REDIS = {
    "default": {
        "BACKEND": "portal.core.cache.ResilientRedisCache",
        # nothing listens on port 1: every connection is refused at once
        "LOCATION": "redis://127.0.0.1:1/1",
    }
}


@pytest.fixture
def dead_cache():
    """The default cache on a Redis that is down."""
    breaker.reset()
    with override_settings(CACHES=DEAD_REDIS):
        yield cache
    breaker.reset()
