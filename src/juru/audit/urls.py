"""Audit pages, mounted under ``/o/<org_slug>/audit/``."""

from django.urls import path

from juru.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("export.jsonl", views.event_export, name="event_export"),
]
