from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "juru.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Framework glue: Django announces logins through signals; the receivers only audit them.
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

        from juru.accounts.services.auth_events import on_user_logged_in, on_user_logged_out, on_user_login_failed

        user_logged_in.connect(on_user_logged_in, dispatch_uid="juru.accounts.audit_login")
        user_logged_out.connect(on_user_logged_out, dispatch_uid="juru.accounts.audit_logout")
        user_login_failed.connect(on_user_login_failed, dispatch_uid="juru.accounts.audit_login_failed")
