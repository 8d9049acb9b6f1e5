"""Replies pages: the saved-reply library (list, edit, approve, history) and the reply page.

One function view per URL; writes go through ``juru.replies.services``; objects through
``juru.accounts.access`` (404 for another organisation's). Domain errors become messages.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from juru.accounts import access
from juru.accounts.exceptions import NotEligible
from juru.accounts.models import Member
from juru.listening.models import Mention
from juru.publishing import highlight
from juru.publishing.exceptions import PublishingError
from juru.publishing.models import DraftState
from juru.publishing.scanning import message_lang
from juru.publishing.services import decisions
from juru.replies import editing, presence, queries, services
from juru.replies.exceptions import OverlapError, RepliesError
from juru.replies.forms import SavedReplyForm
from juru.replies.models import SavedReply, SavedReplyVersion
from juru.web.decorators import member_view

MAX_TEXT = decisions.MAX_TEXT_CHARS


def _ctx(member: Member, **extra: Any) -> dict[str, Any]:
    return {"member": member, "slug": member.organisation.slug, "section": "replies", **extra}


def error_text(exc: Exception) -> str:
    """What a refusal says to a person, whichever app raised it."""
    if isinstance(exc, NotEligible):
        return "; ".join(str(r.message) for r in exc.eligibility.reasons)
    if isinstance(exc, RepliesError | PublishingError):
        return exc.message
    return str(exc)


def _require(allowed: bool) -> None:
    """Like every organisation page: what a member may not do is answered as "not found"."""
    if not allowed:
        raise Http404


# --------------------------------------------------------------------------- library


@member_view
@require_http_methods(["GET", "POST"])
def library(request: HttpRequest, member: Member) -> HttpResponse:
    """Saved replies with filters by topic, language and state; a form for a new one."""
    org = member.organisation
    can_edit = services.can_edit(member)
    _require(can_edit or request.method == "GET")
    form = SavedReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.create_saved_reply(
                actor=member, title=data["title"], text_id=data["text_id"], text_en=data["text_en"],
                tags=form.tag_list(), is_holding=data["is_holding"],
            )  # fmt: skip
        except (RepliesError, PublishingError) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("Saved reply added; it waits for approval before responders can use it."))
            return redirect("replies:saved-detail", org_slug=org.slug, saved_id=saved.public_id)
    filters = queries.parse_filters(request.GET)
    context = _ctx(
        member,
        saved_replies=queries.library(org, filters),
        filters=filters,
        tags=queries.all_tags(org),
        form=form,
        can_edit=can_edit,
        lang=message_lang(),
    )
    return render(request, "replies/library.html", context)


@member_view
@require_http_methods(["GET", "POST"])
def saved_detail(request: HttpRequest, member: Member, saved_id: str) -> HttpResponse:
    """One saved reply: its current text, an edit form (a new version), approval and history."""
    saved = access.get_object_for_member(SavedReply, member, saved_id)
    can_edit = services.can_edit(member)
    _require(can_edit or request.method == "GET")
    form = SavedReplyForm.for_saved(saved, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        expected = request.POST.get("version", "")
        try:
            saved = services.edit_saved_reply(
                saved, actor=member, title=data["title"], text_id=data["text_id"], text_en=data["text_en"],
                tags=form.tag_list(), is_holding=data["is_holding"],
                expected_version=int(expected) if expected.isdigit() else None,
            )  # fmt: skip
        except (RepliesError, PublishingError) as exc:
            form.add_error(None, error_text(exc))
        else:
            if saved.is_usable:
                messages.success(request, _("Small edit saved; the approval stays."))
            else:
                messages.warning(
                    request, _("New version saved; it must be approved again before responders can use it.")
                )
            return redirect("replies:saved-detail", org_slug=member.organisation.slug, saved_id=saved.public_id)
    current = saved.current
    context = _ctx(
        member,
        saved=saved,
        current=current,
        variables=editing.variables(current.text_id + " " + current.text_en),
        versions=list(saved.versions.select_related("author__user", "approved_by__user")),
        form=form,
        can_edit=can_edit,
        can_approve=services.can_approve(member) and current.author_id != member.pk and not saved.is_usable,
    )
    return render(request, "replies/saved_detail.html", context)


@member_view
@require_POST
def saved_approve(request: HttpRequest, member: Member, saved_id: str) -> HttpResponse:
    """Approve the current version for responders."""
    saved = access.get_object_for_member(SavedReply, member, saved_id)
    _require(services.can_approve(member))
    version = request.POST.get("version", "")
    try:
        services.approve_saved_reply(saved, actor=member, version=int(version) if version.isdigit() else None)
    except RepliesError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Approved: responders can use this saved reply now."))
    return redirect("replies:saved-detail", org_slug=member.organisation.slug, saved_id=saved.public_id)


# --------------------------------------------------------------------------- replying


def _mention(member: Member, mention_id: str) -> Mention:
    return access.get_object_for_member(Mention.objects.select_related("account"), member, mention_id)


def _values(request: HttpRequest) -> dict[str, str]:
    """The composer's variable fields (``var_nama`` gives ``nama``)."""
    return {k[4:]: str(request.POST.get(k, ""))[:500] for k in request.POST if k.startswith("var_")}


