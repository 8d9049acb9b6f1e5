"""Publishing pages: editor with the live check, draft detail and actions, approvals, queue, calendar, chains.

One function view per URL; writes go through ``juru.publishing.services``; objects through
``juru.accounts.access`` (404 for another organisation's). Domain errors become messages.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from juru.accounts import access
from juru.accounts.exceptions import NotEligible
from juru.accounts.models import AccountType, BrandAccount, Member, OrgAction, Role
from juru.connectors import registry
from juru.connectors.errors import UnknownNetworkError
from juru.publishing import highlight, queries, services
from juru.publishing import public_media as public_media_files
from juru.publishing.exceptions import PublishingError
from juru.publishing.forms import ChainStepForm, DecisionForm, DraftForm, ReasonForm, ScheduleForm
from juru.publishing.models import (
    CANCELLABLE_STATES,
    SUBMITTABLE_STATES,
    ApprovalChain,
    Draft,
    DraftChannel,
    DraftState,
    Post,
    PostState,
    ScanDecision,
)
from juru.publishing.scanning import hit_key, message_lang
from juru.publishing.services import approvals as approval_services
from juru.publishing.services import decisions as decision_services
from juru.scan.limits import MAX_TEXT_CHARS
from juru.web.decorators import member_view
from juru.web.htmx import render_page_or_partial, toast

MAX_CHECK_CHARS = MAX_TEXT_CHARS  # the live check reads what one scan accepts


def _error_text(exc: Exception) -> str:
    if isinstance(exc, NotEligible):
        reasons = "; ".join(str(r.message) for r in exc.eligibility.reasons)
        if exc.account is None:
            return reasons
        return _("%(handle)s (%(network)s) is not open to you: %(reasons)s") % {
            "handle": exc.account.handle,
            "network": exc.account.network,
            "reasons": reasons,
        }
    if isinstance(exc, PublishingError):
        return exc.message
    return str(exc)


def _ctx(member: Member, **extra: Any) -> dict[str, Any]:
    return {"member": member, "slug": member.organisation.slug, "section": "publishing", **extra}


def _draft(member: Member, draft_id: str) -> Draft:
    return access.get_object_for_member(Draft.objects.select_related("author__user"), member, draft_id)


def _to_detail(draft: Draft) -> HttpResponse:
    return redirect("publishing:draft-detail", org_slug=draft.organisation.slug, draft_id=draft.public_id)


# --------------------------------------------------------------------------- live check


def _capabilities(account: BrandAccount) -> Any:
    try:
        return registry.capabilities(account.network)
    except UnknownNetworkError:
        return None


def check_panels(
    member: Member, text: str, accounts: list[BrandAccount], variants: dict[int, str], channel: str = "post"
) -> list[dict[str, Any]]:
    """For each account: the counter, the verdict and the highlighted text (nothing recorded)."""
    lang = message_lang()
    panels = []
    for account in accounts:
        body = (variants.get(account.pk) or "").strip() or text
        context = decision_services.context_for(account, member, channel=channel)
        outcome = decision_services.scan(member.organisation, body, context)
        hits = highlight.hit_views(body, outcome.hits, lang)
        caps = _capabilities(account)
        panels.append(
            {
                "account": account,
                "caps": caps,
                "remaining": caps.remaining(body) if caps else None,
                "verdict": outcome.verdict,
                "hits": hits,
                "marked": highlight.highlight(body, hits),
                "is_variant": body != text,
            }
        )
    return panels


def _selected_accounts(member: Member, values: list[str]) -> list[BrandAccount]:
    """The chosen accounts of the member's organisation (form values are row ids), or the first brand one."""
    ids = [int(v) for v in values[:20] if v.isdigit()]
    accounts = list(BrandAccount.objects.filter(organisation=member.organisation, is_active=True, pk__in=ids))
    if not accounts:
        first = (
            BrandAccount.objects.filter(
                organisation=member.organisation, is_active=True, account_type=AccountType.BRAND
            )
            .order_by("pk")
            .first()
        )
        accounts = [first] if first else []
    return accounts


def _form_variants(request: HttpRequest, accounts: list[BrandAccount]) -> dict[int, str]:
    return {a.pk: request.POST.get(f"variant_{a.pk}", "")[:MAX_CHECK_CHARS] for a in accounts}


