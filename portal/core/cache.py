"""A Redis cache that degrades instead of failing.

The cache holds nothing that cannot be rebuilt (Wagtail's site paths, rate-limit counters,
geocoder answers), so a dead or stalled Redis must not turn page views into errors. On a
connection error or timeout the operation behaves like a cache miss, and the server's breaker
(portal.core.breaker) opens: for a few seconds the cache, the rate limits and the doorbell of this
process leave that Redis alone instead of each waiting for its socket timeout again.
"""

import functools
import logging

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from .breaker import breaker_for

logger = logging.getLogger(__name__)


class CacheUnavailable(ValueError):
    """`incr` while Redis is unreachable. A ValueError, as Django's `incr` of a missing key, so
    callers that treat a lost key as "start again" need not know about it; the rate limits do
    (portal.core.ratelimit)."""


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
    def __getattribute__(self, name):
        attribute = super().__getattribute__(name)
        if name not in _FALLBACKS and name != "incr":
            return attribute
        return functools.partial(ResilientRedisCacheClient._guarded, self, name, attribute)

    def get_client(self, key=None, *, write=False):
        """One Redis client per connection pool, kept: Django's builds a new one for every
        operation, and a redis-py client copies its table of ~170 reply parsers when built
        (a tenth of a millisecond, several times per page)."""
        index = self._get_connection_pool_index(write)
        clients = self.__dict__.setdefault("_kept_clients", {})
        client = clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(
                    self._servers[index], **self._pool_options
                )
            client = clients[index] = self._client(connection_pool=self._pools[index])
        return client

    def _guarded(self, name, method, *args, **kwargs):
        # the first server takes the writes; a stalled primary is what makes requests wait
        breaker = breaker_for(self._servers[0])
        if not breaker.allows():
            return self._fallback(name, args)
        try:
            result = method(*args, **kwargs)
        except (RedisConnectionError, RedisTimeoutError) as exc:
            if breaker.failed():
                logger.warning("Redis cache unreachable, working without it: %s", exc)
            return self._fallback(name, args)
        breaker.succeeded()
        return result

    @staticmethod
    def _fallback(name, args):
        if name == "get":
            return args[1] if len(args) > 1 else None
        if name == "incr":
            raise CacheUnavailable("cache unavailable")
        fallback = _FALLBACKS[name]
        return fallback.copy() if isinstance(fallback, dict | list) else fallback


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient
