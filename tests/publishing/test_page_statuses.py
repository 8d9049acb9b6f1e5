"""Pages never contradict themselves: a blocked or approved draft is not "waiting for approval"."""

from __future__ import annotations

import re

import pytest

from juru.publishing import services
from juru.publishing.models import Draft
from tests.publishing.conftest import Cast
from tests.publishing.test_views import client_for, url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_scanner")]

LANGS = [("en", "Waiting for approval"), ("id", "Menunggu persetujuan")]


def _page(cast: Cast, member: object, path: str, lang: str) -> str:
    client = client_for(member)  # type: ignore[arg-type]
    client.cookies["juru_language"] = lang
    return client.get(path).content.decode()


def _approved(cast: Cast) -> Draft:
    draft = services.submit_draft(
        services.create_draft(actor=cast.author, accounts=[cast.brand], text="Selamat pagi"), actor=cast.author
    )
    return services.approve_draft(draft, actor=cast.pr1)


@pytest.mark.parametrize(("lang", "waiting"), LANGS)
def test_a_blocked_draft_is_not_waiting_and_offers_no_submit(cast: Cast, lang: str, waiting: str) -> None:
    draft = services.create_draft(actor=cast.author, accounts=[cast.brand], text="Angka BLOCKME bocor")
    detail = url(cast, f"drafts/{draft.public_id}/")
    html = _page(cast, cast.author, detail, lang)
    assert f">{waiting}<" not in html
    assert 'data-testid="submit"' not in html
    assert 'data-testid="blocked-note"' in html
    for path in (url(cast), url(cast, "approvals/"), url(cast, "queue/")):
        assert f">{waiting}<" not in _page(cast, cast.author, path, lang)


@pytest.mark.parametrize(("lang", "waiting"), LANGS)
def test_an_approved_draft_is_not_waiting(cast: Cast, lang: str, waiting: str) -> None:
    draft = _approved(cast)
    assert draft.state == "approved"
    html = _page(cast, cast.author, url(cast, f"drafts/{draft.public_id}/"), lang)
    assert f">{waiting}<" not in html
    assert 'data-testid="schedule-form"' in html


def test_a_draft_in_review_is_waiting(cast: Cast) -> None:
    draft = services.submit_draft(
        services.create_draft(actor=cast.author, accounts=[cast.brand], text="Selamat pagi"), actor=cast.author
    )
    html = _page(cast, cast.author, url(cast, f"drafts/{draft.public_id}/"), "id")
    assert ">Menunggu persetujuan<" in html


@pytest.mark.parametrize("lang", ["en", "id"])
def test_no_heading_or_list_repeats_a_word(cast: Cast, lang: str) -> None:
    draft = services.create_draft(actor=cast.author, accounts=[cast.brand], text="Angka BLOCKME bocor")
    pages = [
        _page(cast, cast.author, url(cast, f"drafts/{draft.public_id}/"), lang),
        _page(cast, cast.owner, f"/o/acme/accounts/{cast.brand.public_id}/grants/", lang),
        _page(cast, cast.owner, url(cast, f"chains/{cast.brand.public_id}/"), lang),
    ]
    for html in pages:
        visible = re.sub(r"<[^>]+>", " ", html)
        assert not re.search(r"\b(Draf|Draft|Tim|Team|team|tim)\s+\1\b", visible)


def test_one_severity_has_one_colour(cast: Cast) -> None:
    # BLOCKME is critical/block, LEGALME high/require_approval: each badge is coloured by severity only.
    draft = services.create_draft(actor=cast.author, accounts=[cast.brand], text="BLOCKME dan LEGALME dan REVIEWME")
    html = _page(cast, cast.author, url(cast, f"drafts/{draft.public_id}/"), "en")
    badges = re.findall(r'<span class="([^"]*)" data-severity="(\w+)"', html)
    assert {severity for _cls, severity in badges} == {"critical", "high", "medium"}
    for cls, severity in badges:
        assert cls == f"badge severity severity-{severity}"