@member_view
@require_POST
def draft_check(request: HttpRequest, member: Member) -> HttpResponse:
    """The debounced as-you-type check: counters, verdicts and highlights for the chosen accounts."""
    text = request.POST.get("text", "")[:MAX_CHECK_CHARS]
    accounts = _selected_accounts(member, request.POST.getlist("accounts"))
    channel = request.POST.get("channel", "")
    channel = channel if channel in DraftChannel.values else DraftChannel.POST
    variants = _form_variants(request, accounts)
    panels = check_panels(member, text, accounts, variants, channel) if text.strip() else []
    return render(request, "publishing/_check.html", _ctx(member, panels=panels, text=text))


@member_view
@require_POST
def draft_fix(request: HttpRequest, member: Member) -> HttpResponse:
    """Apply a hit's fix to the text (personal data to a private channel), if the text still holds it there."""
    text = request.POST.get("text", "")[:MAX_CHECK_CHARS]
    try:
        start, end = int(request.POST.get("start", "")), int(request.POST.get("end", ""))
    except ValueError:
        start = end = -1
    span, entity = request.POST.get("span", ""), request.POST.get("entity", "")
    fixed = highlight.apply_redaction(text, start, end, span, entity)
    response = render(request, "publishing/_text_field.html", _ctx(member, text=fixed if fixed is not None else text))
    if fixed is None:
        return toast(response, _("The text changed; check it again before applying the fix."), "error")
    return toast(response, _("Fixed. Review the text, then save."))


# --------------------------------------------------------------------------- editor


def _draft_form_initial(draft: Draft) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "accounts": [p.account for p in draft.posts.select_related("account")],
        "text": draft.text,
        "campaign": draft.campaign,
        "business_function": draft.business_function,
        "scheduled_for": timezone.localtime(draft.scheduled_for) if draft.scheduled_for else None,
        "version": draft.version,
    }
    for post in draft.posts.all():
        initial[f"variant_{post.account_id}"] = post.text_variant
    return initial


def _editor(request: HttpRequest, member: Member, form: DraftForm, draft: Draft | None) -> HttpResponse:
    caps = {a.pk: _capabilities(a) for a in form.account_list}
    return render(request, "publishing/draft_form.html", _ctx(member, form=form, draft=draft, caps=caps))


@member_view
@require_http_methods(["GET", "POST"])
def draft_new(request: HttpRequest, member: Member) -> HttpResponse:
    """Write a new draft for one or more accounts."""
    form = DraftForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            draft = services.create_draft(
                actor=member,
                accounts=list(data["accounts"]),
                text=data["text"],
                variants=form.variants(),
                campaign=data["campaign"],
                business_function=data["business_function"],
                scheduled_for=data["scheduled_for"],
            )
        except (PublishingError, NotEligible) as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, _("Draft saved and checked."))
            return _to_detail(draft)
    return _editor(request, member, form, None)


@member_view
@require_http_methods(["GET", "POST"])
def draft_edit(request: HttpRequest, member: Member, draft_id: str) -> HttpResponse:
    """Edit a draft; changing the text of a submitted or approved draft resets its approvals."""
    draft = _draft(member, draft_id)
    initial = _draft_form_initial(draft)
    form = DraftForm(request.POST or None, member=member, draft_accounts=initial["accounts"], initial=initial)
    form.fields["accounts"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            draft = services.update_draft(
                draft,
                actor=member,
                text=data["text"],
                expected_version=data["version"],
                variants={pk: v for pk, v in form.variants().items() if draft.posts.filter(account_id=pk).exists()},
                campaign=data["campaign"],
                business_function=data["business_function"],
                scheduled_for=data["scheduled_for"],
            )
        except (PublishingError, NotEligible) as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, _("Draft saved and checked."))
            return _to_detail(draft)
    return _editor(request, member, form, draft)


# --------------------------------------------------------------------------- detail and actions


def _post_rows(draft: Draft) -> list[dict[str, Any]]:
    lang = message_lang()
    rows = []
    for post in draft.posts.select_related("account").order_by("pk"):
        decision = queries.latest_decision(post)
        hits = highlight.hit_views(post.body, decision.hits if decision else [], lang)
        rows.append(
            {
                "post": post,
                "decision": decision,
                "hits": hits,
                "marked": highlight.highlight(post.body, hits),
                "warnings": [(hit_key(h), h) for h in (decision.hits if decision else []) if h.get("action") == "warn"],
                "attempts": list(post.publish_attempts.all()),
            }
        )
    return rows


