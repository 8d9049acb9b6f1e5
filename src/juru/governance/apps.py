from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "juru.governance"
    label = "governance"
    default_auto_field = "django.db.models.BigAutoField"
