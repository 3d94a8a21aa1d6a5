def only_public_api(endpoints):
    """Document our own API only: Wagtail's admin API under /admin/api/ is internal."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]
