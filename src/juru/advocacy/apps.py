"""Employee advocacy: personal accounts, a library of approved posts, one-click shares."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdvocacyConfig(AppConfig):
    """The advocacy app."""

    name = "juru.advocacy"
    label = "advocacy"
    verbose_name = _("Employee advocacy")
    default_auto_field = "django.db.models.BigAutoField"
