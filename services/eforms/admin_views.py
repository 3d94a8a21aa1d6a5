"""The department's side: staff download an applicant's proof from the ticket's source panel."""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404

from .models import SubmissionFile


def submission_file_download(request, pk: int):
    stored = get_object_or_404(SubmissionFile.objects.select_related("submission__ticket"), pk=pk)
    ticket = stored.submission.ticket
    if ticket is None or not request.user.has_perm("tickets.view_ticket", ticket):
        raise PermissionDenied
    extension = stored.file.name.rsplit(".", 1)[-1]
    response = FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=f"nachweis-{stored.submission.number}.{extension}",
        content_type=stored.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
