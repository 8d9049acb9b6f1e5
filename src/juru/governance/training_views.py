"""Training pages: the modules with the member's standing, reading a module and taking its quiz, settings.

Everyone reads and takes quizzes for themselves; module settings follow ``OrgAction.MANAGE_POLICY``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from juru.accounts import tenancy
from juru.accounts.models import Member
from juru.governance import queries, services, starter
from juru.governance import render as texts
from juru.governance.exceptions import GovernanceError
from juru.governance.forms import ModuleContentForm, ModuleSettingsForm, QuizForm
from juru.governance.models import TrainingModule
from juru.governance.views import document_language, not_a_read, page_context, require_manage
from juru.web.decorators import actor_of, member_view


@member_view
@require_GET
def training(request: HttpRequest, member: Member) -> HttpResponse:
    """The organisation's modules: which the member's role needs, passed, expiring, attempts."""
    states = queries.training_state(member)
    have = {state.module.code for state in states}
    context = page_context(member, states=states, starters_missing=[m for m in starter.modules() if m.code not in have])
    context["section"] = "training"
    return render(request, "governance/training.html", context)


def _module_page(request: HttpRequest, member: Member, module: TrainingModule, form: QuizForm) -> HttpResponse:
    lang = document_language(request)
    body = module.body_for(lang)
    last = queries.last_attempt(member, module)
    context = page_context(
        member, module=module, form=form, doc_lang=lang, doc_html=texts.to_html(body),
        doc_sections=texts.sections(body), last=last, attempts=queries.attempts_on(member, module),
        reread=[(n, texts.sections(body)[n - 1]) for n in (last.wrong_sections if last else [])
                if n <= len(texts.sections(body))],
    )  # fmt: skip
    context["section"] = "training"
    return render(request, "governance/training_module.html", context)


@member_view
def training_module(request: HttpRequest, member: Member, module_id: str) -> HttpResponse:
    """Read the module; its quiz below; after a failed attempt, links back to the sections to read again."""
    module = tenancy.get_object_for_member(TrainingModule, member, module_id)
    if refused := not_a_read(request):
        return refused
    return _module_page(request, member, module, QuizForm(module=module, lang=document_language(request)))


@member_view
@require_POST
def training_submit(request: HttpRequest, member: Member, module_id: str) -> HttpResponse:
    """Grade an attempt; a pass counts at once, a fail points at the sections it tested."""
    module = tenancy.get_object_for_member(TrainingModule, member, module_id)
    form = QuizForm(request.POST, module=module, lang=document_language(request))
    if not form.is_valid():
        messages.error(request, _("Answer every question before you send the quiz."))
        return _module_page(request, member, module, form)
    try:
        result = services.submit_quiz(
            actor=actor_of(request), member=member, module=module, answers=form.answers(),
            attempt_token=form.cleaned_data["attempt_token"],
        )  # fmt: skip
    except GovernanceError as exc:
        messages.error(request, str(exc))
        return redirect("governance:training_module", org_slug=member.organisation.slug, module_id=module.public_id)
    if result.passed:
        messages.success(request, _("Passed with %(score)s%%. This counts at once.") % {"score": result.score})
        return redirect("governance:training", org_slug=member.organisation.slug)
    messages.warning(
        request,
        _("%(score)s%%: the pass mark is %(mark)s%%. Read the sections below again, then retry.")
        % {"score": result.score, "mark": module.pass_score},
    )
    url = redirect("governance:training_module", org_slug=member.organisation.slug, module_id=module.public_id)
    url["Location"] += "#reread"
    return url


@member_view
@require_http_methods(["GET", "POST"])
def training_module_settings(request: HttpRequest, member: Member, module_id: str) -> HttpResponse:
    """Who needs the module, its pass mark and how long a pass stays valid."""
    require_manage(member)
    module = tenancy.get_object_for_member(TrainingModule, member, module_id)
    initial = {
        "required": module.required, "roles": [r.role for r in module.roles.all()],
        "pass_score": module.pass_score, "valid_days": module.valid_days,
    }  # fmt: skip
    form = ModuleSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_training_module(
                actor=actor_of(request), module=module, required=data["required"], pass_score=data["pass_score"],
                valid_days=data["valid_days"], roles=data["roles"],
            )  # fmt: skip
        except GovernanceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Module settings saved."))
            return redirect("governance:training", org_slug=member.organisation.slug)
    context = page_context(member, module=module, form=form)
    context["section"] = "training"
    return render(request, "governance/training_settings.html", context)


@member_view
@require_POST
def training_install(request: HttpRequest, member: Member) -> HttpResponse:
    """Add the shipped modules the organisation does not have yet."""
    require_manage(member)
    added = services.install_starter_modules(actor=actor_of(request), organisation=member.organisation)
    messages.success(request, ngettext("%(count)s module added.", "%(count)s modules added.", len(added))
                     % {"count": len(added)})  # fmt: skip
    return redirect("governance:training", org_slug=member.organisation.slug)


def _content_page(request: HttpRequest, member: Member, form: ModuleContentForm, module: Any) -> HttpResponse:
    context = page_context(member, form=form, module=module)
    context["section"] = "training"
    return render(request, "governance/training_content.html", context)


@member_view
@require_http_methods(["GET", "POST"])
def training_new(request: HttpRequest, member: Member) -> HttpResponse:
    """Write a new module: texts in both languages and its quiz."""
    require_manage(member)
    form = ModuleContentForm(request.POST or None, new=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if TrainingModule.objects.filter(organisation=member.organisation, code=data["code"]).exists():
            form.add_error("code", _("Another module already uses this code."))
        else:
            try:
                services.create_training_module(
                    actor=actor_of(request), organisation=member.organisation, code=data["code"],
                    title_id=data["title_id"], title_en=data["title_en"], body_id=data["body_id"],
                    body_en=data["body_en"], quiz=data["quiz"],
                )  # fmt: skip
            except GovernanceError as exc:
                form.add_error("quiz", str(exc))
            else:
                messages.success(request, _("Module added."))
                return redirect("governance:training", org_slug=member.organisation.slug)
    return _content_page(request, member, form, None)


@member_view
@require_http_methods(["GET", "POST"])
def training_edit(request: HttpRequest, member: Member, module_id: str) -> HttpResponse:
    """Change a module's titles, texts and quiz."""
    require_manage(member)
    module = tenancy.get_object_for_member(TrainingModule, member, module_id)
    form = ModuleContentForm(request.POST or None, new=False, initial=ModuleContentForm.initial_for(module))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_module_content(
                actor=actor_of(request), module=module, title_id=data["title_id"], title_en=data["title_en"],
                body_id=data["body_id"], body_en=data["body_en"], quiz=data["quiz"],
            )  # fmt: skip
        except GovernanceError as exc:
            form.add_error("quiz", str(exc))
        else:
            messages.success(request, _("Module saved."))
            return redirect("governance:training_module", org_slug=member.organisation.slug, module_id=module.public_id)
    return _content_page(request, member, form, module)
