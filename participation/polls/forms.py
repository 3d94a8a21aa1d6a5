"""The poll form, built from a poll's questions. It parses and gives German errors;
`poll_answer` and `poll_answer_offline` check everything again and write."""

from django import forms
from django.conf import settings
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from participation.projects.constants import OFFLINE_CHANNELS, ContributionChannel
from portal.core.forms import HoneypotMixin, RadioSelect

from .models import OTHER_TEXT_MAX, Poll, QuestionKind
from .services import AnswerInput

OTHER = "sonstiges"

MSG_REQUIRED = _("Bitte beantworten Sie diese Frage.")
MSG_INVALID_CHOICE = _("Bitte wählen Sie eine der genannten Antworten aus.")
MSG_TOO_LONG = _(
    "Bitte fassen Sie sich kürzer: höchstens %(limit_value)d Zeichen (jetzt %(show_value)d)."
)
MSG_NOTHING = _("Bitte beantworten Sie mindestens eine Frage.")
MSG_OTHER_MISSING = _("Bitte beschreiben Sie Ihre Antwort unter „Sonstiges“.")
MSG_OTHER_CONFLICT = _(
    "Sie haben einen Text unter „Sonstiges“ eingetragen, aber eine andere Antwort gewählt. "
    "Bitte wählen Sie „Sonstiges“ oder leeren Sie das Textfeld."
)


class _RequiredByForm:
    """`required` stays on for the label ("Pflichtfeld"), but the form checks it: a text under
    "Sonstiges" answers the question too."""

    def validate(self, value):
        if value in self.empty_values:
            return
        super().validate(value)


class QuestionChoiceField(_RequiredByForm, forms.ChoiceField):
    pass


class QuestionMultipleChoiceField(_RequiredByForm, forms.MultipleChoiceField):
    pass


class PollForm(HoneypotMixin, forms.Form):
    """One field per question (`q<id>`), a text field `q<id>_other` where "Sonstiges" is allowed,
    and the honeypot. `enforce_required=False` for paper questionnaires entered by staff."""

    def __init__(self, *args, poll: Poll, enforce_required: bool = True, **kwargs):
        kwargs.setdefault("prefix", f"umfrage{poll.pk}")
        super().__init__(*args, **kwargs)
        self.poll = poll
        self.enforce_required = enforce_required
        self.questions = list(poll.questions.all())
        for question in self.questions:
            self._add_question(question)

    def _add_question(self, question) -> None:
        name = f"q{question.pk}"
        required = question.required and self.enforce_required
        common = {
            "label": question.text,
            "help_text": escape(question.help_text),  # includes/field.html shows it as HTML
            "required": required,
        }
        if question.kind == QuestionKind.TEXT:
            limit = settings.POLLS_FREE_TEXT_MAX_LENGTH
            self.fields[name] = forms.CharField(
                max_length=limit,
                widget=forms.Textarea(attrs={"rows": 4}),
                error_messages={"required": MSG_REQUIRED, "max_length": MSG_TOO_LONG},
                **common,
            )
            return
        choices = [(str(choice.pk), choice.text) for choice in question.choices.all()]
        if question.allow_other:
            choices.append((OTHER, _("Sonstiges")))
        messages = {"required": MSG_REQUIRED, "invalid_choice": MSG_INVALID_CHOICE}
        if question.kind == QuestionKind.MULTIPLE:
            self.fields[name] = QuestionMultipleChoiceField(
                choices=choices,
                widget=forms.CheckboxSelectMultiple,
                error_messages={**messages, "invalid_list": MSG_INVALID_CHOICE},
                **common,
            )
        else:
            self.fields[name] = QuestionChoiceField(
                choices=choices, widget=RadioSelect, error_messages=messages, **common
            )
        if question.allow_other:
            self.fields[f"{name}_other"] = forms.CharField(
                label=_("Sonstiges, und zwar:"),
                required=False,
                max_length=OTHER_TEXT_MAX,
                error_messages={"max_length": MSG_TOO_LONG},
            )

    def question_fields(self):
        """(question, bound field, bound "Sonstiges" field or None) in the poll's order."""
        for question in self.questions:
            name = f"q{question.pk}"
            other = self[f"{name}_other"] if f"{name}_other" in self.fields else None
            yield question, self[name], other

    def clean(self):
        cleaned = super().clean()
        for question in self.questions:
            name = f"q{question.pk}"
            if name in self.errors:
                continue
            value = cleaned.get(name)
            other_text = (cleaned.get(f"{name}_other") or "").strip()
            if question.is_choice and question.allow_other:
                picked = set(value) if isinstance(value, list) else ({value} if value else set())
                if other_text and OTHER not in picked:
                    if question.kind == QuestionKind.SINGLE and picked:
                        self.add_error(f"{name}_other", MSG_OTHER_CONFLICT)
                        continue
                    # a text under "Sonstiges" chooses "Sonstiges"
                    picked.add(OTHER)
                    cleaned[name] = (
                        list(picked) if question.kind == QuestionKind.MULTIPLE else OTHER
                    )
                elif OTHER in picked and not other_text:
                    self.add_error(f"{name}_other", MSG_OTHER_MISSING)
                    continue
                value = cleaned.get(name)
            if question.required and self.enforce_required and not value:
                self.add_error(name, MSG_REQUIRED)
        if not self.errors and all(answer.is_empty for answer in self.answers()):
            self.add_error(None, MSG_NOTHING)
        return cleaned

    def answers(self) -> list[AnswerInput]:
        """The cleaned answers for the services."""
        answers = []
        for question in self.questions:
            name = f"q{question.pk}"
            value = self.cleaned_data.get(name)
            if question.kind == QuestionKind.TEXT:
                answers.append(AnswerInput(question_id=question.pk, text=value or ""))
                continue
            picked = value if isinstance(value, list) else ([value] if value else [])
            answers.append(
                AnswerInput(
                    question_id=question.pk,
                    choice_ids=tuple(int(pk) for pk in picked if pk != OTHER),
                    other=OTHER in picked,
                    other_text=(self.cleaned_data.get(f"{name}_other") or "").strip(),
                )
            )
        return answers


OFFLINE_CHANNEL_CHOICES = [
    (value, label) for value, label in ContributionChannel.choices if value in OFFLINE_CHANNELS
]


class OfflineResponseForm(PollForm):
    """A questionnaire filled in on paper, by phone or at an event, entered by staff."""

    channel = forms.ChoiceField(
        label=_("Wie kamen die Antworten?"),
        choices=[("", _("Bitte wählen")), *OFFLINE_CHANNEL_CHOICES],
        error_messages={
            "required": _("Bitte wählen Sie, auf welchem Weg die Antworten kamen."),
            "invalid_choice": _("Bitte wählen Sie einen der genannten Wege."),
        },
    )

    def __init__(self, *args, poll: Poll, **kwargs):
        kwargs.setdefault("prefix", "bogen")
        super().__init__(*args, poll=poll, enforce_required=False, **kwargs)
        del self.fields["homepage"]  # staff typing in paper answers are no bots
        self.order_fields(["channel"])
