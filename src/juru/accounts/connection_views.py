"""Pages that connect a brand account to its network, check it, and disconnect it.

The connect page offers the way the network supports (``connections.connection_method``). OAuth
networks come back to ``callback`` with a ``state`` that must match one this member started in
this session; it is used once. Secrets are typed into write-only fields and never shown back.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from juru.accounts import access, connections
from juru.accounts.connections import ConnectionFailedError, InvalidStateError, Method
from juru.accounts.models import AccountType, BrandAccount, Member, OrgAction
from juru.web.decorators import actor_of, member_view


class BlueskyForm(forms.Form):
    """Handle and app password (the password is never rendered back)."""

    handle = forms.CharField(label=gettext_lazy("Bluesky handle"), max_length=253)
    app_password = forms.CharField(
        label=gettext_lazy("App password"),
        max_length=200,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=gettext_lazy("Create one in Bluesky under Settings → Privacy and security → App passwords."),
    )


class TelegramForm(forms.Form):
    """Bot token (write-only) and the channel the bot posts to."""

    bot_token = forms.CharField(
        label=gettext_lazy("Bot token"),
        max_length=200,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=gettext_lazy("From @BotFather. The bot must be an administrator of the channel."),
    )
    channel = forms.CharField(
        label=gettext_lazy("Channel"), max_length=80, help_text=gettext_lazy("@name or the numeric chat id.")
    )


class MastodonForm(forms.Form):
    """The instance the account lives on."""

    instance_url = forms.CharField(
        label=gettext_lazy("Instance"), max_length=200, help_text=gettext_lazy("For example https://mastodon.social")
    )


def _require(member: Member) -> None:
    """Only roles that manage accounts may connect them; others get 404 like everything they may not touch."""
    if not access.role_can(member, OrgAction.MANAGE_ACCOUNTS):
        raise Http404


def _account(member: Member, account_id: Any) -> BrandAccount:
    """The account to connect: any, for those who manage accounts; their own personal ones, for employees."""
    account = access.get_object_for_member(BrandAccount, member, str(account_id))
    if account.account_type == AccountType.PERSONAL and account.owner_member_id == member.pk:
        return account
    _require(member)
    return account


def _callback_uri(request: HttpRequest, member: Member) -> str:
    """The one redirect address for every network (register it with X and Facebook)."""
    return request.build_absolute_uri(reverse("accounts:connection_callback", args=[member.organisation.slug]))


def _to_connect(member: Member, account: BrandAccount) -> HttpResponse:
    return redirect("accounts:connection_connect", org_slug=member.organisation.slug, account_id=account.public_id)


def _form(method: Method, account: BrandAccount, data: Any = None) -> forms.Form | None:
    if method is Method.APP_PASSWORD:
        return BlueskyForm(data, initial={"handle": account.handle.lstrip("@")})
    if method is Method.BOT_TOKEN:
        return TelegramForm(data, initial={"channel": account.handle})
    if method is Method.MASTODON:
        return MastodonForm(data, initial={"instance_url": connections.mastodon_instance(account)})
    return None


def _connect(request: HttpRequest, member: Member, account: BrandAccount, method: Method, form: Any) -> HttpResponse:
    """Run the flow for ``method``; returns the redirect (to the network or back to the list)."""
    actor = actor_of(request)
    data = form.cleaned_data if form is not None else {}
    if method in connections.OAUTH_METHODS:
        url, pending = connections.start_authorisation(
            member=member,
            account=account,
            redirect_uri=_callback_uri(request, member),
            instance_url=data.get("instance_url", ""),
        )
        connections.stash_pending(request.session, pending)
        return HttpResponseRedirect(url)
    if method is Method.NONE:
        connections.connect_sandbox(actor=actor, account=account)
    elif method is Method.APP_PASSWORD:
        connections.connect_bluesky(
            actor=actor, account=account, handle=data["handle"], app_password=data["app_password"]
        )
    elif method is Method.BOT_TOKEN:
        connections.connect_telegram(actor=actor, account=account, bot_token=data["bot_token"], channel=data["channel"])
    else:
        raise ConnectionFailedError(_("Juru cannot connect accounts on this network yet."))
    return _connected(request, member, account)


def _connected(request: HttpRequest, member: Member, account: BrandAccount) -> HttpResponse:
    messages.success(request, _("%(handle)s is connected.") % {"handle": account.handle})
    return redirect("accounts:brand_account_list", org_slug=member.organisation.slug)


@member_view
@require_http_methods(["GET", "POST"])
def connect(request: HttpRequest, member: Member, account_id: Any) -> HttpResponse:
    """The account's connection state and the form or button that (re)connects it."""
    account = _account(member, account_id)
    method = connections.connection_method(account.network)
    form = _form(method, account, request.POST if request.method == "POST" else None)
    error = ""
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            return _connect(request, member, account, method, form)
        except ConnectionFailedError as exc:
            error = str(exc)
    context = {
        "member": member,
        "slug": member.organisation.slug,
        "section": "accounts",
        "account": account,
        "method": method.value,
        "state": connections.connection_state(account),
        "expires_at": connections.token_expires_at(account) if account.has_credentials else None,
        "form": form,
        "error": error,
        "callback_uri": _callback_uri(request, member),
    }
    return render(request, "accounts/connection_connect.html", context, status=400 if error else 200)


