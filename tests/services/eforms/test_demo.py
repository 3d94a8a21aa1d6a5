"""The demo city offers the four code-defined forms and one editor-built form."""

import io

import pytest
from django.core.management import call_command

from services.eforms.models import ServiceFormPage
from services.eforms.registry import form_choices
from services.eforms.selectors import service_for_form

pytestmark = pytest.mark.django_db


def test_every_form_is_offered_by_a_service_and_the_demo_loads_twice(demo_site, client):
    call_command("load_demo", stdout=io.StringIO())  # a second time changes nothing
    for key, _title in form_choices():
        service = service_for_form(key)
        assert service is not None, key
        assert service.category.default_department_id == service.department_id
    form_page = ServiceFormPage.objects.get()
    service = service_for_form(form_page.form_key)
    assert service.apply_url() == form_page.url
    assert "Antrag beginnen" in client.get(form_page.url).content.decode()
