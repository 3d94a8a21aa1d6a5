"""Staff pixelate a region of a report photo before it is published."""

from django import forms
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin import messages

from portal.core.admin_views import BackOfficeMixin
from portal.core.images import PhotoRejected

from .models import ReportPhoto
from .photo_services import report_photo_blur


class BlurForm(forms.Form):
    left = forms.IntegerField(label=gettext_lazy("links (px)"), min_value=0)
    top = forms.IntegerField(label=gettext_lazy("oben (px)"), min_value=0)
    width = forms.IntegerField(label=gettext_lazy("Breite (px)"), min_value=1)
    height = forms.IntegerField(label=gettext_lazy("Höhe (px)"), min_value=1)


class PhotoBlurView(BackOfficeMixin, FormView):
    template_name = "reports/admin/photo_blur.html"
    form_class = BlurForm
    page_title = gettext_lazy("Bereich verpixeln")
    header_icon = "image"
    permission = "reports.change_reportphoto"

    def load(self, request, *, pk, **kwargs) -> None:
        self.photo = get_object_or_404(ReportPhoto.objects.select_related("report"), pk=pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(photo=self.photo, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        box = (
            data["left"],
            data["top"],
            data["left"] + data["width"],
            data["top"] + data["height"],
        )
        try:
            report_photo_blur(photo=self.photo, box=box)
        except PhotoRejected as exc:
            form.add_error(None, exc.messages[0])
            return self.form_invalid(form)
        messages.success(self.request, _("Der Bereich wurde verpixelt."))
        return redirect("reports_admin:photo-blur", pk=self.photo.pk)
