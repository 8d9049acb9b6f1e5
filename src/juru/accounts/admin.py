"""Admin screens for the accounts app. Credentials are never shown; day-to-day changes use the UI."""

from __future__ import annotations

from django.contrib import admin

from juru.accounts.models import ApiToken, BrandAccount, Grant, Member, Organisation, Team, TeamMembership


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "crisis_active", "created_at"]
    search_fields = ["name", "slug"]
    readonly_fields = ["public_id"]


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "is_active"]
    list_filter = ["organisation", "role", "is_active"]
    search_fields = ["user__username", "user__email"]
    readonly_fields = ["public_id"]


class TeamMembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 0
    fields = ["member", "is_lead"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "kind"]
    list_filter = ["organisation", "kind"]
    inlines = [TeamMembershipInline]
    readonly_fields = ["public_id"]


@admin.register(BrandAccount)
class BrandAccountAdmin(admin.ModelAdmin):
    list_display = ["handle", "network", "organisation", "account_type", "connection_status", "is_active"]
    list_filter = ["organisation", "network", "account_type", "connection_status"]
    exclude = ["credentials_encrypted"]
    readonly_fields = ["public_id"]


@admin.register(Grant)
class GrantAdmin(admin.ModelAdmin):
    list_display = ["account", "permission", "member", "team"]
    list_filter = ["organisation", "permission"]
    readonly_fields = ["public_id"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "member", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["organisation"]
    readonly_fields = ["public_id", "prefix", "token_hash", "created_at", "last_used_at"]
