"""Forms of the back office. They parse input only; the services decide what is allowed."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from portal.departments.models import DepartmentMembership, District
from portal.departments.selectors import department_list_active

from .constants import REASON_REQUIRED, TICKET_WORKFLOW, TicketStatus
from .models import Category
from .sources import source_kind_choices

ORDERING_CHOICES = [
    ("due_date", _("früheste Fälligkeit")),
    ("-due_date", _("späteste Fälligkeit")),
    ("-received_at", _("neuester Eingang")),
    ("received_at", _("ältester Eingang")),
    ("number", _("Nummer aufsteigend")),
    ("-number", _("Nummer absteigend")),
]

CLOSING_STATUSES = (TicketStatus.DONE, TicketStatus.NOT_FEASIBLE)


class PrefixedIdForm(forms.Form):
    """Several forms share a page: their field ids get a prefix, their names do not."""

    id_prefix = "form"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)


def _user_label(user) -> str:
    return user.get_full_name() or user.email


class ColleagueChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _user_label(obj)


def colleagues(department_ids):
    """Active staff who are members of any of the given departments."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            pk__in=DepartmentMembership.objects.filter(department_id__in=department_ids).values(
                "user_id"
            ),
        )
        .order_by("last_name", "first_name", "email")
    )


def district_choices():
    # names only: the areas (GeoJSON) are not needed for a select
    return District.objects.only("pk", "name").order_by("name")


# --- the queue ------------------------------------------------------------------------------------
class QueueFilterForm(PrefixedIdForm):
    id_prefix = "filter"
    q = forms.CharField(
        label=_("Suche (Nummer oder Text)"), required=False, max_length=100, strip=True
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("alle"))] + TicketStatus.choices
    )
    category = forms.ModelChoiceField(
        label=_("Kategorie"),
        required=False,
        queryset=Category.objects.none(),
        empty_label=_("alle"),
    )
    district = forms.ModelChoiceField(
        label=_("Stadtteil"), required=False, queryset=None, empty_label=_("alle")
    )
    department = forms.ModelChoiceField(
        label=_("Fachbereich"), required=False, queryset=None, empty_label=_("alle")
    )
    open_only = forms.BooleanField(label=_("nur offene"), required=False)
    overdue = forms.BooleanField(label=_("nur überfällige"), required=False)
    mine = forms.BooleanField(label=_("mir zugewiesen"), required=False)
    ordering = forms.ChoiceField(
        label=_("Sortierung"), required=False, choices=ORDERING_CHOICES, initial="due_date"
    )
    # Marks a submitted filter form: an unticked "nur offene" then means "all", while the first
    # visit (no marker) shows the open tickets.
    f = forms.CharField(required=False, widget=forms.HiddenInput, initial="1")

    def __init__(self, data, *, departments, **kwargs):
        data = data.copy()
        if not data.get("f"):
            data.setdefault("open_only", "on")
            data["f"] = "1"
        super().__init__(data, **kwargs)
        self.fields["category"].queryset = Category.objects.order_by("sort_order", "name")
        self.fields["district"].queryset = district_choices()
        if departments is None:
            del self.fields["department"]
        else:
            self.fields["department"].queryset = departments

    def selector_kwargs(self) -> dict:
        self.is_valid()  # an invalid filter value is ignored, the valid ones still apply
        data = self.cleaned_data
        department = data.get("department")
        return {
            "status": data.get("status") or "",
            "category_id": data["category"].pk if data.get("category") else None,
            "district_id": data["district"].pk if data.get("district") else None,
            "department_id": department.pk if department else None,
            "overdue": bool(data.get("overdue")),
            "mine": bool(data.get("mine")),
            "open_only": bool(data.get("open_only")),
            "query": data.get("q") or "",
            "ordering": data.get("ordering") or "due_date",
        }


