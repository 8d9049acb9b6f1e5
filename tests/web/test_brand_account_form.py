"""The brand-account pages lead with signing in to the network; pasted JSON is an operator's advanced option."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from juru.accounts.models import BrandAccount, Member

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("lang", "connect"), [("en", "Connect"), ("id", "Hubungkan")])
def test_edit_page_offers_connect_first_and_json_only_inside_advanced(
    lang: str, connect: str, owner: Member, account_a: BrandAccount, client_for: Callable[[Member], Client]
) -> None:
    client = client_for(owner)
    client.cookies["juru_language"] = lang
    html = client.get(f"/o/kopi/accounts/{account_a.public_id}/edit/").content.decode()
    connect_url = f"/o/kopi/accounts/{account_a.public_id}/connect/"
    assert f'href="{connect_url}" data-testid="connect">{connect}' in html
    advanced = re.search(r'<details class="advanced".*?</details>', html, re.S)
    assert advanced is not None
    assert 'name="credentials"' in advanced.group(0)
    assert html.count('name="credentials"') == 1
    assert html.index(connect_url) < html.index('<details class="advanced"')


def test_adding_an_account_without_credentials_goes_on_to_connect_it(
    owner: Member, client_for: Callable[[Member], Client]
) -> None:
    response = client_for(owner).post(
        "/o/kopi/accounts/add/", {"network": "sandbox", "handle": "@kopi3", "account_type": "brand"}
    )
    account = BrandAccount.objects.get(handle="@kopi3")
    assert response["Location"] == f"/o/kopi/accounts/{account.public_id}/connect/"
