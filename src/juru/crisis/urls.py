"""Crisis pages, mounted under ``/o/<org_slug>/crisis/``."""

from django.urls import path

from juru.crisis import views

app_name = "crisis"

urlpatterns = [
    path("", views.home, name="home"),
    path("declare/", views.declare, name="declare"),
    path("<uuid:crisis_id>/", views.detail, name="detail"),
    path("<uuid:crisis_id>/end/", views.end, name="end"),
    path("<uuid:crisis_id>/review/", views.review, name="review"),
    path("<uuid:crisis_id>/review/<uuid:held_id>/", views.decide_held, name="decide-held"),
    path("<uuid:crisis_id>/report/", views.report_page, name="report"),
    path("<uuid:crisis_id>/report/export/", views.report_download, name="report-download"),
]
