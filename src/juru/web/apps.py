from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class WebConfig(AppConfig):
    name = "juru.web"
    label = "web"
    default_auto_field = "django.db.models.BigAutoField"


class JuruAdminConfig(admin_apps.AdminConfig):
    """``django.contrib.admin`` with Juru's read-only, 2FA-only site as the default one."""

    default = False  # named explicitly in INSTALLED_APPS; WebConfig stays this module's default
    default_site = "juru.web.admin_site.JuruAdminSite"
