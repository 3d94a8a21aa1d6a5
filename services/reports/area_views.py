"""/maengel/benachrichtigungen/: ask for e-mails about new reports in an area."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from portal.core.errors import ApplicationError
from portal.core.ratelimit import client_ip, rate_limit_hit

from .area_alerts import area_subscribe
from .forms import AreaAlertForm

MSG_CHECK_MAIL = gettext_lazy(
    "Fast geschafft: Sie erhalten gleich eine E-Mail mit einem Bestätigungslink. Erst danach "
    "schicken wir Ihnen Benachrichtigungen."
)
MSG_TOO_MANY = gettext_lazy(
    "In kurzer Zeit kamen zu viele Anfragen. Bitte versuchen Sie es in einer Stunde noch einmal."
)


@never_cache
def area_alerts(request):
    form = AreaAlertForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if rate_limit_hit(
            scope="area-alerts-ip",
            identity=client_ip(request),
            limit=settings.REPORTS_FOLLOW_LIMIT_PER_IP_HOUR,
            seconds=3600,
        ):
            form.is_valid()
            form.add_error(None, MSG_TOO_MANY)
            return render(request, "reports/area_alerts.html", {"form": form}, status=429)
        if form.is_spam:
            messages.success(request, MSG_CHECK_MAIL)
            return redirect("reports:alerts")
        if form.is_valid():
            data = form.cleaned_data
            try:
                subscription = area_subscribe(
                    email=data.get("email", ""),
                    user=form.user,
                    frequency=data["frequency"],
                    district=data["district"] if data["area"] == "stadtteil" else None,
                    address=data.get("address", ""),
                    radius_m=data.get("radius") or 500,
                )
            except ApplicationError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                if subscription.is_active:
                    messages.success(
                        request,
                        gettext_lazy("Sie erhalten jetzt Benachrichtigungen an %(email)s.")
                        % {"email": subscription.address},
                    )
                else:
                    messages.success(request, MSG_CHECK_MAIL)
                return redirect("reports:alerts")
    return render(request, "reports/area_alerts.html", {"form": form})