@member_view
@require_GET
def draft_detail(request: HttpRequest, member: Member, draft_id: str) -> HttpResponse:
    """Everything about one draft: text with highlights, why, chain, posts, and the actions allowed now."""
    draft = _draft(member, draft_id)
    step = approval_services.current_step(draft)
    accounts = [p.account for p in draft.posts.select_related("account")]
    context = _ctx(
        member,
        draft=draft,
        rows=_post_rows(draft),
        steps=queries.current_steps(draft),
        current=step,
        can_decide=approval_services.can_decide(draft, member),
        is_author=draft.author_id == member.pk,
        can_override=access.role_can(member, OrgAction.OVERRIDE_BLOCK) and draft.verdict == "block",
        decision_form=DecisionForm(initial={"version": draft.version, "step": step.position if step else None}),
        schedule_form=ScheduleForm(accounts=accounts),
        reason_form=ReasonForm(),
        cases=draft.violation_cases.all(),
        can_handle_cases=access.role_can(member, OrgAction.MANAGE_POLICY),
        can_cancel=draft.state in CANCELLABLE_STATES,
        submittable=SUBMITTABLE_STATES,
    )
    return render(request, "publishing/draft_detail.html", context)


def _act(request: HttpRequest, draft: Draft, action: Any, success: str) -> HttpResponse:
    try:
        action()
    except (PublishingError, NotEligible) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, success)
    return _to_detail(draft)


@member_view
@require_POST
def draft_submit(request: HttpRequest, member: Member, draft_id: str) -> HttpResponse:
    """Submit for approval, with the warnings the author acknowledged."""
    draft = _draft(member, draft_id)
    acknowledged = request.POST.getlist("acknowledge")
    return _act(
        request,
        draft,
        lambda: services.submit_draft(draft, actor=member, acknowledged=acknowledged),
        _("Submitted for approval."),
    )