def text_context(text: str, values: dict[str, str], saved_version: str = "") -> dict[str, Any]:
    """What the composer's text block shows: the text, a field per variable, the saved reply used."""
    fields = [(name, values.get(name, "")) for name in editing.variables(text)]
    return {"text": text, "variable_fields": fields, "saved_version": saved_version}


def _opened_at(request: HttpRequest) -> datetime:
    """When the responder opened the page (from the form), or now."""
    try:
        return datetime.fromtimestamp(float(request.POST.get("opened_at", "")), tz=UTC)
    except (ValueError, OverflowError, OSError):
        return timezone.now()


def _saved_version(member: Member, value: str) -> SavedReplyVersion | None:
    if not value.isdigit():
        return None
    found = SavedReplyVersion.objects.select_related("saved_reply").filter(
        pk=int(value), saved_reply__organisation=member.organisation
    )
    return found.first()


@member_view
@require_http_methods(["GET", "POST"])
def reply_to(request: HttpRequest, member: Member, mention_id: str) -> HttpResponse:
    """The mention and its thread, replies already written, and the composer."""
    mention = _mention(member, mention_id)
    may_reply = services.may_reply(member, mention)
    _require(may_reply or request.method == "GET")
    thread_key = str(mention.public_id)
    extra: dict[str, Any] = {}
    if request.method == "POST":
        text = request.POST.get("text", "")[:MAX_TEXT]
        values = _values(request)
        try:
            reply = services.send_reply(
                actor=member, mention=mention, text=text, thread_key=request.POST.get("thread_key") or thread_key,
                opened_at=_opened_at(request), values=values,
                saved_version=_saved_version(member, request.POST.get("saved_version", "")),
                acknowledge_warnings=request.POST.get("acknowledge") == "1",
                send_anyway=request.POST.get("send_anyway") == "1",
            )  # fmt: skip
        except OverlapError as exc:
            extra = {"overlap": exc.message, "opened_at": request.POST.get("opened_at", "")}
        except (RepliesError, PublishingError, NotEligible) as exc:
            extra = {"error": error_text(exc)}
        else:
            if reply.draft.state == DraftState.IN_REVIEW:
                messages.warning(request, _("Reply written; it waits for approval and is sent once approved."))
            else:
                messages.success(request, _("Reply sent to the publishing queue."))
            return redirect("replies:reply_to", org_slug=member.organisation.slug, mention_id=mention.public_id)
        extra |= text_context(text, values, request.POST.get("saved_version", ""))
    context = _ctx(
        member,
        mention=mention,
        thread_key=thread_key,
        thread=queries.thread(mention),
        replies=queries.replies_on(member.organisation, thread_key),
        may_reply=may_reply,
        **extra,
    )
    return render(request, "replies/reply.html", context)


@member_view
@require_POST
def pick(request: HttpRequest, member: Member, mention_id: str) -> HttpResponse:
    """Put a saved reply's text (in the chosen language) into the composer, with its variable fields."""
    mention = _mention(member, mention_id)
    _require(services.may_reply(member, mention))
    saved = access.get_object_for_member(SavedReply, member, request.POST.get("saved", ""))
    if not saved.is_usable:
        raise Http404
    current = saved.current
    name = current.saved_reply.title
    lang = request.POST.get("lang") or message_lang()
    fields = text_context(current.text_for(lang), _values(request), str(current.pk))
    context = _ctx(member, mention=mention, picked=name, **fields)
    return render(request, "replies/_composer_text.html", context)


@member_view
@require_POST
def check(request: HttpRequest, member: Member, mention_id: str) -> HttpResponse:
    """The live check of the reply as it will go out (variables filled so far), nothing recorded."""
    mention = _mention(member, mention_id)
    _require(services.may_reply(member, mention))
    text = editing.fill(request.POST.get("text", "")[:MAX_TEXT], _values(request))
    context = _ctx(member, text=text, unfilled=editing.variables(text))
    if text.strip() and mention.account is not None:
        scan_context = decisions.context_for(mention.account, member, channel="reply")
        try:
            outcome = decisions.scan(member.organisation, text, scan_context)
        except PublishingError as exc:
            context["error"] = exc.message
        else:
            hits = highlight.hit_views(text, outcome.hits, message_lang())
            context |= {"verdict": outcome.verdict, "hits": hits, "marked": highlight.highlight(text, hits)}
    return render(request, "replies/_check.html", context)


@member_view
@require_POST
def presence_view(request: HttpRequest, member: Member) -> HttpResponse:
    """A composer's heartbeat: records this member, answers who else is viewing or typing."""
    thread_key = request.POST.get("thread_key", "").strip()[:200]
    _require(bool(thread_key) and services.can_edit(member))
    presence.heartbeat(member, thread_key, typing=request.POST.get("typing") == "1")
    return render(request, "replies/_presence.html", _ctx(member, others=presence.others(member, thread_key)))
