"""A Redis cache that degrades instead of failing.

The cache holds nothing that cannot be rebuilt (Wagtail's site paths, rate-limit counters), so a
dead or stalled Redis must not turn page views into errors. On a connection error the operation
behaves like a cache miss, and Redis is left alone for a few seconds so that each request does
not wait for the socket timeout again. Rate limits fail open during an outage; that is logged.
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5.0

# what each operation answers while Redis is unreachable
_FALLBACKS = {
    "add": False,
    "get": None,  # replaced by the caller's default
    "set": None,
    "touch": False,
    "delete": False,
    "get_many": {},
    "has_key": False,
    "set_many": [],
    "delete_many": None,
    "clear": False,
}


class ResilientRedisCacheClient(RedisCacheClient):
    _down_until = 0.0

    def __getattribute__(self, name):
        attribute = super().__getattribute__(name)
        if name not in _FALLBACKS and name != "incr":
            return attribute
        return functools.partial(ResilientRedisCacheClient._guarded, self, name, attribute)

    def _guarded(self, name, method, *args, **kwargs):
        cls = ResilientRedisCacheClient
        if time.monotonic() < cls._down_until:
            return self._fallback(name, args)
        try:
            return method(*args, **kwargs)
        except (RedisConnectionError, RedisTimeoutError) as exc:
            cls._down_until = time.monotonic() + RETRY_AFTER_SECONDS
            logger.warning("Redis cache unreachable, working without it: %s", exc)
            return self._fallback(name, args)

    @staticmethod
    def _fallback(name, args):
        if name == "get":
            return args[1] if len(args) > 1 else None
        if name == "incr":
            # Django's incr raises ValueError for a missing key; callers handle that
            raise ValueError("cache unavailable")
        fallback = _FALLBACKS[name]
        return fallback.copy() if isinstance(fallback, dict | list) else fallback


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient
