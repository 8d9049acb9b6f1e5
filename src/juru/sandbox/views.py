"""Public timeline, account and post pages of the sandbox network (no login).

Anyone may comment on a post or mention an account as a handle of their choice, as on an open
network; what they write reaches the brand through the sandbox connector like any comment. A
visitor writing as a handle an organisation banned, or whose comments it hid, sees a notice with
the link to appeal (the sandbox has no accounts for visitors: the handle is all there is).
"""

from __future__ import annotations

from dataclasses import replace

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from juru.connectors.sandbox import CAPABILITIES, SandboxError, check_handle
from juru.moderation import public_appeals
from juru.moderation.models import Author
from juru.sandbox import queries, services
from juru.sandbox.forms import VisitorForm

SESSION_HANDLE = "sandbox_handle"


def _before(request: HttpRequest) -> int | None:
    raw = request.GET.get("before", "")
    return int(raw) if raw.isdigit() else None


def _visitor_form(request: HttpRequest) -> VisitorForm:
    """The posted form, or an empty one that remembers the handle the visitor used last."""
    if request.method == "POST":
        return VisitorForm(request.POST)
    return VisitorForm(initial={"handle": request.session.get(SESSION_HANDLE, "")})


def _appeal_notices(request: HttpRequest, form: VisitorForm | None = None) -> list[tuple[Author, str]]:
    """Where the visitor (the handle they write as) was banned or had comments hidden, with the appeal link."""
    # The handle the visitor just wrote as, when it was a valid one (even if the network then refused the post).
    posted = getattr(form, "cleaned_data", {}).get("handle") if form is not None and form.is_bound else None
    handle = posted or request.session.get(SESSION_HANDLE)
    if not handle:
        return []
    found = public_appeals.appealable(CAPABILITIES.network, handle)
    return [(author, public_appeals.appeal_path(author)) for author in found]


def _written(request: HttpRequest, handle: str, post_id: str, anchor: str) -> HttpResponse:
    request.session[SESSION_HANDLE] = handle
    return HttpResponseRedirect(reverse("sandbox:post", args=[post_id]) + f"#p-{anchor}")


def timeline(request: HttpRequest) -> HttpResponse:
    """Everyone's latest posts, newest first."""
    posts, older = queries.timeline_page(None, _before(request))
    context = {
        "posts": posts, "older": older, "accounts": queries.store().accounts()[:20], "handle": None,
        "appeal_notices": _appeal_notices(request),
    }  # fmt: skip
    return render(request, "sandbox/timeline.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def account(request: HttpRequest, handle: str) -> HttpResponse:
    """One account's posts, newest first, and a form to mention it."""
    try:
        handle = check_handle(handle)
    except SandboxError:
        raise Http404(_("There is no such account on the sandbox.")) from None
    store = queries.store()
    known = {str(a["handle"]): a for a in store.accounts()}
    posts, older = queries.timeline_page(handle, _before(request))
    if handle not in known and not posts:
        raise Http404(_("There is no such account on the sandbox."))
    form = _visitor_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.mention(handle, form.cleaned_data["handle"], form.cleaned_data["text"])
        except services.VisitorError as exc:
            form.add_error(None, exc.message)
        else:
            return _written(request, made.author, made.id, made.id)
    display_name = store.display_name(handle)
    context = {
        "posts": posts, "older": older, "handle": handle, "display_name": display_name, "accounts": [], "form": form,
        "appeal_notices": _appeal_notices(request, form),
    }  # fmt: skip
    return render(request, "sandbox/timeline.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "HEAD", "POST"])
def post(request: HttpRequest, post_id: str) -> HttpResponse:
    """One post with its visible comments and replies, oldest first, and a form to comment."""
    store = queries.store()
    found = store.get(post_id)
    if found is None or found.deleted or found.hidden:
        raise Http404(_("This post does not exist or was removed."))
    form = _visitor_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.comment(found.id, form.cleaned_data["handle"], form.cleaned_data["text"])
        except services.VisitorError as exc:
            form.add_error(None, exc.message)
        else:
            return _written(request, made.author, found.id, made.id)
    thread_root = store.get(found.root) if found.root else None
    comments = store.comments(found.root or found.id)
    if found.is_top_level:
        found = replace(found, comment_count=len(comments))
    context = {
        "post": found, "thread_root": thread_root, "comments": comments, "form": form,
        "appeal_notices": _appeal_notices(request, form),
    }  # fmt: skip
    return render(request, "sandbox/post.html", context, status=400 if form.errors else 200)
