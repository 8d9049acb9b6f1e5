"""The Django admin as a read-only inspection tool: off unless JURU_ADMIN=true, superusers with 2FA only.

Every change to people, roles, grants, tokens or policy goes through the product's services, which
audit it; the admin therefore never writes, and it signs nobody in: it sends them to the product's
sign-in with its second factor.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from juru.web import twofactor


def admin_enabled() -> bool:
    """True when the operator switched the admin on (JURU_ADMIN=true)."""
    return bool(getattr(settings, "ADMIN_ENABLED", False))


class ReadOnlyAdminMixin:
    """Refuses every add, change and delete, and offers no bulk actions."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return {}


class JuruAdminSite(admin.AdminSite):
    """Admin site for verified superusers, read-only for every model, 404 while switched off."""

    site_header = "Juru"
    site_title = "Juru"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_superuser and twofactor.is_verified(user))

    def admin_view(self, view: Any, cacheable: bool = False) -> Any:
        inner = super().admin_view(view, cacheable)

        @wraps(view)
        def gated(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not admin_enabled():
                raise Http404
            return inner(request, *args, **kwargs)

        return gated

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        """The product's sign-in (password, then the second factor), never a password-only form."""
        if not admin_enabled():
            raise Http404
        target = request.GET.get("next") or reverse("admin:index")
        return redirect(f"{reverse('web:login')}?{urlencode({'next': target})}")

    def register(
        self,
        model_or_iterable: type[Model] | Iterable[type[Model]],
        admin_class: type[admin.ModelAdmin[Any]] | None = None,
        **options: Any,
    ) -> None:
        base = admin_class or admin.ModelAdmin
        read_only = type(f"ReadOnly{base.__name__}", (ReadOnlyAdminMixin, base), {"__module__": base.__module__})
        super().register(model_or_iterable, read_only, **options)
