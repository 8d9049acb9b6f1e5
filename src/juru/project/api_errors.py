"""Every API error is a JSON problem (RFC 9457) with a 4xx status and a message a person can act on."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from juru.accounts.api_limits import RateLimitedError
from juru.accounts.exceptions import AccountsError, NotEligible
from juru.scan.storable import first_unstorable

PROBLEM_TYPE = "application/problem+json"


class UnstorableInputError(ValueError):
    """A string in the request holds a character no database can store (NUL or a lone surrogate)."""

    def __init__(self, where: str, position: int) -> None:
        super().__init__(f"{where}: position {position + 1}")
        self.where = where
        self.position = position


def _strings(value: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(str(key), where)
            yield from _strings(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{where}[{index}]")


def check_storable(value: Any, where: str) -> None:
    """Raise ``UnstorableInputError`` for the first string in ``value`` a database could not keep."""
    for place, text in _strings(value, where):
        position = first_unstorable(text)
        if position is not None:
            raise UnstorableInputError(place, position)


class StorableJsonParser(Parser):
    """JSON bodies and query strings, refusing characters the database would choke on."""

    def parse_body(self, request: HttpRequest) -> Any:
        data = json.loads(request.body)
        check_storable(data, "body")
        return data

    def parse_querydict(self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest) -> Any:
        check_storable({key: data.getlist(key) for key in data}, "query")
        return super().parse_querydict(data, list_fields, request)


def problem(api: NinjaAPI, request: HttpRequest, status: int, title: str, detail: str, **extra: Any) -> HttpResponse:
    """A JSON problem response (``detail`` kept for clients of the earlier shape)."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = PROBLEM_TYPE
    return response


def install(api: NinjaAPI) -> None:
    """Register the handlers that turn every expected failure into a 4xx JSON problem.

    Each handler takes the exception class it is registered for (typed ``Any`` for ninja's stubs).
    """

    def unstorable(request: HttpRequest, exc: Any) -> HttpResponse:
        detail = _("%(where)s contains a character that cannot be stored (at position %(position)d).") % {
            "where": exc.where,
            "position": exc.position + 1,
        }
        return problem(api, request, 422, _("Unstorable character"), detail)

    def http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        cause = exc.__cause__
        if isinstance(cause, UnstorableInputError):
            return unstorable(request, cause)
        if isinstance(cause, ValueError):  # json.JSONDecodeError and UnicodeDecodeError are ValueErrors
            return problem(api, request, 400, _("Malformed request"), _("The request body is not valid JSON."))
        return problem(api, request, exc.status_code, _("Request refused"), str(exc))

    def validation(request: HttpRequest, exc: Any) -> HttpResponse:
        errors = json.loads(json.dumps(exc.errors, default=str))
        return problem(api, request, 422, _("Invalid input"), _("Some fields are invalid."), errors=errors)

    def too_big(request: HttpRequest, exc: Any) -> HttpResponse:
        from django.conf import settings

        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        detail = _("The request body is larger than %(limit)d bytes.") % {"limit": limit}
        return problem(api, request, 413, _("Request too large"), detail)

    def forbidden(request: HttpRequest, exc: Any) -> HttpResponse:
        if isinstance(exc, NotEligible):
            detail = "; ".join(str(r.message) for r in exc.eligibility.reasons)
        else:
            detail = str(exc) or _("You may not do this.")
        return problem(api, request, 403, _("Not allowed"), detail)

    def not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        return problem(api, request, 404, _("Not found"), _("There is nothing here, or it is not yours to see."))

    def unauthenticated(request: HttpRequest, exc: Any) -> HttpResponse:
        detail = _("Send a valid API token: Authorization: Bearer <token>.")
        return problem(api, request, 401, _("Not signed in"), detail)

    def rate_limited(request: HttpRequest, exc: Any) -> HttpResponse:
        detail = _("Too many requests for this token (limit %(limit)s). Try again in %(seconds)d seconds.") % {
            "limit": exc.limit,
            "seconds": exc.retry_after,
        }
        response = problem(api, request, 429, _("Too many requests"), detail)
        response["Retry-After"] = str(exc.retry_after)
        return response

    def refused(request: HttpRequest, exc: Any) -> HttpResponse:
        return problem(api, request, 400, _("Request refused"), str(exc))

    api.add_exception_handler(UnstorableInputError, unstorable)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(ValidationError, validation)
    api.add_exception_handler(RequestDataTooBig, too_big)
    api.add_exception_handler(PermissionDenied, forbidden)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(AuthenticationError, unauthenticated)
    api.add_exception_handler(RateLimitedError, rate_limited)
    api.add_exception_handler(AccountsError, refused)
