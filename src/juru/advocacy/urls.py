"""Advocacy pages, mounted under ``/o/<org_slug>/advocacy/``."""

from django.urls import path

from juru.advocacy import views

app_name = "advocacy"

urlpatterns = [
    path("", views.library, name="library"),
    path("items/new/", views.item_add, name="item-add"),
    path("items/<uuid:item_id>/availability/", views.item_availability, name="item-availability"),
    path("items/<uuid:item_id>/share/", views.share, name="share"),
    path("accounts/", views.my_accounts, name="my-accounts"),
]
