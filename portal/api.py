"""The public API, version 1. Each app contributes its viewsets in its own `api.py`."""

from django.urls import re_path
from rest_framework.routers import DefaultRouter

from participation.ideas.api import IdeaViewSet
from participation.projects.api import ProjectViewSet
from portal.core.api_errors import api_not_found
from portal.core.links import APIRootView
from portal.departments.api import DepartmentViewSet, DistrictViewSet
from portal.tickets.api import TicketViewSet
from services.catalogue.api import ServiceViewSet
from services.reports.api import ReportViewSet

router = DefaultRouter()
router.APIRootView = APIRootView  # its links under BASE_URL
router.register("departments", DepartmentViewSet, basename="department")
router.register("districts", DistrictViewSet, basename="district")
router.register("tickets", TicketViewSet, basename="ticket")
router.register("reports", ReportViewSet, basename="report")
router.register("services", ServiceViewSet, basename="service")
router.register("projects", ProjectViewSet, basename="project")
router.register("ideas", IdeaViewSet, basename="idea")

urlpatterns = [
    *router.urls,
    # Any other address ending in "/" is a 404 in the API's error shape (not the site's 404
    # page); without the slash, Django first redirects to the address with it.
    re_path(r"^(?:[\s\S]*/)?$", api_not_found),
]
