"""Writes of the following app: follow a project, subscribe to the Mitmachpool (both with double
opt-in and one-click unsubscribe), and the notices with their sent-log.

The broker is only the doorbell: rows are written first, tasks get ids after commit, and the scan
(every few minutes) rings again for whatever was not sent.
"""

from .base import confirmation_code, follow_from_code, pool_subscription_from_code
from .notices import notice_send, notices_scan
from .subscriptions import (
    pool_change,
    pool_confirm,
    pool_send_confirmation,
    pool_send_settings_link,
    pool_subscribe,
    pool_unsubscribe,
    project_follow,
    project_follow_confirm,
    project_follow_send_confirmation,
    project_follow_unsubscribe,
)

__all__ = [
    "confirmation_code",
    "follow_from_code",
    "notice_send",
    "notices_scan",
    "pool_change",
    "pool_confirm",
    "pool_send_confirmation",
    "pool_send_settings_link",
    "pool_subscribe",
    "pool_subscription_from_code",
    "pool_unsubscribe",
    "project_follow",
    "project_follow_confirm",
    "project_follow_send_confirmation",
    "project_follow_unsubscribe",
]
