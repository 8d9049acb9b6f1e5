"""Policy pages: read and sign the current version, the versions with their diffs, the editor, publishing.

Everyone reads and signs; editing and publishing follow ``OrgAction.MANAGE_POLICY`` (404 otherwise,
like everything a member may not touch). Writes go through ``juru.governance.services``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from juru.accounts import roles, tenancy
from juru.accounts.models import Member, OrgAction
from juru.governance import queries, services
from juru.governance import render as texts
from juru.governance.exceptions import GovernanceError, NotCurrentPolicyError, StaleEditError
from juru.governance.forms import PolicyDraftForm, PublishForm, SignForm
from juru.governance.models import PolicyVersion
from juru.project.client_address import client_address
from juru.web.decorators import actor_of, member_view


def require_manage(member: Member) -> None:
    """Editing the policy, training and suspensions follows ``MANAGE_POLICY``; others get 404."""
    if not roles.role_can(member, OrgAction.MANAGE_POLICY):
        raise Http404


def document_language(request: HttpRequest) -> str:
    """The language a document is shown in: ``?lang=`` if given, else the interface language."""
    asked = request.GET.get("lang", "")
    if asked in {"id", "en"}:
        return asked
    return "en" if (get_language() or "id").startswith("en") else "id"


def page_context(member: Member, **extra: Any) -> dict[str, Any]:
    """What every governance page needs: the member, the slug, the section and whether they manage."""
    return {
        "member": member,
        "slug": member.organisation.slug,
        "section": "policy",
        "can_manage": roles.role_can(member, OrgAction.MANAGE_POLICY),
    } | extra


def _document(version: PolicyVersion, lang: str) -> dict[str, Any]:
    body = version.body_for(lang)
    return {
        "doc_lang": lang,
        "doc_html": texts.to_html(body),
        "doc_sections": texts.sections(body),
        "pdf_version": version if version.is_published else None,
    }


@member_view
@require_GET
def policy(request: HttpRequest, member: Member) -> HttpResponse:
    """The current policy version, in either language, with the member's signature and what to do."""
    state = queries.sign_state(member)
    context = page_context(member, state=state, draft=queries.policy_draft(member.organisation))
    if state.current is not None:
        context |= _document(state.current, document_language(request))
    return render(request, "governance/policy.html", context)


@member_view
@require_http_methods(["GET", "POST"])
def policy_sign(request: HttpRequest, member: Member) -> HttpResponse:
    """Sign the current version: full name, confirmation and password again."""
    current = queries.current_policy(member.organisation)
    if current is None:
        messages.error(request, _("The organisation has not published a policy yet."))
        return redirect("governance:policy", org_slug=member.organisation.slug)
    form = SignForm(request.POST or None, member=member, initial={"version": current.public_id})
    if request.method == "POST" and form.is_valid():
        signed = form.cleaned_data["version"]
        version = PolicyVersion.objects.filter(organisation=member.organisation, public_id=signed).first()
        try:
            services.sign_policy(
                actor=actor_of(request), member=member, policy_version=version,
                full_name=form.cleaned_data["full_name"], ip_address=client_address(request),
            )  # fmt: skip
        except NotCurrentPolicyError:
            messages.warning(request, _("A new version was published while you were reading. Read it, then sign."))
            return redirect("governance:policy_sign", org_slug=member.organisation.slug)
        messages.success(request, _("Thank you. You signed version %(number)s.") % {"number": current.number})
        return redirect("web:org_home", org_slug=member.organisation.slug)
    context = page_context(member, form=form, version=current, state=queries.sign_state(member))
    context |= _document(current, document_language(request))
    return render(request, "governance/policy_sign.html", context)


@member_view
@require_GET
def policy_versions(request: HttpRequest, member: Member) -> HttpResponse:
    """Every published version: who published it, when, material or not."""
    versions = queries.policy_versions(member.organisation).filter(published_at__isnull=False)
    context = page_context(member, versions=versions.select_related("published_by"))
    return render(request, "governance/policy_versions.html", context)


def not_a_read(request: HttpRequest) -> HttpResponse | None:
    """405 for anything but a read; object pages call it after the lookup, so another org's id is a 404 first."""
    if request.method in {"GET", "HEAD"}:
        return None
    return HttpResponseNotAllowed(["GET"])


@member_view
def policy_version(request: HttpRequest, member: Member, version_id: str) -> HttpResponse:
    """One published version and its diff against the one before."""
    published = PolicyVersion.objects.filter(published_at__isnull=False).select_related("published_by")
    version = tenancy.get_object_for_member(published, member, version_id)
    if refused := not_a_read(request):
        return refused
    context = page_context(member, version=version, diff=queries.version_diff(version))
    context |= _document(version, document_language(request))
    return render(request, "governance/policy_version.html", context)


