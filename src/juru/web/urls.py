"""URLs of the web UI that belong to no domain app: sign-in, home, language, organisation overview."""

from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from juru.web import auth_views, invitation_views, views

app_name = "web"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico on pages that name no icon (JSON, files): point them at ours.
    path("favicon.ico", RedirectView.as_view(url=static("web/favicon.svg"), permanent=True)),
    path("", views.home, name="home"),
    path("login/", auth_views.login_view, name="login"),
    path("login/verify/", auth_views.login_verify, name="login_verify"),
    path("login/recovery/", auth_views.login_recovery, name="login_recovery"),
    path("logout/", auth_views.logout_view, name="logout"),
    path("invitation/<str:uidb64>/<str:token>/", invitation_views.invitation, name="invitation"),
    path("security/two-factor/", auth_views.twofactor_setup, name="twofactor_setup"),
    path("security/recovery-codes/", auth_views.recovery_codes, name="recovery_codes"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("o/<slug:org_slug>/", views.org_home, name="org_home"),
]
