"""Checkboxes for the JSON list fields of projects and phases (modules, SDGs) in the admin.

The model fields stay JSON lists; the editor ticks boxes instead of typing `["ideen"]`. The
widget hands the form field a JSON string, which Django's JSONField form field parses and, after
a validation error, shows again.
"""

import json

from django import forms


class JSONCheckboxes(forms.CheckboxSelectMultiple):
    """A JSON list as checkboxes; `cast` turns the ticked values into list items (str or int)."""

    def __init__(self, *args, cast=str, **kwargs):
        super().__init__(*args, **kwargs)
        self.cast = cast

    def format_value(self, value):
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                value = []
        if not isinstance(value, list):
            return []
        return [str(item) for item in value]

    def value_from_datadict(self, data, files, name):
        picked = []
        for raw in data.getlist(name) if hasattr(data, "getlist") else data.get(name, []):
            try:
                picked.append(self.cast(raw))
            except (TypeError, ValueError):
                continue
        return json.dumps(picked)

    def value_omitted_from_data(self, data, files, name):
        # an unticked group sends nothing, and that means "none"
        return False
