from django.apps import AppConfig


class RepliesConfig(AppConfig):
    name = "juru.replies"
    label = "replies"
    default_auto_field = "django.db.models.BigAutoField"
