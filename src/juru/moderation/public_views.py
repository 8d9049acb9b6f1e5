"""The author's own appeal page, reached by the signed link the organisation gives them (no login).

Sending is limited per author and per address (``APPEAL_RATE_*``), counted with the same limiter as
the API and wrong passwords; the page always shows the author where they stand and every answer
to their appeals, so a rejection's reason reaches them here.
"""

from __future__ import annotations

import math

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from juru.accounts import api_limits
from juru.moderation import public_appeals
from juru.moderation.exceptions import ModerationError
from juru.moderation.forms import PublicAppealForm
from juru.moderation.models import Author
from juru.project.client_address import client_address

APPEAL_RATE_AUTHOR = "5/hour"  # sends (refused ones too) per appeal link
APPEAL_RATE_ADDRESS = "20/hour"  # sends per client address, whatever the link
NAMESPACE = "appeal-send"


def _keys(request: HttpRequest, author: Author) -> list[tuple[str, str]]:
    address = client_address(request) or "unknown"
    return [(APPEAL_RATE_AUTHOR, f"author:{author.public_id}"), (APPEAL_RATE_ADDRESS, f"address:{address}")]


def _wait(request: HttpRequest, author: Author) -> int:
    """Seconds until this author (from this address) may send again; 0: now."""
    return max(api_limits.retry_after(rate, NAMESPACE, key) for rate, key in _keys(request, author))


def _count(request: HttpRequest, author: Author) -> None:
    for rate, key in _keys(request, author):
        api_limits.count_failure(rate, NAMESPACE, key)


def _too_many(wait: int) -> str:
    minutes = max(1, math.ceil(wait / 60))
    return ngettext(
        "Too many appeals sent from here. Try again in %(count)d minute.",
        "Too many appeals sent from here. Try again in %(count)d minutes.",
        minutes,
    ) % {"count": minutes}


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def appeal(request: HttpRequest, token: str) -> HttpResponse:
    """Where the author stands, their appeals with the answers, and a form to appeal."""
    try:
        author = public_appeals.author_for(token)
    except public_appeals.AppealLinkError as exc:
        return render(request, "moderation/appeal_invalid.html", {"problem": exc.message}, status=404)
    form = PublicAppealForm(request.POST or None)
    status = 200
    if request.method == "POST":
        wait = _wait(request, author)
        if wait:
            form.add_error(None, _too_many(wait))
            status = 429
        else:
            _count(request, author)
            if form.is_valid():
                try:
                    public_appeals.submit(author=author, statement=form.cleaned_data["statement"])
                except ModerationError as exc:
                    form.add_error(None, exc.message)
                else:
                    messages.success(
                        request, _("Your appeal is sent. A moderator will decide; the answer appears here.")
                    )
                    return redirect("appeal", token=token)
            status = 400
    appeals = list(author.appeals.all())
    context = {
        "author": author, "form": form, "appeals": appeals, "hidden": public_appeals.hidden_count(author),
        "waiting": any(a.state == "open" for a in appeals), "grounds": public_appeals.has_grounds(author),
        "link_days": public_appeals.LINK_DAYS,
    }  # fmt: skip
    return render(request, "moderation/appeal.html", context, status=status)
