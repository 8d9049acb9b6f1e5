"""The overview shows what needs the member, each item linking to the page that resolves it."""

from __future__ import annotations

import pytest

from juru.publishing import scanning, services
from tests.listening.factories import listening_objects
from tests.publishing.conftest import Cast, build_cast, fake_scan_text
from tests.publishing.test_views import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(monkeypatch: pytest.MonkeyPatch) -> Cast:
    """The publishing cast (acme) with the marker-based scanner."""
    monkeypatch.setattr(scanning, "scan_text", fake_scan_text)
    return build_cast("acme")


def _overview(cast: Cast, member: object, lang: str) -> str:
    client = client_for(member)  # type: ignore[arg-type]
    client.cookies["juru_language"] = lang
    return client.get(f"/o/{cast.org.slug}/").content.decode()


@pytest.mark.parametrize(
    ("lang", "waiting", "returned", "alerts"),
    [
        ("en", "1 draft awaits your approval", "Your drafts sent back with changes requested", "1 open alert"),
        (
            "id",
            "1 draf menunggu persetujuan Anda",
            "Draf Anda yang dikembalikan dengan permintaan perubahan",
            "1 peringatan terbuka",
        ),
    ],
)
def test_approvals_returned_drafts_and_alerts_are_listed_with_links(
    cast: Cast, lang: str, waiting: str, returned: str, alerts: str
) -> None:
    services.configure_default_chains(cast.org, cast.owner)
    waiting_draft = services.submit_draft(
        services.create_draft(actor=cast.author, accounts=[cast.brand], text="Promo kopi susu"), actor=cast.author
    )
    sent_back = services.submit_draft(
        services.create_draft(actor=cast.author, accounts=[cast.brand], text="Menu baru sore ini"), actor=cast.author
    )
    services.request_changes(sent_back, actor=cast.pr1, comment="Sebutkan harga")
    _query, alert = listening_objects(cast.org, cast.brand)

    html = _overview(cast, cast.pr1, lang)
    assert waiting in html
    assert f"/o/acme/publishing/drafts/{waiting_draft.public_id}/" in html
    assert alerts in html
    assert f"/o/acme/listening/alerts/{alert.public_id}/" in html
    assert returned not in html  # pr1 wrote nothing

    html = _overview(cast, cast.author, lang)
    assert returned in html
    assert f"/o/acme/publishing/drafts/{sent_back.public_id}/" in html
    assert "Sebutkan harga" in html
    assert waiting not in html  # nobody approves their own draft


def test_nothing_waiting_says_so(cast: Cast) -> None:
    html = _overview(cast, cast.employee, "en")
    assert 'data-testid="nothing-waiting"' in html
