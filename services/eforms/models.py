"""Applications (Anträge) sent through a service form. The answers are personal data: they are
shown to the applicant and to the department's staff, never on public pages."""

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import InlinePanel
from wagtail.contrib.forms.models import FORM_FIELD_CHOICES, AbstractForm, AbstractFormField
from wagtail.fields import RichTextField

from .constants import PAGE_FORM_PREFIX, SubmissionStatus
from .panels import LabelledRichTextPanel


def _private_storage():
    # uploads of applicants are served only through an owner/staff check, never under MEDIA_URL
    return storages["private"]


class SubmissionSequence(models.Model):
    """The last application number per year (A-2026-000123)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last_number}"


class Submission(models.Model):
    # URLs carry the public id; the integer key stays internal (payments, tickets, tasks)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(
        _("Antragsnummer"), max_length=20, unique=True, null=True, blank=True, editable=False
    )
    form_key = models.CharField(_("Formular"), max_length=50, db_index=True)
    service_title = models.CharField(_("Dienstleistung"), max_length=255)
    # empty once the applicant's account is erased: the application stays, as the law requires
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submissions",
        verbose_name=_("Antragsteller*in"),
    )
    status = models.CharField(
        _("Status"),
        max_length=20,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.DRAFT,
        db_index=True,
    )
    data = models.JSONField(_("Angaben"), default=dict, blank=True)
    step = models.PositiveSmallIntegerField(_("Schritt"), default=0)
    fee_minor = models.PositiveIntegerField(_("Gebühr (Cent)"), default=0)
    appointment_date = models.DateField(_("Termin"), null=True, blank=True, db_index=True)
    ticket = models.OneToOneField(
        "tickets.Ticket",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submission",
        verbose_name=_("Anliegen"),
    )
    created_at = models.DateTimeField(_("angelegt am"), default=timezone.now)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)
    submitted_at = models.DateTimeField(_("abgeschickt am"), null=True, blank=True)
    released_at = models.DateTimeField(_("an Fachbereich übergeben am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Antrag")
        verbose_name_plural = _("Anträge")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["applicant", "-created_at"])]

    def __str__(self):
        return self.number or str(_("Entwurf"))

    @property
    def fee_euros(self):
        return self.fee_minor / 100

    @property
    def staff_summary(self) -> list:
        """The answers by step, labelled, for the department's source panel."""
        from .registry import get_form

        form = get_form(self.form_key)
        if form is None:
            return []
        return form.summary(self.data, {f.field: f.original_name for f in self.files.all()})

    @property
    def is_draft(self) -> bool:
        return self.status == SubmissionStatus.DRAFT


class SubmissionFile(models.Model):
    """An uploaded proof (PDF or image), checked by content and stored under a generated name."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")
    field = models.CharField(max_length=50)
    file = models.FileField(storage=_private_storage, upload_to="eforms/%Y/%m/")
    original_name = models.CharField(_("Dateiname"), max_length=120)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Nachweis eines Antrags")
        verbose_name_plural = _("Nachweise von Anträgen")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "field"], name="eforms_one_file_per_field"
            )
        ]

    def __str__(self):
        return self.original_name


# --- editor-built forms ------------------------------------------------------------------------
FILE_FIELD_TYPE = "datei"


class ServiceFormField(AbstractFormField):
    """A field of an editor-built form; besides Wagtail's types, a checked file upload."""

    page = ParentalKey("ServiceFormPage", on_delete=models.CASCADE, related_name="form_fields")
    field_type = models.CharField(
        verbose_name=_("Feldtyp"),
        max_length=16,
        choices=[*FORM_FIELD_CHOICES, (FILE_FIELD_TYPE, _("Datei (PDF oder Foto, bis 10 MB)"))],
    )


class ServiceFormPage(AbstractForm):
    """A form an editor builds for a service in the catalogue. Applications go the same way as
    those of the code-defined forms: sign-in, review with consent, payment of the service's fee
    when it can be paid online, then a ticket in the service's application category, or in
    "Sonstiger Antrag" when the service has none (services.application_category)."""

    intro = RichTextField(_("Einleitung"), blank=True)

    content_panels = [
        *AbstractForm.content_panels,
        LabelledRichTextPanel("intro"),
        InlinePanel("form_fields", label=_("Formularfelder")),
    ]
    parent_page_types = ["catalogue.ServicePage"]
    subpage_types: list[str] = []
    template = "eforms/service_form_page.html"

    @property
    def form_builder(self):
        from .definitions.page_form import ServiceFormBuilder

        return ServiceFormBuilder

    class Meta:
        verbose_name = _("Antragsformular (Formular-Baukasten)")
        verbose_name_plural = _("Antragsformulare (Formular-Baukasten)")

    @property
    def form_key(self) -> str:
        return f"{PAGE_FORM_PREFIX}{self.pk}"

    def get_context(self, request, *args, **kwargs):
        from .definitions.page_form import PageServiceForm

        context = super().get_context(request, *args, **kwargs)
        service = self.get_parent().specific
        # built from this page, not looked up as live: the preview of a draft shows it too
        context.update(service=service, service_form=PageServiceForm(self, service))
        return context

    def serve(self, request, *args, **kwargs):
        # the form itself is filled in step by step under /antraege/, like every application
        return TemplateResponse(request, self.get_template(request), self.get_context(request))
