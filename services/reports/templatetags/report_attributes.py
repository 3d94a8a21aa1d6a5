"""`{% report_attribute_answers report as answers %}`: the answers to the Zusatzfragen as
question and answer text, for staff pages only (they may hold personal data)."""

from django import template

from ..selectors import report_attribute_answers as answers_of

register = template.Library()


@register.simple_tag
def report_attribute_answers(report) -> list[dict]:
    return answers_of(report=report)
