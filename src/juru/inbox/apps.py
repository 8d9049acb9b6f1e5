from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "juru.inbox"
    label = "inbox"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Conversations are built from stored mentions and closed by published replies.
        from juru.inbox import receivers  # noqa: F401
