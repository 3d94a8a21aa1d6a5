from django.db.models import QuerySet

from .models import Department, District


def department_list_active() -> QuerySet[Department]:
    return Department.objects.filter(is_active=True).order_by("name")


def district_list() -> QuerySet[District]:
    return District.objects.select_related("parent").order_by("name")


def district_for_location(*, latitude: float, longitude: float) -> District | None:
    """The most specific district (a Stadtteil before its Stadtbezirk) that covers the point."""
    matches = [d for d in district_list() if d.contains(latitude=latitude, longitude=longitude)]
    matches.sort(key=lambda d: d.parent_id is None)
    return matches[0] if matches else None
