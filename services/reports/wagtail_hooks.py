from django.urls import include, path, reverse_lazy
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, MultiFieldPanel
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    CreateView,
    EditView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from .models import ApiClient, Report, ReportPhoto
from .services import report_record_moderation


class ReportEditView(EditView):
    """Moderation changes are written into the ticket's timeline."""

    def save_instance(self):
        before = Report.objects.get(pk=self.form.instance.pk)
        instance = super().save_instance()
        if instance.is_published and instance.published_at is None:
            instance.published_at = timezone.now()
            instance.save(update_fields=["published_at"])
        report_record_moderation(
            report=instance,
            actor=self.request.user,
            old_public_text=before.public_text,
            was_published=before.is_published,
        )
        return instance


class ReportViewSet(SnippetViewSet):
    """Moderation: publish a report, rewrite its public text (the original stays)."""

    model = Report
    icon = "warning"
    edit_view_class = ReportEditView
    menu_label = gettext_lazy("Mängelmeldungen")
    list_display = ["__str__", "category", "address", BooleanColumn("is_published"), "created_at"]
    list_filter = ["is_published", "category"]
    search_fields = ["description", "address"]
    ordering = ["-created_at"]
    panels = [
        FieldPanel("description", read_only=True),
        FieldPanel("public_description"),
        FieldRowPanel([FieldPanel("is_published"), FieldPanel("published_at", read_only=True)]),
        FieldPanel("address", read_only=True),
    ]


class ReportPhotoViewSet(SnippetViewSet):
    model = ReportPhoto
    icon = "image"
    menu_label = gettext_lazy("Fotos von Meldungen")
    list_display = ["__str__", "report", BooleanColumn("is_hidden")]
    list_filter = ["is_hidden"]
    panels = [
        FieldPanel("alt_text"),
        FieldPanel("is_hidden"),
        HelpPanel(
            gettext_lazy(
                "Gesichter oder Kennzeichen unkenntlich machen: „Bereich verpixeln“ unter "
                "/admin/maengel-fotos/&lt;Nummer&gt;/verpixeln/."
            )
        ),
    ]


class ApiClientCreateView(CreateView):
    """The key is made here and shown once; only its hash is stored."""

    def save_instance(self):
        self._new_key = self.form.instance.issue_key()
        return super().save_instance()

    def get_success_message(self, instance=None):
        return format_html(
            "{} <code>{}</code>",
            _("API-Zugang angelegt. Schlüssel (wird nur jetzt angezeigt):"),
            self._new_key,
        )


class ApiClientViewSet(SnippetViewSet):
    model = ApiClient
    icon = "key"
    menu_label = gettext_lazy("API-Zugänge")
    add_view_class = ApiClientCreateView
    list_display = ["name", "key_prefix", BooleanColumn("is_machine"), "revoked_at"]
    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("contact"), FieldPanel("is_machine")],
            heading=gettext_lazy("Zugang"),
        ),
        FieldPanel("revoked_at", heading=gettext_lazy("Sperren ab")),
    ]


class ReportGroup(SnippetViewSetGroup):
    menu_label = gettext_lazy("Mängelmelder")
    menu_icon = "warning"
    menu_order = 320
    items = (ReportViewSet, ReportPhotoViewSet, ApiClientViewSet)


register_snippet(ReportGroup)


@hooks.register("register_admin_urls")
def register_report_admin_urls():
    from .admin_views import PhotoBlurView
    from .intake import IntakeView

    urls = [path("<int:pk>/verpixeln/", PhotoBlurView.as_view(), name="photo-blur")]
    intake = [path("", IntakeView.as_view(), name="create")]
    return [
        path("maengel-fotos/", include((urls, "reports_admin"), namespace="reports_admin")),
        path("anliegen-erfassen/", include((intake, "reports_intake"), namespace="reports_intake")),
    ]


@hooks.register("register_ticket_menu_item")
def register_intake_menu_item():
    from portal.tickets.wagtail_hooks import PermissionMenuItem

    return PermissionMenuItem(
        gettext_lazy("Anliegen erfassen"),
        reverse_lazy("reports_intake:create"),
        name="anliegen-erfassen",
        icon_name="plus",
        order=150,
        check=lambda user: user.has_perm("tickets.access_queue"),
    )
