"""/sandbox/ (everyone), /sandbox/@handle (one account), /sandbox/p/<id> (a post and its comments)."""

from __future__ import annotations

from django.urls import path

from juru.sandbox import views

app_name = "sandbox"

urlpatterns = [
    path("", views.timeline, name="timeline"),
    path("@<str:handle>", views.account, name="account"),
    path("p/<str:post_id>", views.post, name="post"),
]
