"""Moderation pages: the queue, authors and each author's record, the policy.

Who sees them: members who may moderate (``access.can_moderate``: owners and administrators, and
holders of an eligible ``moderate`` grant, for the networks of their accounts); the policy is
changed by those who manage the organisation's policy. Everyone else gets "not found", as on every
organisation page. Writes go through ``juru.moderation.services``; domain errors become messages.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from juru.accounts import access
from juru.accounts.models import Member, OrgAction
from juru.listening.models import Mention
from juru.moderation import public_appeals, queries
from juru.moderation.exceptions import ModerationError
from juru.moderation.forms import AppealForm, DecisionForm, PolicyForm, ReasonForm
from juru.moderation.models import Appeal, Author, AuthorState, BanMode, ModerationAction
from juru.moderation.services import actions, appeals, authors, policy
from juru.moderation.services.common import policy_for
from juru.web.decorators import member_view

AUTHORS_SHOWN = 200


def _ctx(member: Member, **extra: Any) -> dict[str, Any]:
    return {"member": member, "slug": member.organisation.slug, "section": "moderation", **extra}


def can_manage_policy(member: Member) -> bool:
    """The moderation policy is part of the organisation's policy: its managers change it."""
    return access.role_can(member, OrgAction.MANAGE_POLICY)


def _require(allowed: bool) -> None:
    if not allowed:
        raise Http404


def _author(member: Member, author_id: Any) -> Author:
    author = access.get_object_for_member(Author.objects.select_related("organisation"), member, author_id)
    _require(access.can_moderate(member, author.network))
    return author


def _reason(request: HttpRequest) -> str:
    form = ReasonForm(request.POST)
    return form.cleaned_data["reason"].strip() if form.is_valid() else ""


def _back(member: Member, author: Author) -> HttpResponse:
    return redirect("moderation:author-detail", org_slug=member.organisation.slug, author_id=author.public_id)


@member_view
@require_GET
def queue(request: HttpRequest, member: Member) -> HttpResponse:
    """Suggested bans, appeals, actions the network refused, and what the policy did by itself."""
    _require(access.can_moderate(member))
    networks = access.moderated_networks(member)
    found = queries.queue(member.organisation, networks=networks)
    context = _ctx(member, queue=found, policy=policy_for(member.organisation), can_policy=can_manage_policy(member))
    return render(request, "moderation/queue.html", context)


@member_view
@require_GET
def author_list(request: HttpRequest, member: Member) -> HttpResponse:
    """Authors by strike points, with filters by state and a search by handle or name."""
    _require(access.can_moderate(member))
    state = request.GET.get("state", "")
    q = request.GET.get("q", "").strip()[:200]
    found = queries.authors(member.organisation, state=state, q=q, networks=access.moderated_networks(member))
    states = [("struck", _("With strikes")), *AuthorState.choices, ("whitelisted", _("Whitelisted"))]
    context = _ctx(member, authors=list(found[:AUTHORS_SHOWN]), state=state, q=q, states=states)
    return render(request, "moderation/author_list.html", context)


@member_view
def author_detail(request: HttpRequest, member: Member, author_id: Any) -> HttpResponse:
    """One author: state, points against the threshold, every strike with its evidence, actions, appeals."""
    author = _author(member, author_id)  # another organisation's author is "not found" whatever the method
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    record = queries.author_record(author)
    context = _ctx(
        member, record=record, author=author, appeal_form=AppealForm(), decision_form=DecisionForm(),
        open_appeal=next((a for a in record.appeals if a.state == "open"), None),
        appeal_link=request.build_absolute_uri(public_appeals.appeal_path(author)),
        link_days=public_appeals.LINK_DAYS,
    )  # fmt: skip
    return render(request, "moderation/author_detail.html", context)


def _run(request: HttpRequest, done: str, call: Any) -> None:
    try:
        call()
    except ModerationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)


@member_view
@require_POST
def author_ban(request: HttpRequest, member: Member, author_id: Any) -> HttpResponse:
    """Ban the author (or confirm the suggested ban)."""
    author = _author(member, author_id)
    reason = _reason(request)
    _run(request, _("Author banned."), lambda: authors.ban(actor=request.user, author=author, reason=reason))
    return _back(member, author)


@member_view
@require_POST
def author_unban(request: HttpRequest, member: Member, author_id: Any) -> HttpResponse:
    """Lift the author's ban."""
    author = _author(member, author_id)
    reason = _reason(request)
    _run(request, _("Ban lifted."), lambda: authors.unban(actor=request.user, author=author, reason=reason))
    return _back(member, author)


