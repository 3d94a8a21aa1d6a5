"""The public forms of the Ideenpool: the list's filters (GET) and the idea form. They parse and
validate; `services.idea_submit` writes and decides who may."""

from django import forms
from django.utils.translation import gettext_lazy as _

from participation.projects.models import FieldOfAction, ProjectPage
from portal.core.images import clean_photo, make_rendition
from portal.departments.models import District

from .constants import STAGE_ORDER, TEXT_MAX, TITLE_MAX, Sort, Stage
from .selectors import STAGE_QUORUM, project_choices

PHOTO_ACCEPT = "image/jpeg,image/png,image/webp,image/heic"


class IdeaFilterForm(forms.Form):
    """Filters and sorting of the list (German names, as in the address bar). A value that does
    not fit is left out of `cleaned_data`: the list then shows everything for that filter."""

    stufe = forms.ChoiceField(label=_("Stufe"), required=False)
    handlungsfeld = forms.TypedChoiceField(
        label=_("Handlungsfeld"), required=False, coerce=int, empty_value=None
    )
    stadtteil = forms.TypedChoiceField(
        label=_("Stadtteil"), required=False, coerce=int, empty_value=None
    )
    sortierung = forms.ChoiceField(
        label=_("Sortierung"),
        required=False,
        choices=Sort.choices,
        help_text=_("„Frist endet bald“ zeigt nur Ideen, die man noch unterstützen kann."),
    )

    def __init__(self, *args, districts=(), fields_of_action=(), **kwargs):
        super().__init__(*args, **kwargs)
        # the choices come from lists the caller loaded once; validating asks the database nothing
        self.fields["stufe"].choices = (
            [("", _("alle"))]
            + [(stage.value, Stage(stage).label) for stage in STAGE_ORDER]
            + [(STAGE_QUORUM, _("Quorum erreicht"))]
        )
        self.fields["handlungsfeld"].choices = [("", _("alle"))] + [
            (field.pk, str(field)) for field in fields_of_action
        ]
        self.fields["stadtteil"].choices = [("", _("alle"))] + [
            (district.pk, district.name) for district in districts
        ]

    def filters(self) -> dict:
        """The valid filters, as keyword arguments of `selectors.idea_list_filtered`."""
        self.is_valid()  # a value that does not fit is left out of cleaned_data
        data = self.cleaned_data
        return {
            "stage": data.get("stufe") or "",
            "field_of_action_id": data.get("handlungsfeld"),
            "district_id": data.get("stadtteil"),
            "sort": data.get("sortierung") or Sort.NEWEST,
        }

    @property
    def is_filtered(self) -> bool:
        """Whether the list shows a part of the pool ("endet bald" leaves out closed ideas)."""
        filters = self.filters()
        return bool(
            filters["stage"]
            or filters["field_of_action_id"] is not None
            or filters["district_id"] is not None
            or filters["sort"] == Sort.ENDING
        )


class IdeaForm(forms.Form):
    """A citizen's idea. The photo passes `clean_photo` (type by content, size, pixels, no
    metadata); a smaller display copy of the clean photo is what gets stored."""

    title = forms.CharField(
        label=_("Titel Ihrer Idee"),
        max_length=TITLE_MAX,
        help_text=_("Kurz und treffend, zum Beispiel „Mehr Bänke am Ruhrufer“."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={
            "required": _("Bitte geben Sie Ihrer Idee einen Titel."),
            "max_length": _("Der Titel ist zu lang (höchstens %(limit_value)d Zeichen)."),
        },
    )
    text = forms.CharField(
        label=_("Beschreibung"),
        max_length=TEXT_MAX,
        help_text=_(
            "Was schlagen Sie vor, und warum? Dieser Text wird veröffentlicht – bitte nennen Sie "
            "darin keine Namen anderer Menschen."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": _("Bitte beschreiben Sie Ihre Idee."),
            "max_length": _(
                "Bitte fassen Sie sich kürzer: höchstens %(limit_value)d Zeichen "
                "(jetzt %(show_value)d)."
            ),
        },
    )
    field_of_action = forms.ModelChoiceField(
        label=_("Handlungsfeld"),
        queryset=FieldOfAction.objects.order_by("code"),
        empty_label=_("Bitte wählen"),
        help_text=_("Zu welchem Bereich der Stadtentwicklung passt Ihre Idee am besten?"),
        error_messages={
            "required": _("Bitte wählen Sie ein Handlungsfeld."),
            "invalid_choice": _("Bitte wählen Sie eines der genannten Handlungsfelder."),
        },
    )
    district = forms.ModelChoiceField(
        label=_("Stadtteil"),
        queryset=District.objects.only("id", "name").order_by("name"),
        required=False,
        empty_label=_("ganze Stadt / keine Angabe"),
        error_messages={"invalid_choice": _("Bitte wählen Sie einen der genannten Stadtteile.")},
    )
    address = forms.CharField(
        label=_("Ort"),
        required=False,
        max_length=200,
        help_text=_("Optional. Zum Beispiel eine Straße, ein Platz oder ein Gebäude."),
        error_messages={"max_length": _("Bitte kürzen Sie den Ort auf 200 Zeichen.")},
    )
    photo = forms.FileField(
        label=_("Foto"),
        required=False,
        help_text=_(
            "Optional. JPEG, PNG, WebP oder HEIC, höchstens 10 MB. Wir speichern eine "
            "verkleinerte Kopie ohne Metadaten (zum Beispiel ohne Aufnahmeort)."
        ),
        widget=forms.FileInput(attrs={"accept": PHOTO_ACCEPT}),
    )
    improves = forms.ModelChoiceField(
        label=_("Verbessert Ihre Idee ein bestehendes Vorhaben?"),
        queryset=ProjectPage.objects.none(),
        required=False,
        empty_label=_("Nein, keines davon"),
        help_text=_("Optional. Die Vorhaben der Stadt aus der Vorhabenliste."),
        error_messages={"invalid_choice": _("Bitte wählen Sie eines der genannten Vorhaben.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["improves"].queryset = project_choices()

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        # PhotoRejected is a ValidationError with a German message: it becomes the field's error
        return make_rendition(clean_photo(upload).content)
