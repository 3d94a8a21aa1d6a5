"""A category's Zusatzfragen (Open311 service attributes) and the field for their answers."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from .catalogue import Category


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
