"""The JSON API root, mounted at ``/api/v1/``; each app adds its router with one line."""

from __future__ import annotations

from ninja import NinjaAPI

from juru.accounts.api_auth import TokenAuth
from juru.project import api_errors

api = NinjaAPI(
    title="Juru API",
    version="1",
    description="Executable social media policy: scanning, workflow, governance and audit.",
    urls_namespace="api",
    auth=TokenAuth(),
    parser=api_errors.StorableJsonParser(),
)
api_errors.install(api)

api.add_router("/me", "juru.accounts.api.router")
api.add_router("/audit-events", "juru.audit.api.router")
api.add_router("", "juru.publishing.api.router")
api.add_router("", "juru.governance.api.router")
api.add_router("", "juru.governance.violations_api.router")
api.add_router("", "juru.listening.api.router")
api.add_router("", "juru.advocacy.api.router")
api.add_router("", "juru.crisis.api.router")
api.add_router("", "juru.moderation.api.router")
api.add_router("", "juru.inbox.api.router")
api.add_router("", "juru.replies.api.router")
api.add_router("", "juru.goals.api.router")
