"""Vorhaben (projects) of the city, their phases and their participation counters.

Django finds the app's models here: every model is imported below, in the order of the former
single module. fields_of_action: Handlungsfelder; pages: the Vorhabenliste and a project's page;
phases: the participation phases; progress: progress updates and events; taking_part: counters,
participants and blocks.
"""

from .fields_of_action import FieldOfAction  # noqa: F401
from .pages import ProjectIndexPage, ProjectPage  # noqa: F401
from .phases import Phase  # noqa: F401
from .progress import ProjectEvent, ProjectUpdate  # noqa: F401
from .taking_part import ParticipationBlock, ProjectParticipant, ProjectStatistics  # noqa: F401
