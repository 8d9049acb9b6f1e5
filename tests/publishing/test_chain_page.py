"""The approval-chain editor: people by name, reachable from the account's pages for those who manage them."""

from __future__ import annotations

import pytest

from tests.publishing.conftest import Cast
from tests.publishing.test_views import client_for, url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_scanner")]


def test_members_are_listed_by_name_and_username(cast: Cast) -> None:
    user = cast.pr1.user
    user.first_name, user.last_name = "Putri", "Lestari"
    user.save()
    html = client_for(cast.owner).get(url(cast, f"chains/{cast.brand.public_id}/")).content.decode()
    assert "Putri Lestari (acme-pr1)" in html
    assert " @ " not in html


def test_the_chain_is_linked_from_the_account_list_and_grants_for_managers(cast: Cast) -> None:
    chain = url(cast, f"chains/{cast.brand.public_id}/")
    for page in ("/o/acme/accounts/", f"/o/acme/accounts/{cast.brand.public_id}/grants/"):
        assert chain in client_for(cast.owner).get(page).content.decode()
        assert chain not in client_for(cast.employee).get(page).content.decode()


def test_the_grant_form_has_no_dashes(cast: Cast) -> None:
    html = client_for(cast.owner).get(f"/o/acme/accounts/{cast.brand.public_id}/grants/").content.decode()
    assert "---------" not in html
    assert "Choose a member" in html
    assert "Choose a team" in html
