"""The personal-data registry (issue 15, item 1): every installed model that holds personal data
is declared, a model that is not is found, and docs/datenschutz.md says what the declarations
say."""

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import models
from django.test.utils import isolate_apps

from portal.core import privacy
from portal.core.privacy import Erasure, PersonalData, Retention

ROOT = Path(__file__).resolve().parents[3]


def test_every_installed_model_that_holds_personal_data_is_declared():
    assert privacy.undeclared(apps.get_models()) == []
    assert privacy.unknown_declarations() == []


def test_every_declaration_says_why_on_which_basis_and_for_how_long():
    for declaration in privacy.declarations():
        assert declaration.purpose.strip(), declaration.model
        assert declaration.legal_basis.startswith("Art. 6"), declaration.model
        assert declaration.retention.rule.strip(), declaration.model
        assert all(reason.strip() for reason in declaration.not_personal.values())


@isolate_apps("portal.core")
def test_a_model_with_personal_fields_and_no_declaration_is_found():
    class Petition(models.Model):
        title = models.CharField(max_length=100)
        signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
        contact_email = models.EmailField()
        phone = models.CharField(max_length=30)
        scan = models.FileField()
        notes = models.TextField()

        class Meta:
            app_label = "core"

        def __str__(self):
            return str(self.pk)

    class Topic(models.Model):  # nothing personal: not reported
        name = models.CharField(max_length=100)
        description = models.TextField()

        class Meta:
            app_label = "core"

        def __str__(self):
            return str(self.pk)

    assert privacy.undeclared([Petition, Topic]) == [
        "core.Petition: keine Erklärung zu personenbezogenen Daten "
        "(Felder: contact_email, notes, phone, scan, signer)"
    ]


@isolate_apps("portal.core")
def test_a_declaration_that_forgets_a_field_or_names_a_wrong_one_is_found(monkeypatch):
    class Petition(models.Model):
        signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
        signer_ip = models.GenericIPAddressField()
        topic = models.CharField(max_length=100)

        class Meta:
            app_label = "core"

        def __str__(self):
            return str(self.pk)

    monkeypatch.setattr(privacy, "_declarations", {})
    privacy.declare(
        PersonalData(
            model="core.Petition",
            category="Petitionen",
            purpose="Petitionen zählen",
            legal_basis=privacy.PUBLIC_TASK,
            fields=("signer", "sginer_name"),
            people=("topic",),
            staff_people=("signer__email",),
            identity=("signer_nmae",),
            case="signer",
            erasure=Erasure.DELETE,
            retention=Retention("1 Jahr", setting="PETITIONS_KEEP_DAYS"),
        )
    )
    assert privacy.undeclared([Petition]) == [
        "core.Petition.signer_nmae: erklärt, aber kein Feld des Modells",
        "core.Petition: „signer“ führt zu keinem Anliegen",
        "core.Petition.signer_ip: weder als personenbezogen noch als nicht personenbezogen erklärt",
        "core.Petition.sginer_name: erklärt, aber kein Feld des Modells",
        "core.Petition: „topic“ führt zu keinem Konto und keiner E-Mail-Adresse",
        "core.Petition: die Frist-Einstellung PETITIONS_KEEP_DAYS fehlt",
    ]


def test_a_part_of_a_personal_record_must_classify_its_free_text():
    """A poll answer has no name, but its free text belongs to the person who answered."""
    from participation.polls.models import Answer

    assert "text" in privacy.personal_looking_fields(Answer)
    assert "text" in privacy.declaration_for("polls.Answer").fields


@pytest.mark.django_db
def test_docs_datenschutz_is_generated_from_the_declarations(tmp_path):
    """CI check: `manage.py privacy_document` writes what is checked in."""
    out = tmp_path / "datenschutz.md"
    call_command("privacy_document", output=str(out), stdout=open("/dev/null", "w"))
    checked_in = (ROOT / "docs" / "datenschutz.md").read_text(encoding="utf-8")
    assert out.read_text(encoding="utf-8") == checked_in, (
        "docs/datenschutz.md is out of date: run `manage.py privacy_document`"
    )
    for declaration in privacy.declarations():
        assert f"`{declaration.model}`" in checked_in
