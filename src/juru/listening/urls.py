"""Listening pages, mounted under ``/o/<org_slug>/listening/``."""

from django.urls import path

from juru.listening import views

app_name = "listening"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("queries/", views.query_list, name="query-list"),
    path("queries/<uuid:query_id>/", views.query_edit, name="query-edit"),
    path("queries/<uuid:query_id>/delete/", views.query_delete, name="query-delete"),
    path("alerts/", views.alert_list, name="alert-list"),
    path("alerts/settings/", views.alert_settings, name="alert-settings"),
    path("alerts/<uuid:alert_id>/", views.alert_detail, name="alert-detail"),
    path("alerts/<uuid:alert_id>/acknowledge/", views.alert_acknowledge, name="alert-acknowledge"),
]
