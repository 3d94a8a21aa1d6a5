"""Datenschutz-Anfragen in the Wagtail admin: a request by letter or at the counter. Staff find
a person's data by e-mail address, build the copy (Art. 15) or erase it (Art. 17); the
Löschprotokoll records the erasure with counts only."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core import privacy
from portal.core.admin_views import BackOfficeView

from .erasure import erase_person
from .export import request_export
from .models import DataExport
from .people import Person, rows_of
from .views import STAFF_PERMISSION, fresh_login_required


class SearchForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("E-Mail-Adresse der Person"),
        help_text=gettext_lazy(
            "Prüfen Sie vorher, dass die Anfrage von dieser Person stammt (Unterschrift, Ausweis)."
        ),
    )


class EraseForm(forms.Form):
    email = forms.EmailField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "Ich habe die Identität geprüft. Alle Daten dieser Person sollen gelöscht werden."
        ),
        error_messages={"required": gettext_lazy("Bitte bestätigen Sie die Löschung.")},
    )


def person_for(email: str) -> tuple[Person, object | None]:
    """The person behind an address: the account that has it (any of its addresses), and the
    address itself for what was sent without an account."""
    from allauth.account.models import EmailAddress

    User = get_user_model()
    address = EmailAddress.objects.filter(email__iexact=email).select_related("user").first()
    user = address.user if address else User.objects.filter(email__iexact=email).first()
    emails = {email.lower()}
    if user is not None:
        emails |= set(Person.of_user(user).emails)  # the searched one and the confirmed
    return Person(user_id=user.pk if user else None, emails=frozenset(emails)), user


def summary(person: Person) -> list[tuple[str, int]]:
    rows = []
    for label, queryset in sorted(rows_of(person).items()):
        count = queryset.count()
        if count:
            rows.append((privacy.declaration_for(label).name, count))
    return rows


class DataRequestsView(BackOfficeView):
    permission = STAFF_PERMISSION
    template_name = "core/admin/data_requests.html"
    page_title = gettext_lazy("Datenschutz-Anfragen")
    header_icon = "user"

    def get(self, request):
        form = SearchForm(request.GET or None)
        context = {"form": form, "exports": DataExport.objects.filter(by_staff=True)[:20]}
        if form.is_valid():
            email = form.cleaned_data["email"]
            person, user = person_for(email)
            context.update(
                email=email,
                account=user,
                found=summary(person),
                erase_form=EraseForm(initial={"email": email}),
            )
        return self.render_to_response(self.get_context_data(**context))

    @method_decorator(fresh_login_required)
    def post(self, request):
        if request.POST.get("action") == "export":
            form = SearchForm(request.POST)
            if form.is_valid():
                email = form.cleaned_data["email"]
                _person, user = person_for(email)
                request_export(user=user, recipient=email.lower(), by_staff=True)
                messages.success(
                    request,
                    _("Die Auskunft wird erstellt. Sie steht unten zum Herunterladen bereit."),
                )
            return redirect("core-data-requests")
        form = EraseForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Bitte bestätigen Sie die Löschung."))
            return redirect(f"{request.path}?email={request.POST.get('email', '')}")
        person, user = person_for(form.cleaned_data["email"])
        if user is not None and (user.is_superuser or user.pk == request.user.pk):
            messages.error(request, _("Dieses Konto kann hier nicht gelöscht werden."))
            return redirect("core-data-requests")
        erased = erase_person(person, label=_("Löschung auf Antrag (Verwaltung)"))
        messages.success(
            request,
            _("Gelöscht oder von der Person gelöst: %(count)s Einträge.") % {"count": erased.total},
        )
        return redirect("core-data-requests")
