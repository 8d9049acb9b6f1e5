"""Employee advocacy: the library, one-click shares with the disclosures the check requires, the pause."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from juru.accounts.models import AccountType, Grant, Permission
from juru.advocacy import services
from juru.advocacy.exceptions import AdvocacyError, AdvocacyPausedError, AlreadySharedError, NotYourAccountError
from juru.advocacy.models import AdvocacyItem, Share
from juru.audit.models import AuditEvent
from juru.publishing import services as publishing
from juru.publishing.models import DraftChannel, DraftState, PostState, ScanDecision
from juru.publishing.services import publish as publish_services
from tests.publishing.conftest import Cast

pytestmark = pytest.mark.django_db

LAUNCH = "Menu baru Nusantara Rasa: rendang kotak untuk makan siang kantor, tersedia mulai Senin."


def _item(cast: Cast) -> AdvocacyItem:
    cast.org.refresh_from_db()
    return services.add_item(actor=cast.pr1, title="Rendang kotak", text=LAUNCH)


def _hits(decision: ScanDecision) -> set[str]:
    return {hit["rule"] for hit in decision.hits}


@pytest.mark.parametrize("lang", ["id", "en"])
def test_one_click_share_carries_both_disclosures_and_goes_out_once(cast: Cast, sandbox: Any, lang: str) -> None:
    item = _item(cast)
    share = services.share_item(actor=cast.employee, item=item, account=cast.personal, text="", lang=lang)
    draft = share.draft
    assert draft.channel == DraftChannel.SHARE
    assert draft.state == DraftState.SCHEDULED
    assert cast.org.name in draft.text
    decision = ScanDecision.objects.filter(draft=draft).latest("pk")
    assert decision.context["channel"] == "share"
    assert not _hits(decision) & {"core.share-disclaimer", "core.share-employment"}
    for _ in range(2):
        for pk in publishing.claim_due_posts():
            publish_services.publish_post(pk)
    assert draft.posts.get().state == PostState.PUBLISHED
    assert [p.text for p in sandbox.timeline(cast.personal.handle)] == [draft.text]


def test_a_share_without_the_employment_disclosure_is_held_as_a_draft(cast: Cast, sandbox: Any) -> None:
    item = _item(cast)
    share = services.share_item(
        actor=cast.employee, item=item, account=cast.personal, text=LAUNCH + " Pendapat pribadi.", lang="id"
    )
    share.draft.refresh_from_db()
    assert share.draft.state == DraftState.DRAFT
    decision = ScanDecision.objects.filter(draft=share.draft).latest("pk")
    assert decision.verdict == "block"
    assert "core.share-employment" in _hits(decision)
    assert sandbox.timeline(cast.personal.handle) == []
    assert Share.objects.filter(pk=share.pk).exists()  # the attempt is kept, to finish on the draft page


def test_the_same_words_as_an_ordinary_personal_post_need_no_employment_line(cast: Cast) -> None:
    draft = publishing.create_draft(actor=cast.employee, accounts=[cast.personal], text=LAUNCH + " Pendapat pribadi.")
    decision = ScanDecision.objects.get(draft=draft)
    assert "core.share-employment" not in _hits(decision)


def test_sharing_pauses_during_a_crisis(cast: Cast, client_for: Any) -> None:
    item = _item(cast)
    cast.org.crisis_active = True
    cast.org.save(update_fields=["crisis_active"])
    cast.employee.organisation.refresh_from_db()
    with pytest.raises(AdvocacyPausedError):
        services.share_item(actor=cast.employee, item=item, account=cast.personal, text="", lang="id")
    page = client_for(cast.employee).get(f"/o/acme/advocacy/items/{item.public_id}/share/").content.decode()
    assert 'data-testid="advocacy-paused"' in page
    assert not Share.objects.exists()


def test_only_your_own_personal_account_and_only_once(cast: Cast, sandbox: Any) -> None:
    item = _item(cast)
    with pytest.raises(NotYourAccountError):
        services.share_item(actor=cast.author, item=item, account=cast.personal, text="", lang="id")
    with pytest.raises(NotYourAccountError):
        services.share_item(actor=cast.employee, item=item, account=cast.brand, text="", lang="id")
    services.share_item(actor=cast.employee, item=item, account=cast.personal, text="", lang="id")
    with pytest.raises(AlreadySharedError):
        services.share_item(actor=cast.employee, item=item, account=cast.personal, text="", lang="id")


def test_withdrawn_items_cannot_be_shared(cast: Cast) -> None:
    item = _item(cast)
    services.set_item_available(actor=cast.pr1, item=item, available=False)
    with pytest.raises(AdvocacyError):
        services.share_item(actor=cast.employee, item=item, account=cast.personal, text="", lang="id")


def test_curators_keep_the_library_and_a_hand_written_item_must_pass_the_check(cast: Cast) -> None:
    with pytest.raises(AdvocacyError):
        services.add_item(actor=cast.employee, title="x", text=LAUNCH)  # a contributor outside PR and marketing
    with pytest.raises(AdvocacyError):
        services.add_item(actor=cast.pr1, title="Pesanan", text="Hubungi Pak Budi di 0812-3456-7890 untuk pesanan.")
    with pytest.raises(AdvocacyError):
        services.add_item(actor=cast.pr1, title="", text=LAUNCH)
    item = services.add_item(actor=cast.pr1, title="Rendang kotak", text=LAUNCH)
    assert AuditEvent.objects.filter(action="advocacy.item_added", object_id=str(item.public_id)).count() == 1


def test_an_item_from_a_published_brand_post_keeps_its_link(cast: Cast, sandbox: Any) -> None:
    draft = publishing.create_draft(actor=cast.author, accounts=[cast.brand], text=LAUNCH)
    draft.posts.update(state=PostState.PUBLISHED, url="https://sandbox.example/p/1")
    post = draft.posts.get()
    item = services.add_item(actor=cast.pr1, title="Dari unggahan", text=post.body, source_post=post)
    assert item.link == "https://sandbox.example/p/1"


def test_employees_register_their_own_personal_account_and_may_connect_only_it(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.employee)
    response = client.post("/o/acme/advocacy/accounts/", {"network": "sandbox", "handle": "@sari_pribadi"})
    account = cast.org.brand_accounts.get(handle="@sari_pribadi")
    assert account.account_type == AccountType.PERSONAL
    assert account.owner_member == cast.employee
    assert Grant.objects.filter(account=account, member=cast.employee, permission=Permission.PUBLISH).exists()
    assert response["Location"] == f"/o/acme/accounts/{account.public_id}/connect/"
    assert client.get(response["Location"]).status_code == 200
    assert client.get(f"/o/acme/accounts/{cast.brand.public_id}/connect/").status_code == 404


@pytest.mark.parametrize(
    ("lang", "heading", "disclosure"),
    [("id", "Advokasi karyawan", "saya bekerja di"), ("en", "Employee advocacy", "I work for")],
)
def test_library_and_share_pages_in_both_languages(
    cast: Cast, client_for: Any, lang: str, heading: str, disclosure: str
) -> None:
    item = _item(cast)
    client: Client = client_for(cast.employee)
    client.cookies["juru_language"] = lang
    library = client.get("/o/acme/advocacy/").content.decode()
    assert heading in library
    assert "Rendang kotak" in library
    share_page = client.get(f"/o/acme/advocacy/items/{item.public_id}/share/").content.decode()
    assert disclosure in share_page
    response = client.post(
        f"/o/acme/advocacy/items/{item.public_id}/share/",
        {"account": str(cast.personal.public_id), "text": services.share_text(item, cast.employee, lang)},
    )
    assert response.status_code == 302
    assert Share.objects.get().draft.state == DraftState.SCHEDULED


def test_a_colleague_cannot_share_from_someone_elses_account_through_the_page(cast: Cast, client_for: Any) -> None:
    item = _item(cast)
    response = client_for(cast.author).post(
        f"/o/acme/advocacy/items/{item.public_id}/share/", {"account": str(cast.personal.public_id), "text": LAUNCH}
    )
    assert response.status_code == 200
    assert not Share.objects.exists()
