"""The draft form offers only the accounts its author may speak for, and a refusal names the account."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from juru.accounts.models import Permission, Role
from juru.accounts.queries import accounts_to_draft_for
from juru.accounts.services import brand_accounts as account_services
from juru.publishing import services
from juru.publishing.exceptions import InvalidInputError
from juru.publishing.models import Draft
from tests.publishing.conftest import Cast
from tests.publishing.test_views import client_for, url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_scanner")]


def test_the_form_lists_only_accounts_with_a_draft_or_publish_grant(cast: Cast) -> None:
    html = client_for(cast.author).get(url(cast, "new/")).content.decode()
    assert "acme_id" in html
    assert "acme_care" in html
    assert "acme_employee" not in html  # another person's personal account
    html = client_for(cast.employee).get(url(cast, "new/")).content.decode()
    assert "acme_employee" in html
    assert "acme_id" not in html


def test_a_team_grant_counts_and_the_list_is_one_query(cast: Cast) -> None:
    account_services.set_grant(actor=None, account=cast.personal, permission=Permission.DRAFT, team=cast.teams["pr"])
    with CaptureQueriesContext(connection) as queries:
        handles = sorted(a.handle for a in accounts_to_draft_for(cast.pr1))
    assert handles == ["acme_employee"]
    assert len(queries) == 1


def test_an_approve_grant_alone_offers_nothing(cast: Cast) -> None:
    assert not accounts_to_draft_for(cast.pr1).exists()


@pytest.mark.parametrize(
    ("lang", "refused", "reason"),
    [
        ("en", "acme_id (sandbox) is not open to you:", "No grant for this permission"),
        ("id", "acme_id (sandbox) belum terbuka untuk Anda:", "Tidak ada izin"),
    ],
)
def test_a_save_refusal_names_the_account_and_the_reason(cast: Cast, lang: str, refused: str, reason: str) -> None:
    writer = cast.member("wulan", role=Role.SPOKESPERSON)
    grant = account_services.set_grant(actor=None, account=cast.brand, permission=Permission.DRAFT, member=writer)
    client = client_for(writer)
    client.cookies["juru_language"] = lang
    assert "acme_id" in client.get(url(cast, "new/")).content.decode()
    grant.delete()  # revoked while the form was open
    response = client.post(url(cast, "new/"), {"accounts": [cast.brand.pk], "text": "Promo kopi susu"})
    html = response.content.decode()
    assert response.status_code == 200
    assert refused in html
    assert reason in html
    assert "Promo kopi susu" in html  # nothing typed is lost
    assert not Draft.objects.exists()


@pytest.mark.parametrize(
    ("lang", "refused"),
    [
        ("en", "acme_yt only answers comments on YouTube: choose it when replying from the inbox."),
        ("id", "acme_yt hanya menjawab komentar di YouTube: pilih akun ini saat membalas dari kotak masuk."),
    ],
)
def test_a_channel_that_only_answers_comments_is_not_offered_for_posts(cast: Cast, lang: str, refused: str) -> None:
    channel = account_services.create_brand_account(
        actor=None, organisation=cast.org, network="youtube", handle="acme_yt"
    )
    account_services.set_grant(actor=None, account=channel, permission=Permission.DRAFT, member=cast.author)
    client = client_for(cast.author)
    client.cookies["juru_language"] = lang
    assert "acme_yt" not in client.get(url(cast, "new/")).content.decode()
    assert client.post(url(cast, "new/"), {"accounts": [channel.pk], "text": "Promo kopi susu"}).status_code == 200
    with translation.override(lang), pytest.raises(InvalidInputError) as refusal:
        services.create_draft(actor=cast.author, accounts=[channel], text="Promo kopi susu")
    assert str(refusal.value) == refused
    assert not Draft.objects.filter(posts__account=channel).exists()
