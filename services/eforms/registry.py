"""The code-defined service forms, by key. Each form module registers itself here."""


def form_choices() -> list[tuple[str, str]]:
    """(key, title) of every code-defined form, for the catalogue's choice of an online form."""
    return []
