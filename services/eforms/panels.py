"""Admin panels of the form pages."""

from wagtail.admin.panels import FieldPanel


class LabelledRichTextPanel(FieldPanel):
    """A rich text field whose editor carries the field's label (widgets.LabelledRichTextArea)."""

    def get_form_options(self):
        from .widgets import LabelledRichTextArea  # Draftail needs the app registry

        options = super().get_form_options()
        options["widgets"] = {**options.get("widgets", {}), self.field_name: LabelledRichTextArea}
        return options