@member_view
def policy_version_pdf(request: HttpRequest, member: Member, version_id: str) -> HttpResponse:
    """One published version as PDF, in the language asked for."""
    published = PolicyVersion.objects.filter(published_at__isnull=False)
    version = tenancy.get_object_for_member(published, member, version_id)
    if refused := not_a_read(request):
        return refused
    lang = document_language(request)
    # WeasyPrint (and the system's Pango) loads only when someone asks for a PDF, not with every page.
    from juru.governance.pdf import policy_pdf

    response = HttpResponse(policy_pdf(version, lang), content_type="application/pdf")
    name = f"{member.organisation.slug}-policy-v{version.number}-{lang}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def _editor(request: HttpRequest, member: Member, draft: PolicyVersion, form: PolicyDraftForm) -> HttpResponse:
    lang = document_language(request)
    context = page_context(member, draft=draft, form=form, preview_lang=lang)
    return render(request, "governance/policy_edit.html", context)


NEW_DRAFT = -1  # the edit serial of a draft that is not stored yet


@member_view
@require_http_methods(["GET", "POST"])
def policy_edit(request: HttpRequest, member: Member) -> HttpResponse:
    """Edit the draft; without one, the editor starts from the current version (or the template)."""
    require_manage(member)
    organisation = member.organisation
    draft = queries.policy_draft(organisation)
    if request.method != "POST":
        shown = draft or queries.draft_seed(organisation)
        form = PolicyDraftForm.for_draft(shown, queries.effective_config(shown.config, organisation))
        if draft is None:
            form.initial["edit_serial"] = NEW_DRAFT
        return _editor(request, member, shown, form)
    form = PolicyDraftForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            serial = data["edit_serial"]
            if serial == NEW_DRAFT and draft is None:
                draft = services.start_policy_draft(actor=actor_of(request), organisation=organisation)
                serial = draft.edit_serial
            if draft is None or serial == NEW_DRAFT:
                raise StaleEditError(_("Someone else started or published a draft meanwhile. Open the editor again."))
            services.save_policy_draft(
                actor=actor_of(request), draft=draft, title=data["title"], body_id=data["body_id"],
                body_en=data["body_en"], config=form.config(), edit_serial=serial,
            )  # fmt: skip
        except GovernanceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Draft saved."))
            if "review" in request.POST:
                return redirect("governance:policy_publish", org_slug=organisation.slug)
            return redirect("governance:policy_edit", org_slug=organisation.slug)
    return _editor(request, member, draft or queries.draft_seed(organisation), form)


@member_view
@require_POST
def policy_preview(request: HttpRequest, member: Member) -> HttpResponse:
    """The Markdown of one language rendered as it will be published (an HTMX fragment)."""
    require_manage(member)
    source = request.POST.get("body_en" if request.POST.get("preview_lang") == "en" else "body_id", "")
    return render(request, "governance/_preview.html", {"doc_html": texts.to_html(source)})


@member_view
@require_http_methods(["GET", "POST"])
def policy_publish(request: HttpRequest, member: Member) -> HttpResponse:
    """Review the draft's diff against the current version, then publish it."""
    require_manage(member)
    draft = queries.policy_draft(member.organisation)
    if draft is None:
        messages.info(request, _("There is no draft. Open the editor to start one."))
        return redirect("governance:policy", org_slug=member.organisation.slug)
    form = PublishForm(request.POST or None, initial={"edit_serial": draft.edit_serial})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = services.publish_policy_draft(
                actor=actor_of(request), draft=draft, edit_serial=data["edit_serial"], material=data["material"],
                grace_days=data["grace_days"], change_note=data["change_note"],
            )  # fmt: skip
        except StaleEditError as exc:
            messages.warning(request, str(exc))
            return redirect("governance:policy_publish", org_slug=member.organisation.slug)
        except GovernanceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Version %(number)s is now the policy.") % {"number": version.number})
            return redirect(
                "governance:policy_version", org_slug=member.organisation.slug, version_id=version.public_id
            )
    current = queries.current_policy(member.organisation)
    context = page_context(member, draft=draft, form=form, diff=queries.version_diff(draft, current), current=current)
    return render(request, "governance/policy_publish.html", context)


@member_view
@require_GET
def status(request: HttpRequest, member: Member) -> HttpResponse:
    """Who has signed the policy and passed the training their role needs."""
    require_manage(member)
    rows = queries.organisation_status(member.organisation)
    context = page_context(member, rows=rows, current=queries.current_policy(member.organisation))
    context["missing_count"] = sum(1 for row in rows if not row.signed or row.missing_modules)
    return render(request, "governance/status.html", context)
