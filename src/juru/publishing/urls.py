"""Publishing pages, mounted under ``/o/<org_slug>/publishing/``."""

from django.urls import path

from juru.publishing import views

app_name = "publishing"

urlpatterns = [
    path("", views.draft_list, name="draft-list"),
    path("new/", views.draft_new, name="draft-new"),
    path("check/", views.draft_check, name="draft-check"),
    path("check/fix/", views.draft_fix, name="draft-fix"),
    path("approvals/", views.approvals, name="approvals"),
    path("queue/", views.queue, name="queue"),
    path("calendar/", views.calendar, name="calendar"),
    path("drafts/<uuid:draft_id>/", views.draft_detail, name="draft-detail"),
    path("drafts/<uuid:draft_id>/edit/", views.draft_edit, name="draft-edit"),
    path("drafts/<uuid:draft_id>/submit/", views.draft_submit, name="draft-submit"),
    path("drafts/<uuid:draft_id>/decide/", views.draft_decide, name="draft-decide"),
    path("drafts/<uuid:draft_id>/override/", views.draft_override, name="draft-override"),
    path("drafts/<uuid:draft_id>/schedule/", views.draft_schedule, name="draft-schedule"),
    path("drafts/<uuid:draft_id>/cancel/", views.draft_cancel, name="draft-cancel"),
    path("drafts/<uuid:draft_id>/attachments/", views.attachment_add, name="attachment-add"),
    path(
        "drafts/<uuid:draft_id>/attachments/<uuid:attachment_id>/remove/",
        views.attachment_remove,
        name="attachment-remove",
    ),
    path("posts/<uuid:post_id>/", views.post_task, name="post-task"),
    path("posts/<uuid:post_id>/resolve/", views.post_resolve, name="post-resolve"),
    path("decisions/<uuid:decision_id>/", views.decision_detail, name="decision-detail"),
    path("chains/<uuid:account_id>/", views.chain_edit, name="chain-edit"),
]
