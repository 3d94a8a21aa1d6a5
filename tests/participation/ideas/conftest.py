import pytest

from participation.projects.rules import MODERATORS_GROUP
from tests.factories import DepartmentFactory, StaffUserFactory


@pytest.fixture
def department(db):
    """The department every idea is routed to (the idea category's default department)."""
    from participation.ideas.services import idea_category

    department = DepartmentFactory(name="Stabsstelle Smart City")
    category = idea_category()
    category.default_department = department
    category.save()
    return department


@pytest.fixture
def clerk(department):
    """A member of that department."""
    user = StaffUserFactory()
    user.department_memberships.create(department=department)
    return user


@pytest.fixture
def mitmachbuero(db):
    """MitMachBüro staff (the Moderation group)."""
    from django.contrib.auth.models import Group

    user = StaffUserFactory()
    user.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    return user
