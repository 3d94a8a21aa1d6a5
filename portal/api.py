"""The public API, version 1. Each app contributes its viewsets in its own `api.py`."""

from rest_framework.routers import DefaultRouter

from participation.ideas.api import IdeaViewSet
from participation.projects.api import ProjectViewSet
from portal.departments.api import DepartmentViewSet, DistrictViewSet
from portal.tickets.api import TicketViewSet
from services.catalogue.api import ServiceViewSet
from services.reports.api import ReportViewSet

router = DefaultRouter()
router.register("departments", DepartmentViewSet, basename="department")
router.register("districts", DistrictViewSet, basename="district")
router.register("tickets", TicketViewSet, basename="ticket")
router.register("reports", ReportViewSet, basename="report")
router.register("services", ServiceViewSet, basename="service")
router.register("projects", ProjectViewSet, basename="project")
router.register("ideas", IdeaViewSet, basename="idea")
