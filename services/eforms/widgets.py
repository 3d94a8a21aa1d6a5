"""Admin widgets of the form pages. Imported when the admin form is built (Draftail needs the app
registry), through panels.py."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from wagtail.admin.rich_text import DraftailRichTextArea


class LabelledRichTextArea(DraftailRichTextArea):
    """Draftail whose editing surface is named by the field's label. Wagtail's label points at
    the hidden input only (wagtail/wagtail#14205, open), which leaves the textbox that editors
    and screen readers meet without a name; Draftail takes `ariaLabelledBy` among its options."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        field_id = context["widget"]["attrs"].get("id")
        if field_id:
            options = {**self.options, "ariaLabelledBy": f"{field_id}-label"}
            context["widget"]["attrs"]["data-w-init-detail-value"] = json.dumps(
                options, cls=DjangoJSONEncoder
            )
        return context
