"""The public forms of the Mängelmelder: the report form, the list filter and "Ich bin auch
betroffen". They parse and validate; `report_submit` and `report_support` write."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.errors import ApplicationError
from portal.core.forms import MSG_LOCATION_INVALID, HoneypotMixin, RadioSelect, location_field
from portal.core.images import PhotoRejected, clean_photo
from portal.departments.selectors import district_list

from .attributes import AttributeField, answer_display
from .geocoder import address_lookup
from .models import DESCRIPTION_MAX
from .selectors import category_attribute_list, report_category_list
from .services import report_location_check

PHOTO_SLOTS = (1, 2, 3)
ATTRIBUTE_PREFIX = "attr_"
PHOTO_ACCEPT = "image/jpeg,image/png,image/webp,image/heic"
LOCATION_FIELDS = ("latitude", "longitude")
STREET_LIST_ID = "street-list"

MSG_ADDRESS_MISSING = _(
    "Bitte geben Sie an, wo der Mangel ist: Straße und, wenn möglich, Hausnummer."
)
MSG_STREET_UNKNOWN = _(
    "Diese Straße kennen wir nicht. Bitte prüfen Sie die Schreibweise oder wählen Sie eine "
    "Straße aus der Vorschlagsliste."
)


class ReportForm(HoneypotMixin, forms.Form):
    """One page with every step; the view shows it, then the review page built from it.

    Photos are cleaned here (`clean_photo`); the view keeps the cleaned ones between the steps,
    so the review page and the final POST carry only the text fields.
    """

    category = forms.ModelChoiceField(
        label=_("Was möchten Sie melden?"),
        queryset=report_category_list(),
        empty_label=None,
        widget=RadioSelect,
        error_messages={
            "required": _("Bitte wählen Sie aus, was Sie melden möchten."),
            "invalid_choice": _("Bitte wählen Sie eine der genannten Kategorien aus."),
        },
    )
    address = forms.CharField(
        label=_("Wo ist es? Straße und Hausnummer"),
        help_text=_(
            "Zum Beispiel „Hagener Straße 12“. Beim Tippen schlagen wir Straßen in Schwerte vor. "
            "Gibt es keine Hausnummer, genügt die Straße; Einzelheiten zum Ort können Sie unten "
            "in der Beschreibung nennen."
        ),
        max_length=200,
        widget=forms.TextInput(attrs={"list": STREET_LIST_ID, "autocomplete": "off"}),
        error_messages={
            "required": MSG_ADDRESS_MISSING,
            "max_length": _("Bitte kürzen Sie die Adresse auf 200 Zeichen."),
        },
    )
    # Filled by "Meinen Standort verwenden" (JavaScript) or, later, the map; without them the
    # address above is enough.
    latitude = location_field()
    longitude = location_field()
    description = forms.CharField(
        label=_("Beschreibung"),
        help_text=_(
            "Was ist kaputt oder stört, und wo genau (z. B. „vor dem Eingang der Bücherei“)? "
            "Höchstens 4.000 Zeichen. Dieser Text kann veröffentlicht werden – bitte nennen Sie "
            "darin keine Namen."
        ),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Bitte beschreiben Sie den Mangel."),
            "max_length": _(
                "Bitte fassen Sie sich kürzer: höchstens %(limit_value)d Zeichen "
                "(jetzt %(show_value)d)."
            ),
        },
    )
    name = forms.CharField(
        label=_("Ihr Name"),
        help_text=_("Optional."),
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"max_length": _("Bitte kürzen Sie den Namen auf 120 Zeichen.")},
    )
    email = forms.EmailField(
        label=_("Ihre E-Mail-Adresse"),
        help_text=_(
            "Optional. Dann schicken wir Ihnen die Eingangsbestätigung und jede Änderung des "
            "Bearbeitungsstands."
        ),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Bitte geben Sie eine gültige E-Mail-Adresse an.")},
    )

    def __init__(self, *args, user=None, kept_photos=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user if user is not None and user.is_authenticated else None
        if all(self.data.get(self.add_prefix(name)) for name in LOCATION_FIELDS):
            # located by the browser: an address is welcome, but not needed
            self.fields["address"].required = False
        self.kept_photos = {}
        for slot in PHOTO_SLOTS:
            self.fields[f"photo_{slot}"] = forms.FileField(
                label=_("Foto %(n)s") % {"n": slot},
                required=False,
                widget=forms.FileInput(attrs={"accept": PHOTO_ACCEPT}),
            )
            self.fields[f"alt_{slot}"] = forms.CharField(
                label=_("Was ist auf Foto %(n)s zu sehen?") % {"n": slot},
                help_text=_("Optional. Hilft Menschen, die das Foto nicht sehen können."),
                required=False,
                max_length=250,
                error_messages={"max_length": _("Bitte höchstens 250 Zeichen.")},
            )
            self.fields[f"remove_{slot}"] = forms.BooleanField(
                label=_("Foto %(n)s entfernen") % {"n": slot}, required=False
            )
        if self.user is not None:
            # Answers go to the account's address; it is shown on the page, not asked for.
            del self.fields["email"]
        self.set_kept_photos(kept_photos or {})
        # the chosen category's Zusatzfragen, right after the category
        self.chosen_category = self._chosen_category()
        self.attribute_names = []
        if self.chosen_category is not None:
            for attribute in category_attribute_list(category=self.chosen_category):
                name = ATTRIBUTE_PREFIX + attribute.code
                self.fields[name] = AttributeField(attribute)
                self.attribute_names.append(name)
        self.order_fields(
            ["category", *self.attribute_names, "address", "latitude", "longitude", "description"]
            + [f"{kind}_{slot}" for slot in PHOTO_SLOTS for kind in ("photo", "alt", "remove")]
            + ["name", "email", "homepage"]
        )

    def _chosen_category(self):
        """The category as sent (or given as initial value), whatever the rest of the form."""
        if self.is_bound:
            value = self.data.get(self.add_prefix("category"))
        else:
            value = self.initial.get("category")
        value = getattr(value, "pk", value)
        if not value:
            return None
        try:
            return (
                self.fields["category"]
                .queryset.prefetch_related("attributes")
                .filter(pk=value)
                .first()
            )
        except (TypeError, ValueError):
            return None

    def set_kept_photos(self, photos) -> None:
        """slot → CleanPhoto already received in an earlier step."""
        self.kept_photos = dict(photos)
        for slot in PHOTO_SLOTS:
            self.fields[f"photo_{slot}"].label = (
                _("Anderes Foto wählen (ersetzt Foto %(n)s)")
                if slot in self.kept_photos
                else _("Foto %(n)s")
            ) % {"n": slot}

    # --- validation ---------------------------------------------------------------------------
    def clean(self):
        cleaned_data = super().clean()
        for slot in PHOTO_SLOTS:
            upload = cleaned_data.get(f"photo_{slot}")
            if upload:
                try:
                    cleaned_data[f"photo_{slot}"] = clean_photo(upload)
                except PhotoRejected as error:
                    self.add_error(f"photo_{slot}", error)
        self._clean_location(cleaned_data)
        cleaned_data["attributes"] = {
            self.fields[name].attribute.code: cleaned_data[name]
            for name in self.attribute_names
            if cleaned_data.get(name) is not None
        }
        return cleaned_data

    def _clean_location(self, cleaned_data) -> None:
        if any(self.has_error(name) for name in LOCATION_FIELDS):
            self._forget_location()
            cleaned_data["latitude"] = cleaned_data["longitude"] = None
        latitude, longitude = (cleaned_data.get(name) for name in LOCATION_FIELDS)
        if (latitude is None) != (longitude is None):
            self._forget_location()
            latitude = longitude = None
        address = cleaned_data.get("address", "")
        if latitude is None:
            if self.has_error("address"):
                return
            if not address:
                self.add_error("address", MSG_ADDRESS_MISSING)
                return
            place = address_lookup(address)
            if place is None:
                self.add_error("address", MSG_STREET_UNKNOWN)
                return
            latitude, longitude, address = place.latitude, place.longitude, place.label
        if not (Decimal(-90) <= latitude <= 90 and Decimal(-180) <= longitude <= 180):
            self._forget_location()
            self.add_error("address", MSG_LOCATION_INVALID)
            return
        try:
            district = report_location_check(latitude=latitude, longitude=longitude)
        except ApplicationError as exc:
            self.add_error("address", exc.message)
            return
        cleaned_data.update(
            latitude=latitude, longitude=longitude, address=address, district=district
        )

    def _forget_location(self) -> None:
        """A broken position cannot be fixed by hand (the fields are hidden): drop it, so that
        the form shown again can be sent with the address alone."""
        self.data = self.data.copy()
        for name in LOCATION_FIELDS:
            self.data[self.add_prefix(name)] = ""

    # --- for the templates --------------------------------------------------------------------
    def photo_slots(self) -> list[dict]:
        return [
            {
                "slot": slot,
                "file": self[f"photo_{slot}"],
                "alt": self[f"alt_{slot}"],
                "remove": self[f"remove_{slot}"],
                "kept": self.kept_photos.get(slot),
            }
            for slot in PHOTO_SLOTS
        ]

    def attribute_fields(self) -> list:
        return [self[name] for name in self.attribute_names]

    def attribute_answers(self) -> list[dict]:
        """The cleaned answers for the review page, every question with its answer or none."""
        data = getattr(self, "cleaned_data", {})
        rows = []
        for name in self.attribute_names:
            value = data.get(name)
            attribute = self.fields[name].attribute
            rows.append(
                {
                    "question": attribute.description,
                    "answer": answer_display(attribute, value) if value is not None else "",
                }
            )
        return rows

    def hidden_fields(self):
        return [field for field in super().hidden_fields() if field.name not in LOCATION_FIELDS]

    def carried_values(self) -> list[tuple[str, str]]:
        """The text fields as sent, for the hidden inputs of the review page. The raw input, not
        the cleaned values: the last step validates it again, exactly as the first did."""
        names = ["category", "address", "latitude", "longitude", "description", "name", "email"]
        names += [f"alt_{slot}" for slot in PHOTO_SLOTS]
        names += self.attribute_names
        carried = []
        for name in names:
            if name not in self.fields:
                continue
            key = self.add_prefix(name)
            values = self.data.getlist(key) if hasattr(self.data, "getlist") else []
            carried += [(key, value) for value in values or [self.data.get(key, "")]]
        return carried


class ReportFilterForm(forms.Form):
    """The filters of the public list. A wrong value is ignored, never an error page."""

    STATUS_CHOICES = [("", _("alle")), ("offen", _("offen")), ("erledigt", _("erledigt"))]
    PERIOD_CHOICES = [
        ("", _("gesamter Zeitraum")),
        ("7", _("letzte 7 Tage")),
        ("30", _("letzte 30 Tage")),
        ("90", _("letzte 90 Tage")),
    ]

    kategorie = forms.ModelChoiceField(
        label=_("Kategorie"),
        queryset=report_category_list(),
        to_field_name="slug",
        required=False,
        empty_label=_("alle Kategorien"),
    )
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    stadtteil = forms.ModelChoiceField(
        label=_("Stadtteil"),
        queryset=district_list(),
        required=False,
        empty_label=_("alle Stadtteile"),
    )
    zeitraum = forms.ChoiceField(label=_("Zeitraum"), choices=PERIOD_CHOICES, required=False)

    def filters(self) -> dict:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "category": data.get("kategorie"),
            "status": data.get("status") or None,
            "district": data.get("stadtteil"),
            "days": int(data["zeitraum"]) if data.get("zeitraum") else None,
        }


class SupportForm(forms.Form):
    email = forms.EmailField(
        label=_("Ihre E-Mail-Adresse"),
        help_text=_(
            "Sie erhalten eine E-Mail mit einem Bestätigungslink; erst danach zählen wir Sie, "
            "jede Person nur einmal. Ihre Adresse wird nicht veröffentlicht."
        ),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Bitte geben Sie Ihre E-Mail-Adresse an."),
            "invalid": _("Bitte geben Sie eine gültige E-Mail-Adresse an."),
        },
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user if user is not None and user.is_authenticated else None
        if self.user is not None:
            del self.fields["email"]


class SubscriberForm(HoneypotMixin, forms.Form):
    """An address to send e-mails to after a confirmation link (the kernel's subscriptions).
    Signed-in people need no address field: their account's is used."""

    email = forms.EmailField(
        label=_("Ihre E-Mail-Adresse"),
        help_text=_(
            "Sie erhalten zuerst eine E-Mail mit einem Bestätigungslink. Ihre Adresse wird "
            "nur dafür genutzt und nicht veröffentlicht."
        ),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Bitte geben Sie Ihre E-Mail-Adresse an."),
            "invalid": _("Bitte geben Sie eine gültige E-Mail-Adresse an."),
        },
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user if user is not None and user.is_authenticated else None
        if self.user is not None and self.user.email:
            del self.fields["email"]


class FollowForm(SubscriberForm):
    """ "Meldung folgen"."""

    prefix = "folgen"  # the support form on the same page has an e-mail field too


class AreaAlertForm(SubscriberForm):
    """Benachrichtigungen über neue Meldungen in einem Stadtteil oder im Umkreis einer Adresse."""

    AREA_CHOICES = [
        ("stadtteil", _("in einem Stadtteil")),
        ("umkreis", _("im Umkreis einer Adresse")),
    ]
    area = forms.ChoiceField(
        label=_("Wo?"),
        choices=AREA_CHOICES,
        initial="stadtteil",
        widget=RadioSelect,
        error_messages={
            "required": _("Bitte wählen Sie: Stadtteil oder Umkreis."),
            "invalid_choice": _("Bitte wählen Sie: Stadtteil oder Umkreis."),
        },
    )
    district = forms.ModelChoiceField(
        label=_("Stadtteil"),
        queryset=None,
        required=False,
        empty_label=_("– Stadtteil wählen –"),
        error_messages={"invalid_choice": _("Bitte wählen Sie einen der Stadtteile.")},
    )
    address = forms.CharField(
        label=_("Adresse"),
        help_text=_("Zum Beispiel „Hagener Straße 12“."),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    radius = forms.TypedChoiceField(
        label=_("Umkreis"),
        choices=[(r, _("%(m)s m") % {"m": r}) for r in (100, 250, 500, 1000, 2000)],
        coerce=int,
        initial=500,
        required=False,
        error_messages={"invalid_choice": _("Bitte wählen Sie einen der Umkreise.")},
    )
    frequency = forms.ChoiceField(
        label=_("Wie oft?"),
        choices=[
            ("einzeln", _("eine E-Mail zu jeder neuen Meldung")),
            ("taeglich", _("höchstens eine E-Mail am Tag mit allen neuen Meldungen")),
        ],
        initial="taeglich",
        widget=RadioSelect,
        error_messages={
            "required": _("Bitte wählen Sie, wie oft Sie E-Mails erhalten möchten."),
            "invalid_choice": _("Bitte wählen Sie, wie oft Sie E-Mails erhalten möchten."),
        },
    )
    field_order = ["area", "district", "address", "radius", "frequency", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from portal.departments.models import District

        self.fields["district"].queryset = District.objects.only("id", "name").order_by("name")

    def clean(self):
        data = super().clean()
        if data.get("area") == "stadtteil" and not data.get("district"):
            self.add_error("district", _("Bitte wählen Sie einen Stadtteil."))
        if data.get("area") == "umkreis" and not data.get("address", "").strip():
            self.add_error("address", _("Bitte geben Sie eine Adresse an."))
        return data
