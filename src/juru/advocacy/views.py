"""Advocacy pages: the library, one-click shares, the employee's personal accounts and shares.

One function view per URL; writes go through ``juru.advocacy.services``; objects through
``juru.accounts.access`` (404 for another organisation's). Domain errors become messages.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from juru.accounts import access
from juru.accounts.exceptions import AccountsError
from juru.accounts.models import BrandAccount, Member
from juru.advocacy import queries, services
from juru.advocacy.exceptions import AdvocacyError
from juru.advocacy.forms import ItemForm, PersonalAccountForm, ShareForm
from juru.advocacy.models import AdvocacyItem
from juru.publishing.exceptions import PublishingError
from juru.publishing.models import Post, PostState
from juru.web.decorators import member_view

PUBLISHED_POSTS_OFFERED = 20


def _ctx(member: Member, **extra: Any) -> dict[str, Any]:
    return {"member": member, "slug": member.organisation.slug, "section": "advocacy", **extra}


def _to(name: str, member: Member, **kwargs: Any) -> HttpResponse:
    return redirect(name, org_slug=member.organisation.slug, **kwargs)


def _item(member: Member, item_id: Any) -> AdvocacyItem:
    return access.get_object_for_member(AdvocacyItem, member, item_id)


@member_view
@require_GET
def library(request: HttpRequest, member: Member) -> HttpResponse:
    """The approved posts employees may share, and what the member already shared."""
    org = member.organisation
    context = _ctx(
        member,
        items=queries.library(org, include_withdrawn=queries.can_curate(member)),
        paused=queries.advocacy_paused(org),
        accounts=list(queries.personal_accounts(member)),
        can_curate=queries.can_curate(member),
        shares=queries.shares_of(member)[:20],
    )
    return render(request, "advocacy/library.html", context)


def _published_brand_posts(member: Member) -> list[Post]:
    return list(
        Post.objects.filter(organisation=member.organisation, state=PostState.PUBLISHED, account__account_type="brand")
        .select_related("draft", "account")
        .order_by("-published_at")[:PUBLISHED_POSTS_OFFERED]
    )


@member_view
@require_http_methods(["GET", "POST"])
def item_add(request: HttpRequest, member: Member) -> HttpResponse:
    """Add a post to the library: pick a published brand post, or write one that passes the check."""
    if not queries.can_curate(member):
        raise Http404
    form = ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        source = None
        if data["source_post"]:
            source = access.get_object_for_member(Post, member, data["source_post"])
        try:
            item = services.add_item(
                actor=member, title=data["title"], text=data["text"], link=data["link"], source_post=source
            )
        except AdvocacyError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("“%(title)s” is in the advocacy library.") % {"title": item.title})
            return _to("advocacy:library", member)
    context = _ctx(member, form=form, posts=_published_brand_posts(member))
    return render(request, "advocacy/item_form.html", context)


@member_view
@require_POST
def item_availability(request: HttpRequest, member: Member, item_id: Any) -> HttpResponse:
    """Withdraw an item from the library or offer it again."""
    item = _item(member, item_id)
    if not queries.can_curate(member):
        raise Http404
    available = request.POST.get("available") == "1"
    try:
        services.set_item_available(actor=member, item=item, available=available)
    except AdvocacyError as exc:
        messages.error(request, str(exc))
    return _to("advocacy:library", member)


@member_view
@require_http_methods(["GET", "POST"])
def share(request: HttpRequest, member: Member, item_id: Any) -> HttpResponse:
    """Share one item: the text with the disclosure line, from one of the member's accounts."""
    item = _item(member, item_id)
    accounts = list(queries.personal_accounts(member))
    done = queries.shared_accounts(member, item)
    initial = {"text": services.share_text(item, member, get_language() or "id")}
    form = ShareForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        account = access.get_object_for_member(BrandAccount, member, form.cleaned_data["account"])
        try:
            made = services.share_item(
                actor=member, item=item, account=account, text=form.cleaned_data["text"], lang=get_language() or "id"
            )
        except (AdvocacyError, PublishingError, AccountsError, PermissionDenied) as exc:
            messages.error(request, str(exc))
        else:
            _report_share(request, made.draft.get_state_display(), made.draft.state)
            return _to("advocacy:library", member)
    context = _ctx(
        member, item=item, form=form, accounts=accounts, done=done, paused=queries.advocacy_paused(member.organisation)
    )
    return render(request, "advocacy/share.html", context)


def _report_share(request: HttpRequest, state_label: str, state: str) -> None:
    if state == "scheduled":
        messages.success(request, _("Shared: it is on its way to your account."))
    else:
        messages.warning(
            request, _("Not sent yet (%(state)s): open the draft below to see what it needs.") % {"state": state_label}
        )


@member_view
@require_http_methods(["GET", "POST"])
def my_accounts(request: HttpRequest, member: Member) -> HttpResponse:
    """The member's personal accounts, and a form to register another one."""
    form = PersonalAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.register_personal_account(
                actor=member, network=form.cleaned_data["network"], handle=form.cleaned_data["handle"]
            )
        except (AdvocacyError, AccountsError) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("%(handle)s registered. Connect it to share.") % {"handle": account.handle})
            return redirect(
                "accounts:connection_connect", org_slug=member.organisation.slug, account_id=account.public_id
            )
    context = _ctx(member, form=form, accounts=list(queries.personal_accounts(member)))
    return render(request, "advocacy/my_accounts.html", context)
