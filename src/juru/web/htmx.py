"""Page-or-fragment rendering and HTMX response helpers (one view per URL serves both)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def wants_fragment(request: HttpRequest) -> bool:
    """True for an HTMX request that swaps part of the page (boosted requests want the page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not getattr(htmx, "boosted", False)


def render_page_or_partial(
    request: HttpRequest,
    template: str,
    context: Mapping[str, Any],
    *,
    partial: str,
    status: int = 200,
) -> HttpResponse:
    """Render ``template#partial`` for HTMX requests and the whole ``template`` otherwise."""
    name = f"{template}#{partial}" if wants_fragment(request) else template
    return render(request, name, dict(context), status=status)


def toast(response: HttpResponse, message: str, level: str = "success") -> HttpResponse:
    """Ask the page to show a toast (read by juru.js from the ``HX-Trigger`` header)."""
    # ensure_ascii keeps the header latin-1 safe whatever the names in the message are.
    response["HX-Trigger"] = json.dumps({"toast": {"message": str(message), "level": level}})
    return response
