"""Deleting a team and switching a brand account off and on, each behind a confirmation page."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.test import Client
from django.utils import translation

from juru.accounts.access import eligibility
from juru.accounts.models import BrandAccount, Grant, Member, Team, TeamMembership
from juru.audit.models import AuditEvent
from juru.audit.verify import verify_chain

pytestmark = pytest.mark.django_db
ClientFor = Callable[[Member], Client]


@pytest.fixture(autouse=True)
def _default_language_afterwards() -> Iterator[None]:
    """A request in English leaves English active in this thread; later tests expect the default."""
    yield
    translation.deactivate()


@pytest.fixture
def team_grant(owner: Member, account_a: BrandAccount, team_a: Team) -> Grant:
    return Grant.objects.create(organisation=owner.organisation, account=account_a, permission="draft", team=team_a)


# --------------------------------------------------------------------------- teams


def test_team_page_links_to_the_confirmation(client_for: ClientFor, owner: Member, team_a: Team) -> None:
    html = client_for(owner).get(f"/o/kopi/teams/{team_a.public_id}/").content.decode()
    assert f'href="/o/kopi/teams/{team_a.public_id}/delete/"' in html


def test_confirmation_lists_the_grants_that_disappear(
    client_for: ClientFor, owner: Member, team_a: Team, team_grant: Grant
) -> None:
    response = client_for(owner).get(f"/o/kopi/teams/{team_a.public_id}/delete/")
    assert response.status_code == 200
    html = response.content.decode()
    grants = html.split('data-testid="team-grants"', 1)[1].split("</ul>", 1)[0]
    assert "@kopinusantara" in grants
    assert "Draf" in grants or "Draft" in grants
    assert "Budi" in html  # the members who leave the team
    # Looking is not deleting.
    assert Team.objects.filter(pk=team_a.pk).exists()


def test_delete_team_removes_it_with_its_grants_and_is_audited(
    client_for: ClientFor, owner: Member, speaker: Member, account_a: BrandAccount, team_a: Team, team_grant: Grant
) -> None:
    assert eligibility(speaker, "draft", account_a).via == ["team:Humas"]
    response = client_for(owner).post(f"/o/kopi/teams/{team_a.public_id}/delete/")
    assert response.status_code == 302
    assert response["Location"] == "/o/kopi/teams/"
    assert not Team.objects.filter(pk=team_a.pk).exists()
    assert not Grant.objects.filter(pk=team_grant.pk).exists()
    assert not TeamMembership.objects.filter(member=speaker).exists()
    assert Member.objects.get(pk=speaker.pk).is_active  # members only leave the team
    assert not eligibility(speaker, "draft", account_a).allowed
    event = AuditEvent.objects.get(action="team.delete", object_id=str(team_a.public_id))
    assert event.actor_id == owner.user_id
    assert event.before is not None
    assert event.before["grants"] == [{"account": "@kopinusantara", "permission": "draft"}]
    assert event.before["members"] == ["budi"]
    assert verify_chain() == []


def test_confirmation_warns_about_approval_steps_naming_the_team(
    client_for: ClientFor, owner: Member, account_a: BrandAccount, team_a: Team
) -> None:
    from juru.publishing.models import ApprovalChain, ChainStep

    chain = ApprovalChain.objects.create(organisation=owner.organisation, account=account_a)
    step = ChainStep.objects.create(chain=chain, name="Tinjauan humas")
    step.teams.add(team_a)
    html = client_for(owner).get(f"/o/kopi/teams/{team_a.public_id}/delete/").content.decode()
    assert "Tinjauan humas" in html
    client_for(owner).post(f"/o/kopi/teams/{team_a.public_id}/delete/")
    assert not step.teams.exists()


def test_viewer_cannot_see_or_use_team_delete(client_for: ClientFor, viewer: Member, team_a: Team) -> None:
    client = client_for(viewer)
    assert client.get(f"/o/kopi/teams/{team_a.public_id}/delete/").status_code == 404
    assert client.post(f"/o/kopi/teams/{team_a.public_id}/delete/").status_code == 404
    assert Team.objects.filter(pk=team_a.pk).exists()
    assert "/delete/" not in client.get(f"/o/kopi/teams/{team_a.public_id}/").content.decode()


def test_other_organisations_team_cannot_be_deleted(client_for: ClientFor, owner: Member, team_b: Team) -> None:
    assert client_for(owner).post(f"/o/kopi/teams/{team_b.public_id}/delete/").status_code == 404
    assert Team.objects.filter(pk=team_b.pk).exists()


# --------------------------------------------------------------------------- brand accounts


def test_deactivate_confirmation_then_reactivate(
    client_for: ClientFor, owner: Member, speaker: Member, account_a: BrandAccount
) -> None:
    grant = Grant.objects.create(organisation=owner.organisation, account=account_a, permission="draft", member=speaker)
    account_a.credentials = {"token": "rahasia"}
    account_a.save()
    client = client_for(owner)
    url = f"/o/kopi/accounts/{account_a.public_id}/deactivate/"
    assert url in client.get("/o/kopi/accounts/").content.decode()

    confirmation = client.get(url)
    assert confirmation.status_code == 200
    assert 'data-testid="account-deactivate"' in confirmation.content.decode()
    assert BrandAccount.objects.get(pk=account_a.pk).is_active

    assert client.post(url)["Location"] == "/o/kopi/accounts/"
    account_a.refresh_from_db()
    assert not account_a.is_active
    assert "account_inactive" in eligibility(speaker, "draft", account_a).codes
    # Kept: grants, credentials and the audit trail.
    assert Grant.objects.filter(pk=grant.pk).exists()
    assert account_a.credentials == {"token": "rahasia"}
    event = AuditEvent.objects.filter(action="account.update", object_id=str(account_a.public_id)).latest("seq")
    assert event.before is not None
    assert event.after is not None
    assert (event.before["is_active"], event.after["is_active"]) == (True, False)

    # The list now offers reactivation; the confirmation page does too.
    reactivate = f"/o/kopi/accounts/{account_a.public_id}/reactivate/"
    assert reactivate in client.get("/o/kopi/accounts/").content.decode()
    assert 'data-testid="account-reactivate"' in client.get(url).content.decode()
    assert client.post(reactivate)["Location"] == "/o/kopi/accounts/"
    account_a.refresh_from_db()
    assert account_a.is_active
    assert eligibility(speaker, "draft", account_a).allowed
    assert AuditEvent.objects.filter(action="account.update", object_id=str(account_a.public_id)).count() == 2
    assert verify_chain() == []


def test_deactivating_twice_writes_one_event(client_for: ClientFor, owner: Member, account_a: BrandAccount) -> None:
    client = client_for(owner)
    url = f"/o/kopi/accounts/{account_a.public_id}/deactivate/"
    client.post(url)
    client.post(url)
    assert AuditEvent.objects.filter(action="account.update", object_id=str(account_a.public_id)).count() == 1


def test_viewer_cannot_deactivate_or_reactivate(
    client_for: ClientFor, owner: Member, viewer: Member, account_a: BrandAccount
) -> None:
    client = client_for(viewer)
    assert client.get(f"/o/kopi/accounts/{account_a.public_id}/deactivate/").status_code == 404
    assert client.post(f"/o/kopi/accounts/{account_a.public_id}/deactivate/").status_code == 404
    assert BrandAccount.objects.get(pk=account_a.pk).is_active
    BrandAccount.objects.filter(pk=account_a.pk).update(is_active=False)
    assert client.post(f"/o/kopi/accounts/{account_a.public_id}/reactivate/").status_code == 404
    assert not BrandAccount.objects.get(pk=account_a.pk).is_active


def test_other_organisations_account_cannot_be_deactivated(
    client_for: ClientFor, owner: Member, account_b: BrandAccount
) -> None:
    assert client_for(owner).post(f"/o/kopi/accounts/{account_b.public_id}/deactivate/").status_code == 404
    assert BrandAccount.objects.get(pk=account_b.pk).is_active


@pytest.mark.parametrize(("lang", "word"), [("id", "Ringkasan"), ("en", "Overview")])
def test_confirmation_pages_render_in_both_languages(
    client_for: ClientFor, owner: Member, team_a: Team, account_a: BrandAccount, lang: str, word: str
) -> None:
    client = client_for(owner)
    client.cookies["juru_language"] = lang
    urls = [f"/o/kopi/teams/{team_a.public_id}/delete/", f"/o/kopi/accounts/{account_a.public_id}/deactivate/"]
    BrandAccount.objects.create(organisation=owner.organisation, network="sandbox", handle="@mati", is_active=False)
    urls.append("/o/kopi/accounts/")  # with the reactivate button
    for url in urls:
        html = client.get(url).content.decode()
        assert f'<html lang="{lang}">' in html
        assert word in html
