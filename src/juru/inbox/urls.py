"""Inbox pages, mounted under ``/o/<org_slug>/inbox/``."""

from django.urls import path

from juru.inbox import views

app_name = "inbox"

urlpatterns = [
    path("", views.conversation_list, name="list"),
    path("c/<uuid:conversation_id>/", views.conversation_detail, name="conversation"),
    path("c/<uuid:conversation_id>/assign/", views.conversation_assign, name="assign"),
    path("c/<uuid:conversation_id>/status/", views.conversation_status, name="status"),
    path("c/<uuid:conversation_id>/priority/", views.conversation_priority, name="priority"),
    path("c/<uuid:conversation_id>/tags/", views.conversation_tags, name="tags"),
    path("c/<uuid:conversation_id>/note/", views.conversation_note, name="note"),
    path("c/<uuid:conversation_id>/escalate/", views.conversation_escalate, name="escalate"),
    path("availability/", views.availability, name="availability"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications-read"),
    path("rules/", views.rule_list, name="rules"),
    path("rules/<uuid:rule_id>/", views.rule_edit, name="rule-edit"),
    path("rules/<uuid:rule_id>/move/", views.rule_move, name="rule-move"),
    path("rules/<uuid:rule_id>/delete/", views.rule_delete, name="rule-delete"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/days/", views.day_add, name="day-add"),
    path("settings/days/<uuid:day_id>/delete/", views.day_delete, name="day-delete"),
    path("settings/teams/<uuid:team_id>/", views.team_assignment, name="team-assignment"),
]
