"""The Vorhabenliste as open data: the public columns of its export (without the contact
person), and the projects with a place as a FeatureCollection (portal.core.opendata)."""

from django.utils.translation import gettext_lazy as _

from portal.core.links import absolute_url
from portal.core.opendata import Dataset, point_feature, register

from .exports import columns
from .selectors import project_list_public, project_with_details


def _projects():
    return project_with_details(project_list_public())


def _columns():
    return columns("")


def _url(project) -> str:
    return project.full_url or absolute_url(project.url or "")


def project_rows():
    cols = _columns()

    def rows():
        for project in _projects():
            yield [_url(project) if c is cols[-1] else c.value(project) for c in cols]

    return [str(c.title) for c in cols], rows()


def project_features():
    cols = _columns()
    for project in _projects():
        properties = {str(c.title): c.value(project) for c in cols[:-1]}
        properties = {k: (str(v) if v is not None else None) for k, v in properties.items()}
        properties[str(cols[-1].title)] = _url(project)
        yield point_feature(project.longitude, project.latitude, properties)


register(
    Dataset(
        slug="vorhaben",
        title=_("Vorhabenliste"),
        description=_(
            "Alle öffentlichen Vorhaben der Stadt mit Stand, Handlungsfeld, Stadtteilen, Ort, "
            "Laufzeit, Kosten, zuständigem Fachbereich und Beteiligung. Ohne Ansprechpersonen."
        ),
        keywords=("Vorhabenliste", "Bürgerbeteiligung", "Projekte"),
        theme="GOVE",
        rows=project_rows,
        features=project_features,
        order=30,
    )
)
