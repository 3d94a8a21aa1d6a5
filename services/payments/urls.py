"""Public payment URLs under /bezahlen/: return from the provider, webhooks, the demo pay page."""

from django.urls import path

from . import views
from .providers.demo import views as demo_views

app_name = "payments"

urlpatterns = [
    path("zurueck/<str:token>/", views.payment_return, name="return"),
    path("webhook/<slug:provider>/", views.payment_webhook, name="webhook"),
    path("demo/<str:provider_ref>/", demo_views.demo_pay_page, name="demo-pay"),
]
