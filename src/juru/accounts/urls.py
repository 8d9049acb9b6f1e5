"""Organisation pages of the accounts app, mounted under ``/o/<org_slug>/``."""

from django.urls import path

from juru.accounts import connection_views, manage_views, settings_views, token_views, views

app_name = "accounts"

urlpatterns = [
    path("settings/", settings_views.organisation_settings, name="organisation_settings"),
    path("members/", views.member_list, name="member_list"),
    path("members/add/", views.member_add, name="member_add"),
    path("members/<uuid:member_id>/role/", views.member_role, name="member_role"),
    path("members/<uuid:member_id>/remove/", views.member_remove, name="member_remove"),
    path("teams/", views.team_list, name="team_list"),
    path("teams/new/", views.team_create, name="team_create"),
    path("teams/<uuid:team_id>/", views.team_detail, name="team_detail"),
    path("teams/<uuid:team_id>/members/", views.team_member_add, name="team_member_add"),
    path("teams/<uuid:team_id>/members/<uuid:member_id>/remove/", views.team_member_remove, name="team_member_remove"),
    path("accounts/", views.brand_account_list, name="brand_account_list"),
    path("accounts/add/", views.brand_account_add, name="brand_account_add"),
    path("accounts/<uuid:account_id>/edit/", views.brand_account_edit, name="brand_account_edit"),
    path("accounts/<uuid:account_id>/grants/", views.grant_list, name="grant_list"),
    path("accounts/<uuid:account_id>/grants/<uuid:grant_id>/revoke/", views.grant_revoke, name="grant_revoke"),
    path("access/", views.access_review, name="access_review"),
    path("accounts/<uuid:account_id>/connect/", connection_views.connect, name="connection_connect"),
    path("accounts/<uuid:account_id>/connect/check/", connection_views.check, name="connection_check"),
    path("accounts/<uuid:account_id>/connect/disconnect/", connection_views.disconnect, name="connection_disconnect"),
    path("accounts/<uuid:account_id>/connect/page/", connection_views.choose_page, name="connection_choose_page"),
    path("accounts/connect/callback/", connection_views.callback, name="connection_callback"),
]

urlpatterns += [
    path("tokens/", token_views.token_list, name="token_list"),
    path("tokens/new/", token_views.token_create, name="token_create"),
    path("tokens/<uuid:token_id>/revoke/", token_views.token_revoke, name="token_revoke"),
    path("teams/<uuid:team_id>/delete/", manage_views.team_delete, name="team_delete"),
    path(
        "accounts/<uuid:account_id>/deactivate/", manage_views.brand_account_deactivate, name="brand_account_deactivate"
    ),
    path(
        "accounts/<uuid:account_id>/reactivate/", manage_views.brand_account_reactivate, name="brand_account_reactivate"
    ),
]
