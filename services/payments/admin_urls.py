"""The back office of payments, mounted under /admin/zahlungen/ (namespace `payments_admin`) by
`wagtail_hooks.py`; Wagtail wraps them in its admin access check."""

from django.urls import path

from . import admin_views

app_name = "payments_admin"

urlpatterns = [
    path("", admin_views.PaymentListView.as_view(), name="list"),
    path("<uuid:pk>/", admin_views.PaymentDetailView.as_view(), name="detail"),
    path("<uuid:pk>/erstatten/", admin_views.RefundView.as_view(), name="refund"),
    path("<uuid:pk>/abfragen/", admin_views.RefreshView.as_view(), name="refresh"),
    path("<uuid:pk>/abbrechen/", admin_views.CancelView.as_view(), name="cancel"),
]