@member_view
@require_POST
def author_dismiss(request: HttpRequest, member: Member, author_id: Any) -> HttpResponse:
    """Decide against a suggested ban."""
    author = _author(member, author_id)
    reason = _reason(request)
    _run(
        request, _("Suggested ban dismissed."),
        lambda: authors.dismiss_suggestion(actor=request.user, author=author, reason=reason),
    )  # fmt: skip
    return _back(member, author)


@member_view
@require_POST
def author_whitelist(request: HttpRequest, member: Member, author_id: Any) -> HttpResponse:
    """Put the author on the whitelist (``whitelisted=1``) or take them off it."""
    author = _author(member, author_id)
    wanted = request.POST.get("whitelisted") == "1"
    reason = _reason(request)
    done = _("Author whitelisted.") if wanted else _("Author removed from the whitelist.")
    _run(
        request, done,
        lambda: authors.set_whitelisted(actor=request.user, author=author, whitelisted=wanted, reason=reason),
    )  # fmt: skip
    return _back(member, author)


def _mention(author: Author, mention_id: Any) -> Mention:
    found = (
        Mention.objects.filter(
            organisation=author.organisation, network=author.network, author_handle=author.handle, public_id=mention_id
        )
        .select_related("account")
        .first()
    )
    if found is None:
        raise Http404
    return found


@member_view
@require_POST
def comment_hide(request: HttpRequest, member: Member, author_id: Any, mention_id: Any) -> HttpResponse:
    """Hide one of the author's comments."""
    author = _author(member, author_id)
    mention = _mention(author, mention_id)
    reason = _reason(request)
    _run(
        request, _("The comment will be hidden."),
        lambda: authors.hide(actor=request.user, author=author, mention=mention, reason=reason),
    )  # fmt: skip
    return _back(member, author)


@member_view
@require_POST
def comment_unhide(request: HttpRequest, member: Member, author_id: Any, mention_id: Any) -> HttpResponse:
    """Show one of the author's hidden comments again."""
    author = _author(member, author_id)
    mention = _mention(author, mention_id)
    reason = _reason(request)
    _run(
        request, _("The comment will be shown again."),
        lambda: authors.unhide(actor=request.user, author=author, mention=mention, reason=reason),
    )  # fmt: skip
    return _back(member, author)


@member_view
@require_POST
def appeal_record(request: HttpRequest, member: Member, author_id: Any) -> HttpResponse:
    """Write down an author's appeal (received by e-mail, message or phone)."""
    author = _author(member, author_id)
    form = AppealForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write down what the author says (at most 5,000 characters)."))
        return _back(member, author)
    statement = form.cleaned_data["statement"]
    _run(
        request, _("Appeal recorded."),
        lambda: appeals.record_appeal(actor=request.user, author=author, statement=statement),
    )  # fmt: skip
    return _back(member, author)


@member_view
@require_POST
def appeal_decide(request: HttpRequest, member: Member, appeal_id: Any) -> HttpResponse:
    """Accept or reject an open appeal."""
    appeal = access.get_object_for_member(Appeal.objects.select_related("author"), member, appeal_id)
    _require(access.can_moderate(member, appeal.author.network))
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to accept or reject the appeal."))
        return _back(member, appeal.author)
    accept = form.cleaned_data["decision"] == "accept"
    note = form.cleaned_data["note"]
    accepted = _("Appeal accepted; the ban is lifted and hidden comments are shown again.")
    done = accepted if accept else _("Appeal rejected.")
    _run(
        request, done,
        lambda: public_appeals.decide(actor=request.user, appeal=appeal, accept=accept, note=note),
    )  # fmt: skip
    return _back(member, appeal.author)


@member_view
@require_POST
def action_retry(request: HttpRequest, member: Member, action_id: Any) -> HttpResponse:
    """Try again an action the network refused."""
    action = access.get_object_for_member(ModerationAction.objects.select_related("author"), member, action_id)
    _require(access.can_moderate(member, action.author.network))
    _run(request, _("The action will be tried again."), lambda: actions.retry(actor=request.user, action=action))
    return redirect("moderation:queue", org_slug=member.organisation.slug)


@member_view
@require_http_methods(["GET", "POST"])
def policy_edit(request: HttpRequest, member: Member) -> HttpResponse:
    """What is hidden at once, how much each kind of strike weighs, and what the threshold does."""
    _require(access.can_moderate(member) or can_manage_policy(member))
    current = policy_for(member.organisation)
    form = PolicyForm(request.POST or None, instance=current)
    if request.method == "POST":
        _require(can_manage_policy(member))
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in policy.FIELDS}
            try:
                policy.update_policy(actor=request.user, organisation=member.organisation, **values)
            except ModerationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Moderation policy saved."))
                return redirect("moderation:policy", org_slug=member.organisation.slug)
    context = _ctx(member, form=form, policy=current, can_policy=can_manage_policy(member), modes=BanMode)
    return render(request, "moderation/policy.html", context)
