from django.contrib import admin

from juru.listening.models import Alert, ListeningQuery, Mention


@admin.register(ListeningQuery)
class ListeningQueryAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "kind", "language", "is_active")
    list_filter = ("kind", "language", "is_active")


@admin.register(Mention)
class MentionAdmin(admin.ModelAdmin):
    list_display = ("created_at", "organisation", "network", "author_handle", "sentiment", "lang")
    list_filter = ("sentiment", "lang", "network")
    readonly_fields = [f.name for f in Mention._meta.fields]


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ("opened_at", "organisation", "sentiment", "severity", "observed", "expected", "status")
    list_filter = ("status", "sentiment")
