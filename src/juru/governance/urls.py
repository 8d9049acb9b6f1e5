"""Governance pages, mounted under ``/o/<org_slug>/governance/``."""

from django.urls import path

from juru.governance import suspension_views, training_views, views, violation_views

app_name = "governance"

urlpatterns = [
    path("policy/", views.policy, name="policy"),
    path("policy/sign/", views.policy_sign, name="policy_sign"),
    path("policy/versions/", views.policy_versions, name="policy_versions"),
    path("policy/versions/<uuid:version_id>/", views.policy_version, name="policy_version"),
    path("policy/versions/<uuid:version_id>/pdf/", views.policy_version_pdf, name="policy_version_pdf"),
    path("policy/edit/", views.policy_edit, name="policy_edit"),
    path("policy/preview/", views.policy_preview, name="policy_preview"),
    path("policy/publish/", views.policy_publish, name="policy_publish"),
    path("policy/status/", views.status, name="policy_status"),
    path("suspensions/", suspension_views.suspensions, name="suspensions"),
    path("suspensions/<uuid:suspension_id>/lift/", suspension_views.suspension_lift, name="suspension_lift"),
    path("violations/", violation_views.violations, name="violations"),
    path("violations/new/", violation_views.violation_new, name="violation_new"),
    path("violations/ladder/", violation_views.violation_ladder, name="violation_ladder"),
    path(
        "violations/ladder/<uuid:step_id>/remove/",
        violation_views.violation_ladder_remove,
        name="violation_ladder_remove",
    ),
    path("violations/repeat/", violation_views.repeat_offenders, name="violation_repeat"),
    path("violations/<uuid:case_id>/", violation_views.violation_detail, name="violation_detail"),
    path("violations/<uuid:case_id>/move/", violation_views.violation_move, name="violation_move"),
    path("violations/<uuid:case_id>/note/", violation_views.violation_note, name="violation_note"),
    path("violations/<uuid:case_id>/decide/", violation_views.violation_decide, name="violation_decide"),
    path("violations/<uuid:case_id>/seen/", violation_views.violation_seen, name="violation_seen"),
    path("training/", training_views.training, name="training"),
    path("training/install/", training_views.training_install, name="training_install"),
    path("training/new/", training_views.training_new, name="training_new"),
    path("training/<uuid:module_id>/", training_views.training_module, name="training_module"),
    path("training/<uuid:module_id>/edit/", training_views.training_edit, name="training_edit"),
    path("training/<uuid:module_id>/submit/", training_views.training_submit, name="training_submit"),
    path("training/<uuid:module_id>/settings/", training_views.training_module_settings, name="training_settings"),
]
