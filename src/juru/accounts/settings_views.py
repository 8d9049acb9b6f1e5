"""The organisation's settings page (its default language)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from juru.accounts import access, queries, services
from juru.accounts.exceptions import AccountsError
from juru.accounts.forms import OrganisationSettingsForm
from juru.accounts.models import Member, OrgAction
from juru.web.decorators import actor_of, member_view


@member_view
@require_http_methods(["GET", "POST"])
def organisation_settings(request: HttpRequest, member: Member) -> HttpResponse:
    """Owners and administrators set the language members see until they choose their own."""
    if not access.role_can(member, OrgAction.MANAGE_ORGANISATION):
        raise Http404
    organisation = member.organisation
    form = OrganisationSettingsForm(request.POST or None, initial={"language": organisation.language})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_organisation_settings(
                actor=actor_of(request), organisation=organisation, language=form.cleaned_data["language"]
            )
        except AccountsError as exc:
            form.add_error(None, str(exc))
        else:
            if not queries.chosen_language(actor_of(request)):
                translation.activate(organisation.language)  # the confirmation reads in the new default
            messages.success(request, _("The organisation's settings are saved."))
            return redirect("accounts:organisation_settings", org_slug=organisation.slug)
    context = {"member": member, "slug": organisation.slug, "form": form}
    return render(request, "accounts/organisation_settings.html", context)
