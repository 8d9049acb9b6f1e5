from django.contrib import admin

from juru.crisis.models import Crisis, HeldPost


@admin.register(Crisis)
class CrisisAdmin(admin.ModelAdmin):
    list_display = ["organisation", "declared_at", "severity", "ended_at"]
    list_filter = ["organisation"]
    readonly_fields = [f.name for f in Crisis._meta.fields]


@admin.register(HeldPost)
class HeldPostAdmin(admin.ModelAdmin):
    list_display = ["crisis", "post", "state", "decided_at"]
    readonly_fields = [f.name for f in HeldPost._meta.fields]
