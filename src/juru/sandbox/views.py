"""Public timeline, account and post pages of the sandbox network (read-only, no login)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from juru.connectors.sandbox import SandboxError, check_handle
from juru.sandbox import queries


def _before(request: HttpRequest) -> int | None:
    raw = request.GET.get("before", "")
    return int(raw) if raw.isdigit() else None


def timeline(request: HttpRequest) -> HttpResponse:
    """Everyone's latest posts, newest first."""
    posts, older = queries.timeline_page(None, _before(request))
    context = {"posts": posts, "older": older, "accounts": queries.store().accounts()[:20], "handle": None}
    return render(request, "sandbox/timeline.html", context)


def account(request: HttpRequest, handle: str) -> HttpResponse:
    """One account's posts, newest first."""
    try:
        handle = check_handle(handle)
    except SandboxError:
        raise Http404(_("There is no such account on the sandbox.")) from None
    store = queries.store()
    known = {str(a["handle"]): a for a in store.accounts()}
    posts, older = queries.timeline_page(handle, _before(request))
    if handle not in known and not posts:
        raise Http404(_("There is no such account on the sandbox."))
    display_name = store.display_name(handle)
    context = {"posts": posts, "older": older, "handle": handle, "display_name": display_name, "accounts": []}
    return render(request, "sandbox/timeline.html", context)


def post(request: HttpRequest, post_id: str) -> HttpResponse:
    """One post with its visible comments and replies, oldest first."""
    store = queries.store()
    found = store.get(post_id)
    if found is None or found.deleted or found.hidden:
        raise Http404(_("This post does not exist or was removed."))
    thread_root = store.get(found.root) if found.root else None
    comments = store.comments(found.root or found.id)
    return render(request, "sandbox/post.html", {"post": found, "thread_root": thread_root, "comments": comments})
