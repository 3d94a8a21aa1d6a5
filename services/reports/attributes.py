"""Answers to a category's Zusatzfragen (Open311 service attributes), checked the same way for the
web form (`AttributeField`), the Open311 API and `report_submit`.

An answer is stored as a string (string, text, number, datetime, singlevaluelist: the key) or as
a list of keys (multivaluelist); an unanswered question is left out. Cleaning a stored answer
again gives the same answer, so the service can check what the form already cleaned.
"""

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.errors import ApplicationError
from portal.core.forms import RadioSelect
from portal.tickets.models import AttributeDatatype, CategoryAttribute

STRING_MAX = 200
TEXT_MAX = 2000
NUMBER_MAX_DIGITS = 15
# what people type besides the ISO form of <input type="datetime-local">
DATETIME_FORMATS = ("%d.%m.%Y %H:%M", "%d.%m.%Y, %H:%M", "%d.%m.%Y %H.%M", "%d.%m.%Y")

Answer = str | list[str]


class AttributeAnswerErrors(ApplicationError):
    """One or more answers do not fit their questions: `errors` maps the code to a German
    message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(" ".join(errors.values()), field="attributes")
        self.errors = errors


def _as_list(raw) -> list[str]:
    if raw is None:
        return []
    items = raw if isinstance(raw, list | tuple) else [raw]
    return [str(item).strip() for item in items if str(item).strip()]


def _number(text: str) -> str:
    # German decimal comma; thousands separators are not guessed at
    candidate = text.replace(" ", "").replace(",", ".")
    try:
        number = Decimal(candidate)
    except InvalidOperation:
        number = None
    if (
        number is None
        or not number.is_finite()
        or len(number.as_tuple().digits) > NUMBER_MAX_DIGITS
    ):
        raise ValueError
    normalized = format(number.normalize(), "f")
    return "0" if normalized in ("-0", "0") else normalized


def _datetime(text: str) -> str:
    parsed = parse_datetime(text)
    if parsed is None:
        for pattern in DATETIME_FORMATS:
            try:
                parsed = datetime.datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
    if parsed is None:
        raise ValueError
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return timezone.localtime(parsed).isoformat(timespec="seconds")


def attribute_answer_clean(attribute: CategoryAttribute, raw) -> Answer | None:
    """The answer to store for one question, None when it is unanswered (and may be).
    Raises ApplicationError with a German message."""
    items = _as_list(raw)
    if not items:
        if attribute.required:
            raise ApplicationError(
                _("Bitte beantworten Sie die Frage „%(question)s“.")
                % {"question": attribute.description}
            )
        return None
    datatype = attribute.datatype
    if datatype == AttributeDatatype.MULTIVALUELIST:
        unknown = [item for item in items if item not in attribute.value_names]
        if unknown:
            raise ApplicationError(
                _("„%(value)s“ ist keine der möglichen Antworten.") % {"value": unknown[0]}
            )
        return [key for key in attribute.value_names if key in items]  # in the question's order
    if len(items) > 1:
        raise ApplicationError(_("Bitte geben Sie hier nur eine Antwort."))
    value = items[0]
    if datatype == AttributeDatatype.SINGLEVALUELIST:
        if value not in attribute.value_names:
            raise ApplicationError(
                _("„%(value)s“ ist keine der möglichen Antworten.") % {"value": value}
            )
        return value
    if datatype == AttributeDatatype.NUMBER:
        try:
            return _number(value)
        except ValueError:
            raise ApplicationError(
                _("Bitte geben Sie eine Zahl an, zum Beispiel 12 oder 3,5.")
            ) from None
    if datatype == AttributeDatatype.DATETIME:
        try:
            return _datetime(value)
        except (ValueError, OverflowError):
            raise ApplicationError(
                _("Bitte geben Sie Datum und Uhrzeit an, zum Beispiel 23.11.2026 18:30.")
            ) from None
    limit = TEXT_MAX if datatype == AttributeDatatype.TEXT else STRING_MAX
    if "\x00" in value:
        raise ApplicationError(_("Die Antwort enthält ungültige Zeichen."))
    if len(value) > limit:
        raise ApplicationError(_("Bitte kürzen Sie die Antwort auf %(n)s Zeichen.") % {"n": limit})
    return value


def report_attributes_clean(
    *, attributes: Iterable[CategoryAttribute], answers: Mapping[str, object]
) -> dict[str, Answer]:
    """The answers to store, by code. Answers to questions the category does not ask are
    dropped (Open311 clients such as FixMyStreet send attributes of their own)."""
    cleaned, errors = {}, {}
    for attribute in attributes:
        try:
            value = attribute_answer_clean(attribute, answers.get(attribute.code))
        except ApplicationError as error:
            errors[attribute.code] = str(error.message)
            continue
        if value is not None:
            cleaned[attribute.code] = value
    if errors:
        raise AttributeAnswerErrors(errors)
    return cleaned


def answer_display(attribute: CategoryAttribute | None, value: Answer) -> str:
    """An answer as people read it: the names of chosen keys, a date in German."""
    if attribute is None:
        return ", ".join(value) if isinstance(value, list) else str(value)
    if attribute.is_list:
        names = attribute.value_names
        keys = value if isinstance(value, list) else [value]
        return ", ".join(names.get(key, key) for key in keys)
    if attribute.datatype == AttributeDatatype.DATETIME:
        parsed = parse_datetime(str(value))
        if parsed is not None:
            return _("%(date)s Uhr") % {"date": f"{timezone.localtime(parsed):%d.%m.%Y, %H:%M}"}
    if attribute.datatype == AttributeDatatype.NUMBER:
        return str(value).replace(".", ",")
    return str(value)


# --- the form field of a question (services/reports/forms.py) -----------------------------------
def _attribute_widget(attribute) -> forms.Widget:
    choices = [(item["key"], item["name"]) for item in attribute.values or []]
    match attribute.datatype:
        case AttributeDatatype.SINGLEVALUELIST:
            return RadioSelect(choices=choices)
        case AttributeDatatype.MULTIVALUELIST:
            return forms.CheckboxSelectMultiple(choices=choices)
        case AttributeDatatype.TEXT:
            return forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_MAX})
        case AttributeDatatype.NUMBER:
            return forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        case AttributeDatatype.DATETIME:
            return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    return forms.TextInput(attrs={"maxlength": STRING_MAX})


DATETIME_HELP = gettext_lazy("Datum und Uhrzeit, zum Beispiel 23.11.2026 18:30.")


class AttributeField(forms.Field):
    """One of the category's Zusatzfragen. It is checked by `attribute_answer_clean`, exactly as
    the service and the Open311 API check it."""

    def __init__(self, attribute, **kwargs):
        self.attribute = attribute
        help_text = attribute.datatype_description
        if not help_text and attribute.datatype == AttributeDatatype.DATETIME:
            help_text = DATETIME_HELP
        super().__init__(
            label=attribute.description,
            required=attribute.required,
            # includes/field.html shows help texts as HTML; editors write plain text
            help_text=escape(help_text),
            widget=_attribute_widget(attribute),
            **kwargs,
        )

    def clean(self, value):
        try:
            return attribute_answer_clean(self.attribute, value)
        except ApplicationError as error:
            raise ValidationError(error.message) from None
