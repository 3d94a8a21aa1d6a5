"""Rate limits of the public forms that need no account (Mängelmelder, "Melden", polls, follow
and Mitmachpool), counted in the cache (Redis in production, so every web process shares one
count): a fixed window per scope and identity. Scopes name the form, e.g. "poll-answer-ip".

While Redis is unreachable (portal.core.cache, portal.core.breaker) each process counts on its
own, in memory: the limit becomes at most "limit × processes" for the outage instead of being
gone (failing open would let a script flood the forms exactly when Redis is in trouble), and
nobody waits for Redis (failing closed would refuse every citizen).

Identities (IP addresses, e-mail addresses) are hashed before they become part of a cache key.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache

from .cache import CacheUnavailable

# this process's counts while the shared cache is unreachable
_local = LocMemCache("portal-ratelimit-fallback", {"OPTIONS": {"MAX_ENTRIES": 10_000}})


def client_ip(request) -> str:
    """The client's address; behind N trusted proxies (TRUSTED_PROXY_COUNT, the setting allauth's
    limits use too) the N-th address from the right of X-Forwarded-For."""
    proxies = getattr(settings, "ALLAUTH_TRUSTED_PROXY_COUNT", 0)
    forwarded = request.headers.get("X-Forwarded-For", "")
    if proxies > 0 and forwarded:
        addresses = [part.strip() for part in forwarded.split(",")]
        if len(addresses) >= proxies:
            return addresses[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def rate_limit_hit(*, scope: str, identity: str, limit: int, seconds: int) -> int | None:
    """Count one request of `identity`. Over the limit: the seconds until the window ends (for
    Retry-After); otherwise None."""
    now = time.time()
    window = int(now // seconds)
    digest = hashlib.sha256(f"{scope}\0{identity}".encode()).hexdigest()[:32]
    key = f"rate:{scope}:{digest}:{window}"
    try:
        count = _count(cache, key, seconds)
    except CacheUnavailable:
        count = _count(_local, key, seconds)
    except ValueError:  # the cache lost the key between add and incr: let this one through
        return None
    if count > limit:
        return max(1, seconds - int(now) % seconds)
    return None


def _count(counts, key: str, seconds: int) -> int:
    counts.add(key, 0, timeout=seconds * 2)
    return counts.incr(key)


def rate_limit_exceeded(request, *, scope: str, limit: int, seconds: int) -> dict | None:
    """Count one request of the client's IP address; over the limit, the headers of the 429."""
    wait = rate_limit_hit(scope=scope, identity=client_ip(request), limit=limit, seconds=seconds)
    return {"Retry-After": str(wait)} if wait else None
