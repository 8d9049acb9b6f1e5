"""Suspensions in the product: who may not speak and until when; suspend for a period, lift early.

Follows ``OrgAction.MANAGE_POLICY`` (404 otherwise). A suspension takes the right to publish, reply
and approve away at once and gives it back when it ends (``governance.eligibility`` reads it live).
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from juru.accounts import tenancy
from juru.accounts.models import Member
from juru.governance import services
from juru.governance.exceptions import GovernanceError
from juru.governance.forms import SuspendForm
from juru.governance.models import Suspension
from juru.governance.views import page_context, require_manage
from juru.web.decorators import actor_of, member_view

RECENT = 50


@member_view
@require_http_methods(["GET", "POST"])
def suspensions(request: HttpRequest, member: Member) -> HttpResponse:
    """Suspensions in force and recent ones, and a form to suspend a member."""
    require_manage(member)
    form = SuspendForm(request.POST or None, organisation=member.organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ends_at = timezone.now() + timedelta(days=data["days"]) if data["days"] else None
        try:
            services.suspend_member(actor=actor_of(request), member=data["member"], reason=data["reason"],
                                    ends_at=ends_at)  # fmt: skip
        except GovernanceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("%(name)s may not speak for the organisation now.")
                             % {"name": data["member"].display_name})  # fmt: skip
            return redirect("governance:suspensions", org_slug=member.organisation.slug)
    rows = Suspension.objects.filter(organisation=member.organisation).select_related("member__user", "created_by")
    context = page_context(member, form=form, rows=rows.order_by("-starts_at")[:RECENT], now=timezone.now())
    context["section"] = "policy"
    return render(request, "governance/suspensions.html", context)


@member_view
@require_POST
def suspension_lift(request: HttpRequest, member: Member, suspension_id: str) -> HttpResponse:
    """End a suspension now."""
    require_manage(member)
    suspension = tenancy.get_object_for_member(Suspension.objects.select_related("member__user"), member, suspension_id)
    services.lift_suspension(actor=actor_of(request), suspension=suspension)
    messages.success(request, _("The suspension of %(name)s was lifted.") % {"name": suspension.member.display_name})
    return redirect("governance:suspensions", org_slug=member.organisation.slug)
