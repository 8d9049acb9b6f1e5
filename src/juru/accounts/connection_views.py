"""Pages that connect a brand account to its network, check it, and disconnect it.

The connect page offers the way the network's connector declares (``connections.setup_for``). OAuth
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
from juru.accounts.connections import ConnectionFailedError, InvalidStateError, Method, Pending
from juru.accounts.models import AccountType, BrandAccount, Member, OrgAction
from juru.connectors.connecting import Setup
from juru.web.decorators import actor_of, member_view


class ConnectForm(forms.Form):
    """The values a network asks for when connecting (its connector declares them); secrets are write-only."""

    def __init__(self, *args: Any, setup: Setup, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in setup.fields:
            widget = forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}) if item.secret else None
            self.fields[item.name] = forms.CharField(
                label=gettext_lazy(item.label),  # noqa: INT001 - the connector marked it for the catalogs
                help_text=gettext_lazy(item.help) if item.help else "",  # noqa: INT001 - as above
                max_length=item.max_length,
                widget=widget,
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


def _form(account: BrandAccount, data: Any = None) -> ConnectForm | None:
    setup = connections.setup_for(account.network)
    if not setup.fields:
        return None
    return ConnectForm(data, setup=setup, initial=connections.initial_values(account))


def _connect(request: HttpRequest, member: Member, account: BrandAccount, method: Method, form: Any) -> HttpResponse:
    """Run the flow for ``method``; returns the redirect (to the network or back to the list)."""
    data = form.cleaned_data if form is not None else {}
    if method is Method.OAUTH:
        url, pending = connections.start_authorisation(
            member=member, account=account, redirect_uri=_callback_uri(request, member), values=data
        )
        connections.stash_pending(request.session, pending)
        return HttpResponseRedirect(url)
    connections.connect_with_form(actor=actor_of(request), account=account, values=data)
    return _connected(request, member, account)


def _connected(request: HttpRequest, member: Member, account: BrandAccount) -> HttpResponse:
    messages.success(request, _("%(handle)s is connected.") % {"handle": account.handle})
    return redirect("accounts:brand_account_list", org_slug=member.organisation.slug)


@member_view
@require_http_methods(["GET", "POST"])
def connect(request: HttpRequest, member: Member, account_id: Any) -> HttpResponse:
    """The account's connection state and the form or button that (re)connects it."""
    account = _account(member, account_id)
    setup = connections.setup_for(account.network)
    method = setup.kind
    form = _form(account, request.POST if request.method == "POST" else None)
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
        "setup": setup,
        "state": connections.connection_state(account),
        "expires_at": connections.token_expires_at(account) if account.has_credentials else None,
        "form": form,
        "error": error,
        "callback_uri": _callback_uri(request, member),
    }
    response = render(request, "accounts/connection_connect.html", context, status=400 if error else 200)
    targets = connections.form_targets(account.network)
    if targets:
        response._csp_update = {"form-action": targets}  # type: ignore[attr-defined]  # read by django-csp
    return response


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
        result = connections.finish_authorisation(
            actor=actor_of(request), account=account, pending=pending, code=request.GET.get("code", "")
        )
        if isinstance(result, Pending):  # the person picks one place among several (a Facebook Page)
            connections.stash_pending(request.session, result)
            url = reverse("accounts:connection_choose_page", args=[member.organisation.slug, account.public_id])
            return HttpResponseRedirect(f"{url}?flow={result.state}")
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
            connections.connect_choice(
                actor=actor_of(request), account=account, pending=pending, choice_id=request.POST.get("page", "")
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
        messages.error(request, connections.say(result.message))
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