@member_view
@require_POST
def draft_decide(request: HttpRequest, member: Member, draft_id: str) -> HttpResponse:
    """Approve, reject or request changes on the current step."""
    draft = _draft(member, draft_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision."))
        return _to_detail(draft)
    data = form.cleaned_data
    return _act(
        request,
        draft,
        lambda: services.decide(
            draft,
            actor=member,
            decision=data["decision"],
            comment=data["comment"],
            version=data["version"],
            step_position=data["step"],
        ),
        _("Decision recorded."),
    )


@member_view
@require_POST
def draft_override(request: HttpRequest, member: Member, draft_id: str) -> HttpResponse:
    """An owner's recorded override of a block (opens a violation case)."""
    draft = _draft(member, draft_id)
    reason = request.POST.get("reason", "")
    return _act(
        request,
        draft,
        lambda: services.override_block(draft, actor=member, reason=reason),
        _("Override recorded; a violation case was opened and the draft went to approval."),
    )


@member_view
@require_POST
def draft_schedule(request: HttpRequest, member: Member, draft_id: str) -> HttpResponse:
    """Schedule after confirming the target accounts."""
    draft = _draft(member, draft_id)
    form = ScheduleForm(request.POST, accounts=[p.account for p in draft.posts.select_related("account")])
    if not form.is_valid():
        messages.error(request, _("Check the publish time."))
        return _to_detail(draft)
    data = form.cleaned_data
    return _act(
        request,
        draft,
        lambda: services.schedule_draft(draft, actor=member, confirm_accounts=data["confirm"], when=data["when"]),
        _("Scheduled."),
    )


@member_view
@require_POST
def draft_cancel(request: HttpRequest, member: Member, draft_id: str) -> HttpResponse:
    """Withdraw or un-schedule."""
    draft = _draft(member, draft_id)
    reason = request.POST.get("reason", "")
    return _act(request, draft, lambda: services.cancel_draft(draft, actor=member, reason=reason), _("Cancelled."))


@require_GET
def public_media(request: HttpRequest, token: str) -> FileResponse:
    """An attachment at its signed, expiring address (no login: the network fetches it); 404 otherwise."""
    attachment = public_media_files.attachment_for(token) if public_media_files.enabled() else None
    if attachment is None:
        raise Http404
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    response["Cache-Control"] = "private, max-age=600"
    return response


@member_view
@require_GET
def post_task(request: HttpRequest, member: Member, post_id: str) -> HttpResponse:
    """One post whose outcome a person must settle: what was sent, when, where to look, and the two answers."""
    post = access.get_object_for_member(Post.objects.select_related("draft__organisation", "account"), member, post_id)
    attempts = list(post.publish_attempts.order_by("number"))
    try:
        where = registry.capabilities(post.account.network).profile(post.account.handle)
    except UnknownNetworkError:
        where = ""
    context = _ctx(
        member,
        post=post,
        draft=post.draft,
        attempts=attempts,
        first_sent=attempts[0].started_at if attempts else None,
        where=where,
        attachments=post.draft.attachments.all(),
        needs_human=post.state == PostState.NEEDS_HUMAN,
    )
    return render(request, "publishing/post_task.html", context)


@member_view
@require_POST
def post_resolve(request: HttpRequest, member: Member, post_id: str) -> HttpResponse:
    """Settle a post that needs a person: published (with URL), failed, or sent again."""
    post = access.get_object_for_member(Post.objects.select_related("draft__organisation"), member, post_id)
    outcome, url, reason = request.POST.get("outcome", ""), request.POST.get("url", ""), request.POST.get("reason", "")
    try:
        services.resolve_post(post, actor=member, outcome=outcome, url=url.strip(), reason=reason)
    except (PublishingError, NotEligible) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Recorded."))
    return redirect("publishing:post-task", org_slug=post.draft.organisation.slug, post_id=post.public_id)


@member_view
@require_POST
def attachment_add(request: HttpRequest, member: Member, draft_id: str) -> HttpResponse:
    """Attach a file with its source/credit."""
    draft = _draft(member, draft_id)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file."))
        return _to_detail(draft)
    source, alt = request.POST.get("source", ""), request.POST.get("alt_text", "")
    return _act(
        request,
        draft,
        lambda: services.add_attachment(draft, actor=member, upload=upload, source=source, alt_text=alt),
        _("File attached."),
    )


@member_view
@require_POST
def attachment_remove(request: HttpRequest, member: Member, draft_id: str, attachment_id: str) -> HttpResponse:
    """Remove an attached file."""
    draft = _draft(member, draft_id)
    attachment = draft.attachments.filter(public_id=attachment_id).first()
    if attachment is None:
        raise Http404
    return _act(request, draft, lambda: services.remove_attachment(attachment, actor=member), _("File removed."))


# What each recorded check was for, as the decision page says it.
DECISION_PURPOSES = {
    "save": gettext_lazy("Checked when the draft was saved"),
    "submit": gettext_lazy("Checked when the draft was submitted"),
    "override": gettext_lazy("Checked for an owner's override"),
    "api": gettext_lazy("Checked through the API"),
}


def _context_rows(context: dict[str, Any]) -> list[tuple[str, str]]:
    """Where the text was going, as labelled, translated rows (not the stored JSON)."""
    account = str(AccountType(context["account"]).label) if context.get("account") in AccountType.values else ""
    channel = str(DraftChannel(context["channel"]).label) if context.get("channel") in DraftChannel.values else ""
    role = str(Role(context["role"]).label) if context.get("role") in Role.values else ""
    rows = [
        (_("Account type"), account or str(context.get("account") or "")),
        (_("Channel"), channel or str(context.get("channel") or "")),
        (_("Network"), str(context.get("network") or "")),
        (_("Author's role"), role or str(context.get("role") or "")),
        (_("Crisis mode"), _("yes") if context.get("crisis") else _("no")),
    ]
    return [(label, value) for label, value in rows if value]


@member_view
@require_GET
def decision_detail(request: HttpRequest, member: Member, decision_id: str) -> HttpResponse:
    """Why a decision was taken: revision, digest, context, hits and findings with explanations."""
    decision = access.get_object_for_member(
        ScanDecision.objects.select_related("draft", "post__account"), member, decision_id
    )
    lang = message_lang()
    return render(
        request,
        "publishing/decision_detail.html",
        _ctx(
            member,
            decision=decision,
            purpose=DECISION_PURPOSES.get(decision.purpose, decision.purpose),
            context_rows=_context_rows(decision.context),
            hit_rows=[
                {
                    **h,
                    "msg": (h.get("message") or {}).get(lang, ""),
                    "fix_text": (h.get("fix") or {}).get(lang, ""),
                    "citation": highlight.in_language(h.get("citation"), lang),
                }
                for h in decision.hits
            ],
        ),
    )


# --------------------------------------------------------------------------- lists


@member_view
@require_GET
def draft_list(request: HttpRequest, member: Member) -> HttpResponse:
    """All drafts, filterable by state."""
    state = request.GET.get("state", "")
    state = state if state in DraftState.values else ""
    drafts = queries.drafts_for(member, state=state)[:200]
    return render_page_or_partial(
        request,
        "publishing/draft_list.html",
        _ctx(member, drafts=drafts, state=state, states=DraftState.choices),
        partial="rows",
    )


@member_view
@require_GET
def approvals(request: HttpRequest, member: Member) -> HttpResponse:
    """Drafts waiting for my decision."""
    return render(request, "publishing/approvals.html", _ctx(member, drafts=queries.drafts_awaiting(member)))


@member_view
@require_GET
def queue(request: HttpRequest, member: Member) -> HttpResponse:
    """Scheduled posts, posts being published and those waiting for a person."""
    return render(
        request,
        "publishing/queue.html",
        _ctx(member, posts=queries.queue(member.organisation)[:500], needs_human=PostState.NEEDS_HUMAN),
    )


def _month(value: str) -> tuple[int, int]:
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in value.split("-", 1))
        date(year, month, 1)
    except (ValueError, TypeError):
        return today.year, today.month
    return year, month


