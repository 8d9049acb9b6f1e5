"""Public addresses of moderation outside the organisation's pages: the author's own appeal page."""

from django.urls import path

from juru.moderation import public_views

urlpatterns = [
    path("<str:token>/", public_views.appeal, name="appeal"),
]