class BulkActionForm(PrefixedIdForm):
    id_prefix = "bulk"
    ACCEPT = "accept"
    ASSIGN = "assign"
    STATUS = "status"
    HAND_OVER = "hand_over"
    ACTIONS = [
        ("", _("– Aktion wählen –")),
        (ACCEPT, _("Zuständigkeit übernehmen")),
        (ASSIGN, _("Kolleg*in zuweisen")),
        (STATUS, _("Status ändern")),
        (HAND_OVER, _("an anderen Fachbereich abgeben")),
    ]

    action = forms.ChoiceField(label=_("Aktion"), choices=ACTIONS)
    ticket = forms.TypedMultipleChoiceField(
        label=_("Ausgewählte Anliegen"), coerce=int, choices=(), required=False
    )
    assignee = ColleagueChoiceField(
        label=_("zuweisen an"), required=False, queryset=None, empty_label="–"
    )
    status = forms.ChoiceField(
        label=_("neuer Status"),
        required=False,
        choices=[("", "–")]
        + [
            (value, label)
            for value, label in TicketStatus.choices
            if value != TicketStatus.DUPLICATE
        ],
    )
    public_message = forms.CharField(
        label=_("Nachricht an Bürger*innen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    department = forms.ModelChoiceField(
        label=_("abgeben an"), required=False, queryset=None, empty_label="–"
    )
    reason = forms.CharField(
        label=_("Grund der Abgabe"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, colleague_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = colleague_queryset
        self.fields["department"].queryset = department_list_active()
        # the ids are checked against the user's tickets in the view, not here
        ids = self.data.getlist("ticket") if hasattr(self.data, "getlist") else []
        self.fields["ticket"].choices = [(value, value) for value in ids]

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if not data.get("ticket"):
            raise forms.ValidationError(_("Bitte wählen Sie mindestens ein Anliegen aus."))
        if action == self.ASSIGN and not data.get("assignee"):
            self.add_error("assignee", _("Bitte wählen Sie eine Kollegin oder einen Kollegen."))
        if action == self.STATUS:
            if not data.get("status"):
                self.add_error("status", _("Bitte wählen Sie den neuen Status."))
            elif data["status"] in REASON_REQUIRED and not data.get("public_message", "").strip():
                self.add_error("public_message", _("Für diesen Status ist eine Begründung nötig."))
        if action == self.HAND_OVER:
            if not data.get("department"):
                self.add_error("department", _("Bitte wählen Sie den Fachbereich."))
            if not data.get("reason", "").strip():
                self.add_error("reason", _("Bitte geben Sie einen Grund für die Abgabe an."))
        return data


# --- one ticket ---------------------------------------------------------------------------------
class AcceptForm(PrefixedIdForm):
    id_prefix = "accept"
    public_message = forms.CharField(
        label=_("Nachricht an Bürger*in (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class HandOverForm(PrefixedIdForm):
    id_prefix = "hand-over"
    department = forms.ModelChoiceField(
        label=_("abgeben an"), queryset=None, empty_label=_("– Fachbereich wählen –")
    )
    reason = forms.CharField(
        label=_("Grund der Abgabe"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Nur intern sichtbar; der neue Fachbereich erhält ihn mit der Nachricht."),
        error_messages={"required": _("Bitte geben Sie einen Grund für die Abgabe an.")},
    )

    def __init__(self, *args, ticket, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = department_list_active().exclude(
            pk=ticket.department_id
        )


class AssignForm(PrefixedIdForm):
    id_prefix = "assign"
    assignee = ColleagueChoiceField(label=_("zuweisen an"), queryset=None)

    def __init__(self, *args, ticket, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = colleagues([ticket.department_id])
        if ticket.assignee_id:
            self.fields["assignee"].initial = ticket.assignee_id


def status_choices_for(ticket, *, exclude=()) -> list[tuple[str, str]]:
    """The statuses the ticket may move to, in the workflow's order."""
    return [
        (value, label)
        for value, label in TICKET_WORKFLOW.choices(ticket.status)
        if value not in exclude
    ]


class StatusForm(PrefixedIdForm):
    id_prefix = "status"
    status = forms.ChoiceField(label=_("neuer Status"))
    public_message = forms.CharField(
        label=_("Nachricht an Bürger*in"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Wird auf der Statusseite gezeigt und per E-Mail gesendet."),
    )
    internal_note = forms.CharField(
        label=_("interne Notiz (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, ticket, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("– Status wählen –"))] + status_choices_for(
            ticket, exclude=(TicketStatus.DUPLICATE, TicketStatus.WAITING, *CLOSING_STATUSES)
        )
        self.fields["status"].error_messages["required"] = _("Bitte wählen Sie den neuen Status.")
        self.fields["status"].error_messages["invalid_choice"] = _(
            "Dieser Statuswechsel ist im Moment nicht möglich."
        )

    def clean(self):
        data = super().clean()
        if data.get("status") in REASON_REQUIRED and not data.get("public_message", "").strip():
            self.add_error("public_message", _("Für diesen Status ist eine Begründung nötig."))
        return data


class CloseForm(PrefixedIdForm):
    id_prefix = "close"
    status = forms.ChoiceField(label=_("Abschluss"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Begründung an Bürger*in"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Pflicht bei „nicht umsetzbar“."),
    )

    def __init__(self, *args, ticket, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            choice for choice in status_choices_for(ticket) if choice[0] in CLOSING_STATUSES
        ]
        self.fields["status"].error_messages["invalid_choice"] = _(
            "Das Anliegen kann im Moment nicht abgeschlossen werden."
        )

    def clean(self):
        data = super().clean()
        if data.get("status") == TicketStatus.NOT_FEASIBLE and not data.get("reason", "").strip():
            self.add_error(
                "reason", _("Bitte begründen Sie, warum das Anliegen nicht umsetzbar ist.")
            )
        return data


class QuestionForm(PrefixedIdForm):
    id_prefix = "question"
    question = forms.CharField(
        label=_("Ihre Frage an die Bürgerin oder den Bürger"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Wird per E-Mail gesendet und auf der Statusseite gezeigt; die Antwort (auch mit "
            "Foto) kommt dort an. Bis dahin ruht die Bearbeitungsfrist."
        ),
        error_messages={"required": _("Bitte schreiben Sie Ihre Frage.")},
    )
    public = forms.BooleanField(
        label=_("Frage auch öffentlich beim Anliegen zeigen"),
        required=False,
        help_text=_("Ohne Haken sieht nur die Person, die das Anliegen gesendet hat, die Frage."),
    )


class NoteForm(PrefixedIdForm):
    id_prefix = "note"
    note = forms.CharField(
        label=_("interne Notiz"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Nur für Mitarbeiter*innen sichtbar."),
        error_messages={"required": _("Die Notiz ist leer.")},
    )


class DuplicateForm(PrefixedIdForm):
    id_prefix = "duplicate"
    original = forms.CharField(
        label=_("Nummer des ursprünglichen Anliegens"),
        max_length=20,
        help_text=_("z. B. 2026-000123"),
        error_messages={"required": _("Bitte geben Sie die Nummer an.")},
    )
    public_message = forms.CharField(
        label=_("Nachricht an Bürger*in (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ohne Text erhält die Bürgerin oder der Bürger einen Standardhinweis."),
    )


# --- routing rules --------------------------------------------------------------------------------
class RulesTestForm(PrefixedIdForm):
    id_prefix = "rules"
    source_kind = forms.ChoiceField(label=_("Herkunft"))
    category = forms.ModelChoiceField(
        label=_("Kategorie"), queryset=Category.objects.none(), empty_label="–"
    )
    district = forms.ModelChoiceField(
        label=_("Stadtteil"), required=False, queryset=None, empty_label=_("keiner")
    )
    text = forms.CharField(
        label=_("Text des Anliegens"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source_kind"].choices = source_kind_choices()
        self.fields["category"].queryset = Category.objects.order_by("sort_order", "name")
        self.fields["district"].queryset = district_choices()
