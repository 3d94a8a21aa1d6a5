"""The kernel's own e-mails: a copy of "Meine Daten" is ready (portal.core.mydata)."""

from django.conf import settings
from django.urls import reverse

from portal.core import outbox


@outbox.context_builder("privacy.export_ready", forget_after_send=True)
def export_ready(message):
    from portal.core.mydata.models import DataExport

    export = DataExport.objects.filter(pk=message.context.get("export")).first()
    if export is None or not export.downloadable:
        return None  # erased or expired meanwhile: nothing to say
    return {
        "export": export,
        "download_url": settings.BASE_URL + reverse("mydata:download", args=[export.token]),
    }
