"""The Celery application. Settings come from Django settings with the CELERY_ prefix; beat jobs
are declared in code by each app's `tasks.py` (see `portal.core.tasks`)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
