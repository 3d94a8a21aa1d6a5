"""Rate limits of the public participation forms (poll answers, follow and Mitmachpool requests),
counted in the cache (Redis in production, so every web process shares one count): a fixed window
per scope and identity. They fail open while the cache is down (portal.core.cache).

Identities (IP addresses, e-mail addresses) are hashed before they become part of a cache key.
The same approach as the Mängelmelder's limits; participation must not import from services.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache


def client_ip(request) -> str:
    """The client's address; behind N trusted proxies (ALLAUTH_TRUSTED_PROXY_COUNT) the N-th
    address from the right of X-Forwarded-For."""
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
    key = f"participation:rate:{scope}:{digest}:{window}"
    cache.add(key, 0, timeout=seconds * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # the cache lost the key or is down: let the request through
        return None
    if count > limit:
        return max(1, seconds - int(now) % seconds)
    return None
