"""Public payment URLs under /bezahlen/: return from the provider, webhooks, the demo pay page."""

app_name = "payments"

urlpatterns: list = []
