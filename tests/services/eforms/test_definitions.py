"""Each code-defined form checks its own answers with German messages; the fee is computed from
the stored answers."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from portal.core.money import euros
from services.eforms.constants import SubmissionStatus
from services.eforms.definitions import buecherei, flurkarte, personenstand, sperrmuell
from services.eforms.registry import form_choices, get_form
from tests.factories import UserFactory


def test_all_four_forms_are_offered_to_the_catalogue():
    keys = {key for key, _title in form_choices()}
    assert keys == {"personenstandsurkunde", "flurkarte", "sperrmuell", "buechereiausweis"}


def test_euros_are_formatted_the_german_way():
    assert euros(1200) == "12,00 €"
    assert euros(123456) == "1.234,56 €"
    assert euros(5) == "0,05 €"


# --- Personenstandsurkunde -----------------------------------------------------------------------
def test_certificate_copies_are_limited():
    form = personenstand.CertificateStep(data={"kind": "geburt", "copies": 11, "purpose": "rente"})
    assert not form.is_valid()
    assert form.errors["copies"] == ["Online können Sie höchstens 10 Urkunden bestellen."]


def test_certificate_event_in_the_future_is_refused():
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    form = personenstand.PersonStep(
        data={
            "family_name": "Muster",
            "given_names": "Erika",
            "event_date": tomorrow.isoformat(),
            "event_place": "Schwerte",
        },
        answers={"kind": "geburt"},
    )
    assert not form.is_valid()
    assert form.errors["event_date"] == ["Das Datum liegt in der Zukunft."]


def test_certificate_only_for_events_in_schwerte():
    form = personenstand.PersonStep(
        data={
            "family_name": "Muster",
            "given_names": "Erika",
            "event_date": "1990-05-01",
            "event_place": "Dortmund",
        },
        answers={"kind": "geburt"},
    )
    assert not form.is_valid()
    assert "Standesamt des Ereignisortes" in form.errors["event_place"][0]


def test_birth_entries_older_than_110_years_are_in_the_archive():
    form = personenstand.PersonStep(
        data={
            "family_name": "Muster",
            "given_names": "Erika",
            "event_date": "1900-05-01",
            "event_place": "schwerte",
        },
        answers={"kind": "geburt"},
    )
    assert not form.is_valid()
    assert "Stadtarchiv" in form.errors["event_date"][0]
    # a death in the same year of a marriage register rule: 30 years for death entries
    form = personenstand.PersonStep(
        data={
            "family_name": "Muster",
            "given_names": "Erika",
            "event_date": "1980-05-01",
            "event_place": "Schwerte",
        },
        answers={"kind": "sterbe"},
    )
    assert not form.is_valid()
    assert "älter als 30 Jahre" in form.errors["event_date"][0]


def test_legal_interest_needs_a_proof_and_post_needs_an_address():
    form = personenstand.ApplicantStep(data={"relation": "interesse", "delivery": "post"})
    assert not form.is_valid()
    assert form.errors["proof"] == ["Bitte laden Sie einen Nachweis hoch."]
    assert form.errors["recipient_name"] == [
        "Bitte geben Sie an, an wen wir die Urkunde schicken sollen."
    ]
    assert form.errors["street"] == ["Bitte geben Sie Straße und Hausnummer für den Versand an."]
    assert "postcode" in form.errors and "city" in form.errors
    assert "address_extra" not in form.errors  # the only optional line of the address block
    # a proof stored in an earlier visit of the step counts
    form = personenstand.ApplicantStep(
        data={"relation": "interesse", "delivery": "download"}, answers={"_files": ["proof"]}
    )
    assert form.is_valid(), form.errors


def test_certificate_fee_is_twelve_euros_and_six_for_each_further_copy():
    form = get_form("personenstandsurkunde")
    assert form.fee_minor({"kind": "geburt", "copies": 1}) == 1200
    assert form.fee_minor({"kind": "geburt", "copies": "2"}) == 1800
    assert form.fee_minor({"kind": "geburt", "copies": 3}) == 2400
    assert form.fee_text == (
        "12,00 € für die erste Urkunde; 6,00 € für jede weitere Ausfertigung derselben Urkunde"
    )


# --- Flurkarte ------------------------------------------------------------------------------------
def test_parcel_by_address_needs_a_house_number():
    form = flurkarte.ParcelStep(data={"locate_by": "adresse", "address": "Rathausstraße"})
    assert not form.is_valid()
    assert form.errors["address"] == ["Bitte geben Sie auch die Hausnummer an."]


def test_parcel_by_cadastre_needs_all_three_parts():
    form = flurkarte.ParcelStep(data={"locate_by": "flurstueck", "flurstueck": "12a"})
    assert not form.is_valid()
    assert form.errors["gemarkung"] == ["Bitte wählen Sie die Gemarkung."]
    assert form.errors["flur"] == ["Bitte geben Sie die Flur an."]
    assert form.errors["flurstueck"] == ["Bitte geben Sie das Flurstück wie 123 oder 123/4 an."]


def test_ownership_record_only_for_owners():
    form = flurkarte.ProductStep(data={"product": "nachweis", "purpose": "kauf"})
    assert not form.is_valid()
    assert "Eigentümer" in form.errors["owner_confirmed"][0]


def test_cadastre_fee_depends_on_the_product():
    form = get_form("flurkarte")
    assert form.fee_minor({"product": "karte_a4"}) == 1500
    assert form.fee_minor({"product": "karte_a3"}) == 2500
    assert form.fee_minor({"product": "erfunden"}) == 0


# --- Sperrmüll ----------------------------------------------------------------------------------
@pytest.mark.django_db
def test_pickup_days_skip_weekends_and_public_holidays():
    # Monday, 21 December 2026: Christmas Day and Boxing Day fall on Friday and Saturday
    with time_machine.travel(dt.datetime(2026, 12, 21, 10, tzinfo=dt.UTC), tick=False):
        days = [day for day, _free in sperrmuell.pickup_days()]
    assert days[0] == dt.date(2026, 12, 24)  # three days ahead
    assert dt.date(2026, 12, 25) not in days
    assert dt.date(2026, 12, 26) not in days
    assert dt.date(2027, 1, 1) not in days
    assert all(day.weekday() < 5 for day in days)


@pytest.mark.django_db
def test_a_full_day_is_no_longer_offered():
    applicant = UserFactory()
    day = sperrmuell.pickup_days()[0][0]
    from services.eforms.models import Submission

    Submission.objects.bulk_create(
        Submission(
            form_key="sperrmuell",
            service_title="Sperrmüll",
            applicant=applicant,
            status=SubmissionStatus.RELEASED,
            number=f"A-2026-{n:06d}",
            data={"pickup_date": day.isoformat()},
            appointment_date=day,
        )
        for n in range(sperrmuell.SLOTS_PER_DAY)
    )
    assert day not in [d for d, _free in sperrmuell.pickup_days()]
    form = sperrmuell.AppointmentStep(
        data={"street": "Hagenstraße 1", "postcode": "58239", "pickup_date": day.isoformat()}
    )
    assert not form.is_valid()
    assert "nicht mehr frei" in form.errors["pickup_date"][0]


@pytest.mark.django_db
def test_bulky_waste_only_in_schwerte_and_at_most_five_cubic_metres():
    day = sperrmuell.pickup_days()[0][0]
    form = sperrmuell.AppointmentStep(
        data={"street": "Hagenstraße 1", "postcode": "44135", "pickup_date": day.isoformat()}
    )
    assert not form.is_valid()
    assert "PLZ 58239" in form.errors["postcode"][0]
    form = sperrmuell.ItemsStep(data={"items": ["moebel"], "description": "Schrank", "volume": 6})
    assert not form.is_valid()
    assert form.errors["volume"] == ["Je Abholung können höchstens 5 m³ mitgenommen werden."]


# --- Büchereiausweis ------------------------------------------------------------------------------
def test_renewal_needs_the_card_number():
    form = buecherei.CardStep(
        data={
            "kind": "verlaengern",
            "birth_date": "1980-01-01",
            "holder_name": "Erika Muster",
            "branch": "mitte",
        }
    )
    assert not form.is_valid()
    assert form.errors["card_number"] == ["Bitte geben Sie die Ausweisnummer an."]


def test_library_card_is_free_for_children_and_ten_euros_for_adults():
    form = get_form("buechereiausweis")
    today = timezone.localdate()
    child = today.replace(year=today.year - 10).isoformat()
    adult = today.replace(year=today.year - 30).isoformat()
    assert form.fee_minor({"birth_date": child}) == 0
    assert form.fee_minor({"birth_date": adult}) == 1000
