"""Top-level URLs: the web UI, the admin, the JSON API."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("juru.web.urls")),
]
