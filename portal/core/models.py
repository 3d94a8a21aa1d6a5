"""The kernel's models. Each lives in its mechanism's package; importing it here gives it the app
label `core`."""

from .figures.models import FigureSnapshot
from .mydata.models import DataExport
from .outbox.models import OutboxMessage
from .retention.models import ErasureLog
from .subscriptions.models import Subscription

__all__ = ["DataExport", "ErasureLog", "FigureSnapshot", "OutboxMessage", "Subscription"]
