"""Reads of the polls app."""


def project_context(*, project, request) -> dict:
    """What the project page needs from this app (merged into its template context)."""
    return {}