def _bad_request(request: HttpRequest, member: Member, message: str) -> HttpResponse:
    context = {"member": member, "slug": member.organisation.slug, "section": "accounts", "message": message}
    return render(request, "accounts/connection_error.html", context, status=400)


@member_view
@require_GET
def callback(request: HttpRequest, member: Member) -> HttpResponse:
    """Where the network sends the person back: check ``state``, then exchange the code (or report a refusal)."""
    try:
        pending = connections.take_pending(request.session, request.GET.get("state", ""), member=member)
    except InvalidStateError as exc:
        return _bad_request(request, member, str(exc))
    account = _account(member, pending.account_id)
    if request.GET.get("error"):
        messages.warning(
            request,
            _("Access was not granted on %(network)s, so nothing was changed on %(handle)s.")
            % {"network": account.network, "handle": account.handle},
        )
        return _to_connect(member, account)
    try:
        if pending.network in ("facebook", "instagram"):
            choice = connections.fetch_pages(pending=pending, code=request.GET.get("code", ""))
            connections.stash_pending(request.session, choice)
            url = reverse("accounts:connection_choose_page", args=[member.organisation.slug, account.public_id])
            return HttpResponseRedirect(f"{url}?flow={choice.state}")
        connections.finish_authorisation(
            actor=actor_of(request), account=account, pending=pending, code=request.GET.get("code", "")
        )
    except ConnectionFailedError as exc:
        messages.error(request, str(exc))
        return _to_connect(member, account)
    return _connected(request, member, account)


@member_view
@require_http_methods(["GET", "POST"])
def choose_page(request: HttpRequest, member: Member, account_id: Any) -> HttpResponse:
    """After Facebook Login: pick the Page (or its Instagram account) this brand account publishes to."""
    account = _account(member, account_id)
    flow = request.POST.get("flow") or request.GET.get("flow", "")
    try:
        pending = connections.peek_pending(request.session, flow, member=member, network=account.network)
    except InvalidStateError as exc:
        return _bad_request(request, member, str(exc))
    if pending.account_id != str(account.public_id):
        return _bad_request(request, member, _("This choice belongs to another account. Start connecting again."))
    error = ""
    if request.method == "POST":
        try:
            connections.connect_page(
                actor=actor_of(request), account=account, pending=pending, page_id=request.POST.get("page", "")
            )
        except ConnectionFailedError as exc:
            error = str(exc)
        else:
            connections.take_pending(request.session, flow, member=member, network=account.network)
            return _connected(request, member, account)
    context = {
        "member": member,
        "slug": member.organisation.slug,
        "section": "accounts",
        "account": account,
        "flow": flow,
        "pages": connections.page_choices(pending),
        "error": error,
    }
    return render(request, "accounts/connection_pages.html", context, status=400 if error else 200)


@member_view
@require_POST
def check(request: HttpRequest, member: Member, account_id: Any) -> HttpResponse:
    """Try the stored credentials now and show the result."""
    account = _account(member, account_id)
    result = connections.verify_connection(actor=actor_of(request), account=account)
    if result.ok:
        messages.success(request, _("The connection to %(handle)s works.") % {"handle": account.handle})
    else:
        messages.error(request, result.message)
    return _to_connect(member, account)


@member_view
@require_POST
def disconnect(request: HttpRequest, member: Member, account_id: Any) -> HttpResponse:
    """Forget the stored credentials."""
    account = _account(member, account_id)
    connections.disconnect(actor=actor_of(request), account=account)
    messages.success(
        request, _("%(handle)s is disconnected; its credentials were deleted.") % {"handle": account.handle}
    )
    return _to_connect(member, account)
