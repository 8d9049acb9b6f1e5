from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "juru.moderation"
    label = "moderation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Strikes are counted as mentions are stored (see ``juru.moderation.receivers``).
        from juru.moderation import receivers  # noqa: F401
