"""Goals pages, mounted under ``/o/<org_slug>/goals/``."""

from django.urls import path

from juru.goals import views

app_name = "goals"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("functions/", views.functions, name="functions"),
    path("objectives/new/", views.objective_new, name="objective-new"),
    path("objectives/<uuid:objective_id>/", views.objective_detail, name="objective"),
    path("objectives/<uuid:objective_id>/delete/", views.objective_delete, name="objective-delete"),
    path(
        "objectives/<uuid:objective_id>/targets/<uuid:target_id>/delete/",
        views.target_delete,
        name="target-delete",
    ),
    path("pilots/", views.pilots, name="pilots"),
    path("pilots/<uuid:pilot_id>/", views.pilot_edit, name="pilot-edit"),
    path("report/", views.report_page, name="report"),  # ?month=YYYY-MM (default: last month)
    path("report/pdf/", views.report_pdf, name="report-pdf"),  # ?month=YYYY-MM&lang=id|en
]
