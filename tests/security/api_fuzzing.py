"""Property-based requests against the JSON API from its own OpenAPI description (schemathesis).

Shared by the bounded test in the suite and the long run in ``bench/fuzz.py --api``: every generated
request goes through Django's test client, and any 5xx or unhandled exception is a failure.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

import schemathesis
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis.errors import Unsatisfiable

OPENAPI_PATH = "/api/v1/openapi.json"


@dataclass
class FuzzReport:
    """What a fuzz run sent and what came back."""

    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)


def load_schema(client: Client) -> Any:
    """The API's OpenAPI description, as served."""
    return schemathesis.openapi.from_dict(client.get(OPENAPI_PATH).json())


def _send(client: Client, kwargs: dict[str, Any], token: str | None) -> Any:
    url = urlsplit(kwargs["url"])
    path = url.path + ("?" + urlencode(kwargs.get("params") or {}, doseq=True) if kwargs.get("params") else "")
    headers = {k: v for k, v in (kwargs.get("headers") or {}).items() if k.lower() not in {"content-length", "host"}}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    content_type = headers.pop("Content-Type", "application/json")
    if "json" in kwargs:
        body: Any = json.dumps(kwargs["json"])
    else:
        body = kwargs.get("data") or ""
    return client.generic(kwargs["method"], path, data=body, content_type=content_type, headers=headers)


def fuzz(client: Client, tokens: list[str], *, max_examples: int, seed: int = 0) -> FuzzReport:
    """Send ``max_examples`` generated requests per operation and token; record statuses and failures."""
    report = FuzzReport()
    rng = random.Random(seed)
    for result in load_schema(client).get_all_operations():
        operation = result.ok()

        @hypothesis_seed(seed)
        @given(case=operation.as_strategy())
        @settings(max_examples=max_examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def run(case: Any) -> None:
            # Mostly a real token (to reach the handlers), sometimes the generated junk one.
            token = rng.choice(tokens) if rng.random() < 0.9 else None
            kwargs = case.as_transport_kwargs(base_url="http://testserver")
            report.requests += 1
            try:
                response = _send(client, kwargs, token)
            except Exception as exc:  # noqa: BLE001  # an unhandled error is exactly what we look for
                report.failures.append(f"{kwargs['method']} {kwargs['url']}: {type(exc).__name__}: {exc}"[:300])
                return
            report.statuses[response.status_code] += 1
            if response.status_code >= 500:
                report.failures.append(f"{kwargs['method']} {kwargs['url']}: {response.status_code}"[:300])

        try:
            run()
        except Unsatisfiable:
            continue
    return report
