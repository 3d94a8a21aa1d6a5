"""Writes of the following app: follow a project, subscribe to the Mitmachpool (both on the
kernel's subscriptions: double opt-in, signed links, one-click unsubscribe), and the scan that
owes each notice once through the outbox."""

from .notices import notices_scan
from .subscriptions import (
    pool_change,
    pool_confirm,
    pool_subscribe,
    pool_subscription_get,
    pool_unsubscribe,
    project_follow,
)

__all__ = [
    "notices_scan",
    "pool_change",
    "pool_confirm",
    "pool_subscribe",
    "pool_subscription_get",
    "pool_unsubscribe",
    "project_follow",
]
