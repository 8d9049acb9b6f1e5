"""Admin screens for policy versions, sign-offs, training and suspensions (read-mostly)."""

from __future__ import annotations

from django.contrib import admin

from juru.governance.models import (
    ModuleRole,
    PolicySignoff,
    PolicyVersion,
    Suspension,
    TrainingCompletion,
    TrainingModule,
    ViolationCase,
)


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "number", "published_at", "material", "sign_by", "revision"]
    list_filter = ["organisation"]
    readonly_fields = ["public_id", "revision", "published_at", "published_by"]


@admin.register(PolicySignoff)
class PolicySignoffAdmin(admin.ModelAdmin):
    list_display = ["member", "policy_version", "signed_at"]
    list_filter = ["organisation"]
    readonly_fields = ["public_id", "member", "policy_version", "signed_at", "version_hash", "full_name", "ip_address"]


class ModuleRoleInline(admin.TabularInline):
    model = ModuleRole
    extra = 0


@admin.register(TrainingModule)
class TrainingModuleAdmin(admin.ModelAdmin):
    inlines = [ModuleRoleInline]
    list_display = ["code", "title_id", "organisation", "required", "pass_score"]
    list_filter = ["organisation", "required"]


@admin.register(TrainingCompletion)
class TrainingCompletionAdmin(admin.ModelAdmin):
    list_display = ["member", "module", "score", "passed", "completed_at", "expires_at"]
    list_filter = ["organisation", "passed"]


@admin.register(Suspension)
class SuspensionAdmin(admin.ModelAdmin):
    list_display = ["member", "starts_at", "ends_at", "lifted_at"]
    list_filter = ["organisation"]


@admin.register(ViolationCase)
class ViolationCaseAdmin(admin.ModelAdmin):
    list_display = ["public_id", "organisation", "member", "source", "severity", "state", "consequence", "created_at"]
    list_filter = ["state", "severity", "source"]
    readonly_fields = ["public_id", "organisation", "member", "opened_by", "draft", "post", "scan_decision"]
