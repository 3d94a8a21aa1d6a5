from django.conf import settings
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal.cms.views import robots_txt, sitemap
from portal.core.figures.views import figures_page
from portal.core.views import form_token, healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("formular-token/", form_token, name="form-token"),
    path("robots.txt", robots_txt, name="robots-txt"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("zahlen/", figures_page, name="figures"),
    path("offene-daten/", include("portal.core.opendata.urls")),
    # One login for everyone (allauth's): these replace Wagtail's login forms and page passwords.
    path("", include("portal.accounts.auth_urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("dokumente/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("konto/", include("portal.accounts.urls")),
    path("suche/", include("portal.cms.urls")),
    path("", include("portal.contact.urls")),
    path("", include("portal.tickets.public_urls")),
    path("maengel/", include("services.reports.urls")),
    path("open311/v2/", include("services.reports.open311.urls")),
    path("antraege/", include("services.eforms.urls")),
    path("bezahlen/", include("services.payments.urls")),
    path("mitmachen/", include("participation.contributions.urls")),
    path("umfragen/", include("participation.polls.urls")),
    path("mitmachpool/", include("participation.following.urls")),
    path("abo/", include("portal.core.subscriptions.urls")),
    path("datenauskunft/", include("portal.core.mydata.urls")),
    path("ideenpool/", include("participation.ideas.urls")),
    path("api/v1/", include("portal.api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns.append(path("", include(wagtail_urls)))
