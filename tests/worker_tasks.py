"""Tasks the test worker loads in addition to the portal's (`celery worker --include`)."""

from celery import shared_task


@shared_task(name="tests.rename_department")
def rename_department(department_id: int, name: str) -> None:
    from portal.departments.models import Department

    Department.objects.filter(pk=department_id).update(name=name)
