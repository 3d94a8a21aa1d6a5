import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from portal.accounts.models import User
from portal.departments.models import Department, DepartmentKind, District

DEFAULT_PASSWORD = "Sicheres-Passwort-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = "Erika"
    last_name = "Mustermann"
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def confirmed(self, create, extracted, **kwargs):
        """A confirmed, primary e-mail address unless `confirmed=False`."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
        if create:
            self.save()


class StaffUserFactory(UserFactory):
    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get(name="Sachbearbeitung"))


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"Amt {n}")
    short_name = factory.Sequence(lambda n: f"A{n}")
    email = factory.Sequence(lambda n: f"amt{n}@stadt.example")
    kind = DepartmentKind.OFFICE


def square(west: float, south: float, size: float = 0.01) -> dict:
    east, north = west + size, south + size
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    name = factory.Sequence(lambda n: f"Stadtteil {n}")
    area = factory.LazyFunction(lambda: square(7.55, 51.43))


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "tickets.Category"

    name = factory.Sequence(lambda n: f"Kategorie {n}")
    slug = factory.Sequence(lambda n: f"kategorie-{n}")
    sla_days = 10


def open_ticket(*, category=None, message="Laterne defekt", email="", user=None, **kwargs):
    """A ticket as the contact form opens it (pending routing)."""
    from portal.contact.services import contact_submit

    return contact_submit(
        kind=kwargs.pop("kind", "anliegen"),
        category=category or CategoryFactory(),
        message=message,
        email=email,
        user=user,
        **kwargs,
    )


def routed_ticket(*, department, **kwargs):
    """A ticket routed to `department` through its category's default department."""
    from portal.tickets.services import ticket_route

    category = kwargs.pop("category", None) or CategoryFactory(default_department=department)
    ticket = open_ticket(category=category, **kwargs)
    return ticket_route(ticket_id=ticket.pk)
