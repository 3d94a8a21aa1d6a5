from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("meine-daten/", views.my_data, name="my_data"),
    path("loeschen/", views.delete_account, name="delete"),
    path("geloescht/", views.account_deleted, name="deleted"),
]
