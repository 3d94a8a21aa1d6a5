"""The demo content, one module per area of the portal. Each has `load(stdout)`, creates only
what is missing and goes through the apps' services where they have one, so that timelines,
tickets and counters look like real use."""

from . import (
    accounts,
    catalogue,
    cms,
    contributions,
    departments,
    eforms,
    ideas,
    polls,
    projects,
    reports,
    tickets,
)

# In this order: a later loader builds on what an earlier one made (the departments on the
# accounts, the categories on the departments, the catalogue and projects under the home page,
# the form under the catalogue, ideas, polls and comments on the projects).
LOADERS = [
    accounts,
    departments,
    tickets,
    reports,
    cms,
    catalogue,
    eforms,
    projects,
    contributions,
    polls,
    ideas,
]


def load(stdout) -> None:
    for module in LOADERS:
        module.load(stdout)
