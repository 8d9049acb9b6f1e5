"""Replies pages, mounted under ``/o/<org_slug>/replies/``."""

from django.urls import path

from juru.replies import views

app_name = "replies"

urlpatterns = [
    path("", views.library, name="library"),
    path("saved/<uuid:saved_id>/", views.saved_detail, name="saved-detail"),
    path("saved/<uuid:saved_id>/approve/", views.saved_approve, name="saved-approve"),
    path("to/<uuid:mention_id>/", views.reply_to, name="reply_to"),
    path("to/<uuid:mention_id>/pick/", views.pick, name="pick"),
    path("to/<uuid:mention_id>/check/", views.check, name="check"),
    path("presence/", views.presence_view, name="presence"),
]
