"""Read-only admin for the publishing workflow: changes go through the UI's services (audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from juru.publishing.models import (
    ApprovalChain,
    Draft,
    Post,
    PublishAttempt,
    ReviewStep,
    ScanDecision,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Browse only: an edit here would bypass the state machine and the audit log."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Draft)
class DraftAdmin(ReadOnlyAdmin):
    list_display = ["public_id", "organisation", "author", "state", "verdict", "scheduled_for", "created_at"]
    list_filter = ["state", "verdict", "organisation"]
    search_fields = ["text", "campaign"]


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    list_display = ["public_id", "account", "state", "due_at", "attempts", "remote_id"]
    list_filter = ["state"]


@admin.register(PublishAttempt)
class PublishAttemptAdmin(ReadOnlyAdmin):
    list_display = ["post", "number", "state", "started_at", "finished_at", "reason"]
    list_filter = ["state"]


@admin.register(ScanDecision)
class ScanDecisionAdmin(ReadOnlyAdmin):
    list_display = ["public_id", "organisation", "verdict", "purpose", "revision", "created_at"]
    list_filter = ["verdict", "purpose"]


@admin.register(ReviewStep)
class ReviewStepAdmin(ReadOnlyAdmin):
    list_display = ["draft", "round", "position", "kind", "name", "mode", "state"]


@admin.register(ApprovalChain)
class ApprovalChainAdmin(ReadOnlyAdmin):
    list_display = ["account", "organisation", "updated_at"]