@member_view
@require_GET
def calendar(request: HttpRequest, member: Member) -> HttpResponse:
    """A month grid of drafts by target time."""
    year, month = _month(request.GET.get("month", ""))
    days = queries.calendar_drafts(member.organisation, year, month)
    weeks = [[(day, days.get(day, [])) for day in week] for week in queries.month_grid(year, month)]
    prev_month = f"{year - (month == 1)}-{(month - 2) % 12 + 1:02d}"
    next_month = f"{year + (month == 12)}-{month % 12 + 1:02d}"
    return render(
        request,
        "publishing/calendar.html",
        _ctx(
            member,
            weeks=weeks,
            first=date(year, month, 1),
            month=month,
            today=timezone.localdate(),
            prev_month=prev_month,
            next_month=next_month,
        ),
    )


# --------------------------------------------------------------------------- chains


def _chain_steps(account: BrandAccount) -> list[dict[str, Any]]:
    chain = ApprovalChain.objects.filter(account=account).first()
    if chain is None:
        return []
    return [
        {
            "name": s.name,
            "mode": s.mode,
            "members": list(s.members.all()),
            "teams": list(s.teams.all()),
            "roles": list(s.roles),
        }
        for s in chain.steps.prefetch_related("members__user", "teams")
    ]


def _shown_steps(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Chain steps for the page: roles by their translated names."""
    return [{**step, "role_names": [Role(r).label for r in step["roles"] if r in Role.values]} for step in steps]


@member_view
@require_http_methods(["GET", "POST"])
def chain_edit(request: HttpRequest, member: Member, account_id: str) -> HttpResponse:
    """View and edit one brand account's approval chain (add, remove and reorder steps)."""
    account = access.get_object_for_member(BrandAccount, member, account_id)
    can_manage = access.role_can(member, OrgAction.MANAGE_ACCOUNTS)
    steps = _chain_steps(account)
    form = ChainStepForm(request.POST if request.POST.get("op") == "add" else None, organisation=member.organisation)
    if request.method == "POST":
        if not can_manage:
            raise Http404
        op = request.POST.get("op")
        index = int(request.POST.get("index", "-1")) if request.POST.get("index", "").isdigit() else -1
        changed = True
        if op == "add" and form.is_valid():
            steps.append(dict(form.cleaned_data))
        elif op == "remove" and 0 <= index < len(steps):
            steps.pop(index)
        elif op == "up" and 0 < index < len(steps):
            steps[index - 1], steps[index] = steps[index], steps[index - 1]
        else:
            changed = False
        if changed:
            try:
                services.set_chain(account, actor=member, steps=steps)
            except PublishingError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Approval chain saved."))
                return redirect(
                    "publishing:chain-edit", org_slug=member.organisation.slug, account_id=account.public_id
                )
    return render(
        request,
        "publishing/chain_edit.html",
        _ctx(member, account=account, steps=_shown_steps(steps), form=form, can_manage=can_manage),
    )
