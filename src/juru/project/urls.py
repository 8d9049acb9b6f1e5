"""Top-level URLs: the web UI, the admin, the JSON API."""

from django.contrib import admin
from django.urls import include, path

from juru.project.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("sandbox/", include("juru.sandbox.urls")),
    path("media/public/", include("juru.publishing.public_urls")),
    path("appeal/", include("juru.moderation.public_urls")),
    path("api/v1/", api.urls),
    path("o/<slug:org_slug>/audit/", include("juru.audit.urls")),
    path("o/<slug:org_slug>/publishing/", include("juru.publishing.urls")),
    path("o/<slug:org_slug>/governance/", include("juru.governance.urls")),
    path("o/<slug:org_slug>/listening/", include("juru.listening.urls")),
    path("o/<slug:org_slug>/advocacy/", include("juru.advocacy.urls")),
    path("o/<slug:org_slug>/goals/", include("juru.goals.urls")),
    path("o/<slug:org_slug>/crisis/", include("juru.crisis.urls")),
    path("o/<slug:org_slug>/moderation/", include("juru.moderation.urls")),
    path("o/<slug:org_slug>/inbox/", include("juru.inbox.urls")),
    path("o/<slug:org_slug>/replies/", include("juru.replies.urls")),
    path("o/<slug:org_slug>/", include("juru.accounts.urls")),
    path("", include("juru.web.urls")),
]
