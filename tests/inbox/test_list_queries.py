"""The inbox list reads a fixed number of queries whatever the number of rows it shows (no query per row)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from juru.inbox.models import Conversation
from juru.listening import services as listening
from tests.inbox.conftest import incoming
from tests.web.conftest import sign_in

pytestmark = pytest.mark.django_db

VIEWS = ["", "?view=unassigned", "?priority=urgent", "?breached=1", "?status=any", "?page=2"]


def _queries(client: Client, address: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def _store(cast: Any, start: int, count: int) -> None:
    comments = [incoming(f"q{n}", f"Pesanan nomor {n} belum sampai", author=f"warga{n}") for n in range(start, count)]
    listening.store_mentions(cast.org, cast.brand, comments)


@pytest.mark.parametrize("query", VIEWS)
def test_the_list_costs_the_same_queries_for_one_row_as_for_a_full_page(cast, query):
    client = sign_in(Client(), cast.owner.user)
    address = reverse("inbox:list", args=[cast.org.slug]) + query
    _store(cast, 0, 1)
    client.get(address)  # sessions, language and settings rows created on first use are not the list's cost
    few, _html = _queries(client, address)
    _store(cast, 1, 120)
    # Rows with everything a row shows: a team, an assignee (with a name), a missed target, tags.
    team = cast.teams["crisis"]
    rows = Conversation.objects.filter(organisation=cast.org)
    assignee = None if query == "?view=unassigned" else cast.pr1
    rows.update(team=team, assignee=assignee, priority="urgent", first_response_breached=True, tags=["refund"])
    cast.pr1.user.first_name = "Dewi"
    cast.pr1.user.save(update_fields=["first_name"])
    many, html = _queries(client, address)
    assert few == many
    assert html.count('data-testid="conversation-row"') == 50
    for shown in (team.name, "refund", cast.brand.handle):
        assert shown in html
    rows_html = html[html.index('data-testid="conversation-row"') :]  # the colleagues' table above names her too
    assert ("Dewi" in rows_html) == (assignee is not None)
