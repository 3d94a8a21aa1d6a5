"""/zahlen/: the newest snapshot of the public figures, without any computation."""

from django.shortcuts import render

from .services import figures_latest


def figures_page(request):
    snapshot = figures_latest()
    sections = []
    for section in snapshot.sections if snapshot else []:
        for table in section["tables"]:
            table["bars"] = _bars(table)
        sections.append(section)
    return render(request, "core/figures.html", {"snapshot": snapshot, "sections": sections})


def _bars(table: dict) -> list[dict]:
    """The chart of a table: one bar per row for its `chart` column, in percent of the
    largest value (drawn as SVG, whose sizes are attributes: no inline style under the CSP)."""
    if not table.get("chart"):
        return []
    index = [column["key"] for column in table["columns"]].index(table["chart"])
    values = [(row["label"], row["cells"][index]) for row in table["rows"]]
    largest = max((cell["value"] or 0 for _label, cell in values), default=0)
    return [
        {
            "label": label,
            "display": cell["display"],
            "width": round(100 * (cell["value"] or 0) / largest, 1) if largest else 0,
        }
        for label, cell in values
    ]
