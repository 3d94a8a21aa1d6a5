import re
import secrets

from django import forms
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.models import Orderable

from portal.core.workflow import AppendOnlyModel
from portal.departments.models import Department, District

from .constants import (
    CLOSED_STATUSES,
    TRAFFIC_LIGHT,
    CategoryKind,
    Channel,
    EventKind,
    PublishMode,
    RoutingState,
    TicketStatus,
)
from .sources import source_kind_choices, source_kind_label, source_status_label


def _new_access_token() -> str:
    return secrets.token_urlsafe(24)


class Category(ClusterableModel):
    """Shared by all sources: what a concern is about, and who handles it by default."""

    name = models.CharField(_("Name"), max_length=100, unique=True)
    slug = models.SlugField(_("Kurzname (URL)"), max_length=60, unique=True)
    icon = models.CharField(
        _("Symbol"), max_length=40, blank=True, help_text=_("Name eines Symbols, z. B. „lamp“")
    )
    description = models.TextField(_("Beschreibung"), blank=True)
    sla_days = models.PositiveSmallIntegerField(
        _("Bearbeitungsziel (Arbeitstage)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    default_department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("zuständiger Fachbereich"),
        help_text=_("Wenn keine Zuordnungsregel passt."),
    )
    publish_mode = models.CharField(
        _("Veröffentlichung"),
        max_length=20,
        choices=PublishMode.choices,
        default=PublishMode.AFTER_REVIEW,
    )
    kind = models.CharField(
        _("Verwendung"),
        max_length=20,
        choices=CategoryKind.choices,
        default=CategoryKind.REPORT,
        help_text=_(
            "Kategorien für Online-Anträge und den Ideenpool erscheinen nicht im Mängelmelder."
        ),
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=100)
    duplicate_radius_m = models.PositiveSmallIntegerField(
        _("Umkreis für ähnliche Meldungen (m)"),
        default=250,
        validators=[MaxValueValidator(5000)],
        help_text=_(
            "Offene Meldungen dieser Kategorie im Umkreis werden vor dem Absenden gezeigt."
        ),
    )

    panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]),
                FieldPanel("description"),
                FieldRowPanel([FieldPanel("icon"), FieldPanel("sort_order")]),
                FieldRowPanel([FieldPanel("kind"), FieldPanel("is_active")]),
            ],
            heading=_("Kategorie"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("default_department"),
                FieldPanel("sla_days"),
                FieldPanel("publish_mode"),
                FieldPanel("duplicate_radius_m"),
            ],
            heading=_("Bearbeitung"),
        ),
        InlinePanel("reply_templates", heading=_("Textbausteine"), label=_("Textbaustein")),
        InlinePanel(
            "attributes",
            heading=_("Zusatzfragen"),
            label=_("Zusatzfrage"),
            help_text=_(
                "Fragen, die der Mängelmelder nach der Wahl dieser Kategorie stellt (auch über "
                "die Open311-Schnittstelle). Die Antworten sehen nur Mitarbeitende."
            ),
        ),
    ]

    class Meta:
        verbose_name = _("Kategorie")
        verbose_name_plural = _("Kategorien")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class ReplyTemplate(Orderable):
    """A Textbaustein: the prefilled public message for a status change in a category."""

    category = ParentalKey(Category, on_delete=models.CASCADE, related_name="reply_templates")
    status = models.CharField(_("für Status"), max_length=20, choices=TicketStatus.choices)
    text = models.TextField(_("Text"))

    panels = [FieldPanel("status"), FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = _("Textbaustein")
        verbose_name_plural = _("Textbausteine")

    def __str__(self):
        return f"{self.category} – {self.get_status_display()}"


class AttributeDatatype(models.TextChoices):
    """The datatypes of Open311 GeoReport v2 service attributes."""

    STRING = "string", _("Text, eine Zeile")
    TEXT = "text", _("Text, mehrere Zeilen")
    NUMBER = "number", _("Zahl")
    DATETIME = "datetime", _("Datum und Uhrzeit")
    SINGLEVALUELIST = "singlevaluelist", _("Auswahl, eine Antwort")
    MULTIVALUELIST = "multivaluelist", _("Auswahl, mehrere Antworten")


LIST_DATATYPES = frozenset({AttributeDatatype.SINGLEVALUELIST, AttributeDatatype.MULTIVALUELIST})
_VALUE_KEY = re.compile(r"^[-\w]+$")
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def attribute_value_key(name: str) -> str:
    """A key for an answer typed without one: "Leuchte dunkel" → "leuchte-dunkel"."""
    return slugify(name.lower().translate(_UMLAUTS))


class AttributeValuesFormField(forms.CharField):
    """The answers of a list question as lines of text, "key = Name" or just "Name" (the key is
    then made from the name), stored as [{"key": …, "name": …}]."""

    widget = forms.Textarea(attrs={"rows": 4})

    def __init__(self, *, encoder=None, decoder=None, **kwargs):
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(f"{item['key']} = {item['name']}" for item in value)
        return value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        values = []
        for line in (super().to_python(value) or "").splitlines():
            line = line.strip()
            if not line:
                continue
            key, separator, name = line.partition("=")
            if not separator:
                key, name = attribute_value_key(line), line
            key, name = key.strip(), name.strip()
            if not name or not _VALUE_KEY.match(key):
                raise ValidationError(
                    _("Bitte schreiben Sie je Zeile „Schlüssel = Bezeichnung“ oder nur die "
                      "Bezeichnung (Zeile „%(line)s“).") % {"line": line}
                )  # fmt: skip
            values.append({"key": key, "name": name})
        return values

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != (initial or [])
        except ValidationError:
            return True


class AttributeValuesField(models.JSONField):
    """The answers of a list question: [{"key": …, "name": …}], edited as lines of text."""

    def formfield(self, **kwargs):
        return super().formfield(**{**kwargs, "form_class": AttributeValuesFormField})


class CategoryAttribute(Orderable):
    """A Zusatzfrage: what the Mängelmelder asks about a report of this category, published as
    an attribute of the Open311 service definition. Its position in the list is its `order`."""

    category = ParentalKey(Category, on_delete=models.CASCADE, related_name="attributes")
    code = models.SlugField(
        _("Kennung"),
        max_length=50,
        help_text=_(
            "Kurzname für die Schnittstelle (Open311: attribute[kennung]); später nicht mehr "
            "ändern, sonst passen gespeicherte Antworten nicht mehr."
        ),
    )
    description = models.CharField(
        _("Frage"), max_length=250, help_text=_("So wird die Frage im Formular gestellt.")
    )
    datatype = models.CharField(
        _("Antwort"),
        max_length=20,
        choices=AttributeDatatype.choices,
        default=AttributeDatatype.STRING,
    )
    required = models.BooleanField(_("Pflichtfrage"), default=False)
    datatype_description = models.CharField(
        _("Hinweis zur Antwort"),
        max_length=250,
        blank=True,
        help_text=_("Optional, z. B. „Die Nummer steht auf einem Schild am Mast.“"),
    )
    values = AttributeValuesField(
        _("Antwortmöglichkeiten"),
        default=list,
        blank=True,
        help_text=_(
            "Nur bei Auswahl: eine Antwort je Zeile, als „Schlüssel = Bezeichnung“ oder nur die "
            "Bezeichnung."
        ),
    )

    panels = [
        FieldRowPanel([FieldPanel("description"), FieldPanel("code")]),
        FieldRowPanel([FieldPanel("datatype"), FieldPanel("required")]),
        FieldPanel("datatype_description"),
        FieldPanel("values"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("Zusatzfrage")
        verbose_name_plural = _("Zusatzfragen")
        constraints = [
            models.UniqueConstraint(
                fields=["category", "code"], name="tickets_attribute_code_once_per_category"
            ),
        ]

    def __str__(self):
        return f"{self.category} – {self.description}"

    @property
    def is_list(self) -> bool:
        return self.datatype in LIST_DATATYPES

    @property
    def value_names(self) -> dict[str, str]:
        return {item["key"]: item["name"] for item in self.values or []}

    def clean(self):
        values = self.values or []
        if self.is_list and not values:
            raise ValidationError(
                {"values": _("Eine Auswahlfrage braucht mindestens eine Antwortmöglichkeit.")}
            )
        if not self.is_list and values:
            raise ValidationError(
                {"values": _("Antwortmöglichkeiten gibt es nur bei Auswahlfragen.")}
            )
        keys = [item.get("key") for item in values]
        if len(set(keys)) != len(keys):
            raise ValidationError({"values": _("Jeder Schlüssel darf nur einmal vorkommen.")})


class RoutingRule(models.Model):
    """Source kind, category, district and keyword → department. The first match wins."""

    position = models.PositiveIntegerField(_("Reihenfolge"), default=100, db_index=True)
    name = models.CharField(_("Bezeichnung"), max_length=120)
    source_kind = models.CharField(
        _("Herkunft"), max_length=30, blank=True, choices=source_kind_choices
    )
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("Kategorie")
    )
    district = models.ForeignKey(
        District, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("Stadtteil")
    )
    keyword = models.CharField(
        _("Stichwort im Text"),
        max_length=60,
        blank=True,
        help_text=_("Optional; Groß- und Kleinschreibung egal."),
    )
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="+", verbose_name=_("Fachbereich")
    )
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("Zuordnungsregel")
        verbose_name_plural = _("Zuordnungsregeln")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name

    def clean(self):
        if not (self.source_kind or self.category_id or self.district_id or self.keyword):
            raise ValidationError(
                _("Eine Regel braucht mindestens eine Bedingung (Herkunft, Kategorie, Stadtteil "
                  "oder Stichwort); für alles Übrige gibt es den Auffang-Fachbereich.")
            )  # fmt: skip

    def matches(self, *, source_kind: str, category_id, district_id, text: str) -> bool:
        if self.source_kind and self.source_kind != source_kind:
            return False
        if self.category_id and self.category_id != category_id:
            return False
        if self.district_id and self.district_id != district_id:
            return False
        if self.keyword and self.keyword.casefold() not in (text or "").casefold():
            return False
        return True


class TicketSequence(models.Model):
    """The last receipt number per year; its row lock serialises concurrent submits."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last_number}"


class Ticket(models.Model):
    """An Anliegen: one case object for every concern, whatever its source."""

    number = models.CharField(_("Vorgangsnummer"), max_length=20, unique=True, editable=False)
    access_token = models.CharField(
        max_length=64, unique=True, default=_new_access_token, editable=False
    )
    source_kind = models.CharField(_("Herkunft"), max_length=30)
    source_content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_object_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_content_type", "source_object_id")

    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("Kategorie")
    )
    summary = models.TextField(_("Anliegen"))
    latitude = models.DecimalField(
        _("Breitengrad"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("Längengrad"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    address = models.CharField(_("Ort"), max_length=200, blank=True)
    district = models.ForeignKey(
        District,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("Stadtteil"),
    )
    channel = models.CharField(
        _("Eingangskanal"), max_length=20, choices=Channel.choices, default=Channel.ONLINE
    )
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("Bürger*in"),
    )
    contact_email = models.EmailField(_("Kontakt-E-Mail"), blank=True)

    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("Fachbereich"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tickets",
        verbose_name=_("bearbeitet von"),
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=TicketStatus.choices, default=TicketStatus.RECEIVED
    )
    status_reason = models.TextField(_("Begründung"), blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("Duplikat von"),
    )
    due_date = models.DateField(_("fällig am"), null=True, blank=True)
    routing_state = models.CharField(
        _("Zuordnung"), max_length=10, choices=RoutingState.choices, default=RoutingState.PENDING
    )
    routing_attempts = models.PositiveSmallIntegerField(default=0)

    received_at = models.DateTimeField(_("eingegangen am"), default=timezone.now, db_index=True)
    routed_at = models.DateTimeField(_("zugeordnet am"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("angenommen am"), null=True, blank=True)
    closed_at = models.DateTimeField(_("abgeschlossen am"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Anliegen")
        verbose_name_plural = _("Anliegen")
        ordering = ["-received_at"]
        permissions = [("view_all_tickets", _("Alle Anliegen aller Fachbereiche sehen"))]
        indexes = [
            models.Index(fields=["department", "status", "due_date"]),
            models.Index(fields=["routing_state", "received_at"]),
            models.Index(fields=["source_content_type", "source_object_id"]),
        ]

    def __str__(self):
        return self.number

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    @property
    def is_overdue(self) -> bool:
        return (
            not self.is_closed
            and self.due_date is not None
            and self.due_date < timezone.localdate()
        )

    @property
    def traffic_light(self) -> str:
        return TRAFFIC_LIGHT[self.status]

    @property
    def source_kind_label(self) -> str:
        return source_kind_label(self.source_kind)

    @property
    def public_status_label(self) -> str:
        if self.status == TicketStatus.DUPLICATE and self.duplicate_of_id:
            return _("Duplikat von %(number)s") % {"number": self.duplicate_of.number}
        return self.get_status_display()


class TicketEvent(AppendOnlyModel):
    """One line of a ticket's timeline. Append-only: events are never changed or deleted."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("von"),
    )
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    from_status = models.CharField(max_length=20, choices=TicketStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=TicketStatus.choices, blank=True)
    public_message = models.TextField(_("Nachricht an Bürger*in"), blank=True)
    internal_note = models.TextField(_("interne Notiz"), blank=True)
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rule = models.ForeignKey(
        RoutingRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # a status or step of the source in its own words (an idea's stage "priorisiert", "quorum"):
    # the ticket's timeline is the source's public timeline, with the source's labels
    public_status = models.CharField(_("Stand der Herkunft"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("Ereignis")
        verbose_name_plural = _("Ereignisse")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.ticket} {self.get_kind_display()}"

    @property
    def is_public(self) -> bool:
        return bool(self.public_message or self.public_status) or self.kind in (
            EventKind.CREATED,
            EventKind.STATUS,
        )

    @property
    def public_status_label(self) -> str:
        """The source's label of this line ("" for the ticket's own lines)."""
        if not self.public_status:
            return ""
        return source_status_label(self.ticket.source_kind, self.public_status)


class EventAnnouncement(models.Model):
    """That the sources have heard of an event (`signals.ticket_event_recorded`, after commit):
    written when every receiver ran without error. The relay announces events without one again,
    so a process that dies between the commit and the receivers loses no follower's e-mail."""

    event = models.OneToOneField(
        TicketEvent, on_delete=models.CASCADE, primary_key=True, related_name="announcement"
    )
    announced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Bekanntgabe eines Ereignisses")
        verbose_name_plural = _("Bekanntgaben von Ereignissen")

    def __str__(self):
        return str(self.event_id)


class FailedJob(models.Model):
    """A background job that gave up after its retries; staff can start it again."""

    task_name = models.CharField(_("Auftrag"), max_length=150)
    object_id = models.PositiveBigIntegerField(_("Objekt"))
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, null=True, blank=True, related_name="failed_jobs"
    )
    error = models.TextField(_("Fehler"), blank=True)
    created_at = models.DateTimeField(_("fehlgeschlagen am"), default=timezone.now)
    retried_at = models.DateTimeField(_("erneut gestartet am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Fehlgeschlagener Auftrag")
        verbose_name_plural = _("Fehlgeschlagene Aufträge")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.task_name}({self.object_id})"


@register_setting(icon="resubmit")
class RoutingSettings(BaseGenericSetting):
    fallback_department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Auffang-Fachbereich"),
        help_text=_(
            "Erhält alle Anliegen, für die weder eine Regel noch die Kategorie einen "
            "Fachbereich nennt."
        ),
    )

    class Meta:
        verbose_name = _("Zuordnung von Anliegen")
