"""The ticket spine's models; Django and every importer find them all here."""

# Department is imported from here by the app's tasks, as it was from the former single module.
from portal.departments.models import Department, District

from .attributes import (
    LIST_DATATYPES,
    AttributeDatatype,
    AttributeValuesField,
    AttributeValuesFormField,
    CategoryAttribute,
    attribute_value_key,
)
from .catalogue import Category, ReplyTemplate
from .events import EventAnnouncement, TicketAttachment, TicketEvent, TicketFeedback
from .jobs import FailedJob
from .routing import RoutingRule, RoutingSettings
from .ticket import Ticket, TicketSequence, _new_access_token

__all__ = [
    "LIST_DATATYPES",
    "AttributeDatatype",
    "AttributeValuesField",
    "AttributeValuesFormField",
    "Category",
    "CategoryAttribute",
    "Department",
    "District",
    "EventAnnouncement",
    "FailedJob",
    "ReplyTemplate",
    "RoutingRule",
    "RoutingSettings",
    "Ticket",
    "TicketAttachment",
    "TicketEvent",
    "TicketFeedback",
    "TicketSequence",
    "_new_access_token",  # the default of Ticket.access_token in migration 0001
    "attribute_value_key",
]
