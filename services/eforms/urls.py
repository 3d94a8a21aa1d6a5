"""Online applications under /antraege/."""

from django.urls import path

from . import views

app_name = "eforms"

urlpatterns = [
    path("meine/", views.my_submissions, name="mine"),
    path("antrag/<uuid:public_id>/", views.submission_detail, name="submission-detail"),
    path(
        "antrag/<uuid:public_id>/schritt/<int:number>/",
        views.submission_step,
        name="submission-step",
    ),
    path("antrag/<uuid:public_id>/pruefen/", views.submission_review, name="submission-review"),
    path("antrag/<uuid:public_id>/bezahlen/", views.submission_pay_view, name="submission-pay"),
    path(
        "antrag/<uuid:public_id>/zurueckziehen/",
        views.submission_withdraw_view,
        name="submission-withdraw",
    ),
    path(
        "antrag/<uuid:public_id>/eingangsbestaetigung.pdf",
        views.submission_receipt,
        name="submission-receipt",
    ),
    path(
        "antrag/<uuid:public_id>/dokument/<slug:slug>.pdf",
        views.submission_document,
        name="submission-document",
    ),
    path("<slug:key>/", views.form_start, name="form-start"),
]
