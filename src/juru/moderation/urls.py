"""Moderation pages, mounted under ``/o/<org_slug>/moderation/``."""

from django.urls import path

from juru.moderation import views

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("policy/", views.policy_edit, name="policy"),
    path("authors/", views.author_list, name="author-list"),
    path("authors/<uuid:author_id>/", views.author_detail, name="author-detail"),
    path("authors/<uuid:author_id>/ban/", views.author_ban, name="author-ban"),
    path("authors/<uuid:author_id>/unban/", views.author_unban, name="author-unban"),
    path("authors/<uuid:author_id>/dismiss/", views.author_dismiss, name="author-dismiss"),
    path("authors/<uuid:author_id>/whitelist/", views.author_whitelist, name="author-whitelist"),
    path("authors/<uuid:author_id>/appeal/", views.appeal_record, name="appeal-record"),
    path("authors/<uuid:author_id>/comments/<uuid:mention_id>/hide/", views.comment_hide, name="comment-hide"),
    path("authors/<uuid:author_id>/comments/<uuid:mention_id>/unhide/", views.comment_unhide, name="comment-unhide"),
    path("appeals/<uuid:appeal_id>/decide/", views.appeal_decide, name="appeal-decide"),
    path("actions/<uuid:action_id>/retry/", views.action_retry, name="action-retry"),
]
