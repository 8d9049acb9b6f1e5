"""Publishing pages: the live check with highlights, apply-fix, detail actions, lists and 404s."""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from juru.accounts.models import Member
from juru.publishing import services
from juru.publishing.models import Draft, DraftState, PostState
from tests.publishing.conftest import Cast, build_cast
from tests.web.conftest import english_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_scanner")]


def client_for(member: Member) -> Client:
    client = english_client()
    client.force_login(member.user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=member.user).persistent_id
    session.save()
    return client


def url(cast: Cast, rest: str = "") -> str:
    return f"/o/{cast.org.slug}/publishing/{rest}"


def test_check_highlights_each_hit_with_escaped_text(cast: Cast) -> None:
    response = client_for(cast.author).post(
        url(cast, "check/"), {"text": "<b>🙂</b> WARNME", "accounts": [cast.brand.pk]}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "&lt;b&gt;🙂&lt;/b&gt; " in html
    assert "<b>" not in html
    assert 'class="hit hit-warn"' in html
    assert ">WARNME</mark>" in html
    assert "message core.tone" in html
    assert "Test 1/2026" in html
    assert "left" in html  # the live counter


def test_check_shows_the_network_counter_going_negative(cast: Cast) -> None:
    html = client_for(cast.author).post(url(cast, "check/"), {"text": "a" * 505, "accounts": [cast.brand.pk]}).content
    assert b"counter over" in html
    assert b"-5" in html


def test_apply_fix_moves_a_phone_number_to_a_private_channel(cast: Cast) -> None:
    client = client_for(cast.author)
    response = client.post(
        url(cast, "check/fix/"),
        {"text": "Hubungi 0812-3456-7890 ya", "start": 8, "end": 22, "span": "0812-3456-7890", "entity": "PHONE"},
    )
    assert "Hubungi lewat pesan pribadi (DM) ya" in response.content.decode()
    stale = client.post(url(cast, "check/fix/"), {"text": "Teks lain", "start": 0, "end": 4, "span": "Hubu"})
    assert "Teks lain" in stale.content.decode()
    assert "error" in stale["HX-Trigger"]


def test_editor_creates_a_draft_and_detail_shows_highlights(cast: Cast) -> None:
    client = client_for(cast.author)
    assert client.get(url(cast, "new/")).status_code == 200
    response = client.post(url(cast, "new/"), {"accounts": [cast.brand.pk], "text": "Halo WARNME"})
    draft = Draft.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/drafts/{draft.public_id}/")
    page = client.get(response["Location"]).content.decode()
    assert ">WARNME</mark>" in page
    assert 'name="acknowledge"' in page


def test_editor_shows_the_limit_error(cast: Cast) -> None:
    response = client_for(cast.author).post(url(cast, "new/"), {"accounts": [cast.brand.pk], "text": "a" * 600})
    assert response.status_code == 200
    assert "500" in response.content.decode()
    assert not Draft.objects.exists()


def test_submit_approve_schedule_through_the_pages(cast: Cast) -> None:
    draft = services.create_draft(actor=cast.author, accounts=[cast.brand], text="Halo")
    author, approver = client_for(cast.author), client_for(cast.pr1)
    author.post(url(cast, f"drafts/{draft.public_id}/submit/"))
    page = approver.get(url(cast, "approvals/")).content.decode()
    assert str(draft.public_id) in page
    approver.post(url(cast, f"drafts/{draft.public_id}/decide/"), {"decision": "approve", "version": 1, "step": 0})
    draft.refresh_from_db()
    assert draft.state == DraftState.APPROVED
    detail = author.get(url(cast, f"drafts/{draft.public_id}/")).content.decode()
    assert "acme_id · sandbox · Brand account" in detail  # the target is shown before publishing
    author.post(url(cast, f"drafts/{draft.public_id}/schedule/"), {})
    draft.refresh_from_db()
    assert draft.state == DraftState.APPROVED  # not confirmed: nothing scheduled
    author.post(url(cast, f"drafts/{draft.public_id}/schedule/"), {"confirm": [str(cast.brand.public_id)]})
    draft.refresh_from_db()
    assert draft.state == DraftState.SCHEDULED
    assert draft.posts.get().state == PostState.SCHEDULED
    assert "acme_id" in author.get(url(cast, "queue/")).content.decode()


def test_author_sees_no_decision_form_on_own_draft(cast: Cast) -> None:
    draft = services.submit_draft(
        services.create_draft(actor=cast.author, accounts=[cast.brand], text="Halo"), actor=cast.author
    )
    assert (
        'data-testid="decide-form"'
        not in client_for(cast.author).get(url(cast, f"drafts/{draft.public_id}/")).content.decode()
    )
    client_for(cast.author).post(url(cast, f"drafts/{draft.public_id}/decide/"), {"decision": "approve", "version": 1})
    draft.refresh_from_db()
    assert draft.state == DraftState.IN_REVIEW


def test_calendar_places_drafts_on_their_day(cast: Cast) -> None:
    from datetime import timedelta

    from django.utils import timezone

    when = timezone.now() + timedelta(days=2)
    services.create_draft(actor=cast.author, accounts=[cast.brand], text="Kalender", scheduled_for=when)
    local = timezone.localtime(when)
    page = client_for(cast.author).get(url(cast, f"calendar/?month={local:%Y-%m}")).content.decode()
    assert "Kalender" in page
    assert client_for(cast.author).get(url(cast, "calendar/?month=bogus")).status_code == 200


def test_chain_editor_adds_and_removes_steps(cast: Cast) -> None:
    client = client_for(cast.owner)
    page = url(cast, f"chains/{cast.brand.public_id}/")
    client.post(page, {"op": "add", "name": "PR", "mode": "any", "teams": [cast.teams["pr"].pk]})
    client.post(page, {"op": "add", "name": "Kepatuhan", "mode": "all", "roles": ["owner"]})
    assert [s.name for s in cast.brand.approval_chain.steps.all()] == ["PR", "Kepatuhan"]
    client.post(page, {"op": "up", "index": 1})
    assert [s.name for s in cast.brand.approval_chain.steps.all()] == ["Kepatuhan", "PR"]
    client.post(page, {"op": "remove", "index": 0})
    assert [s.name for s in cast.brand.approval_chain.steps.all()] == ["PR"]
    assert client_for(cast.author).post(page, {"op": "remove", "index": 0}).status_code == 404


def test_pages_list_drafts_and_decisions(cast: Cast) -> None:
    draft = services.create_draft(actor=cast.author, accounts=[cast.brand], text="Halo USLEGAL")
    client = client_for(cast.author)
    assert "Halo USLEGAL" in client.get(url(cast)).content.decode()
    rows = client.get(url(cast, "?state=draft"), HTTP_HX_REQUEST="true").content.decode()
    assert "Halo USLEGAL" in rows
    assert "<html" not in rows
    decision = draft.decisions.first()
    why = client.get(url(cast, f"decisions/{decision.public_id}/")).content.decode()
    assert "sha256:test" in why
    assert "us-ftc.disclosure" in why


def test_other_organisation_gets_404(cast: Cast) -> None:
    other = build_cast("globex")
    draft = services.create_draft(actor=cast.author, accounts=[cast.brand], text="Halo")
    outsider = client_for(other.owner)
    assert outsider.get(url(cast)).status_code == 404
    assert outsider.get(f"/o/globex/publishing/drafts/{draft.public_id}/").status_code == 404
    assert outsider.post(f"/o/globex/publishing/drafts/{draft.public_id}/cancel/").status_code == 404
    assert outsider.get(f"/o/globex/publishing/chains/{cast.brand.public_id}/").status_code == 404


def test_anonymous_is_sent_to_login(cast: Cast) -> None:
    response = Client().get(url(cast))
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize(
    ("lang", "words", "absent"),
    [
        (
            "id",
            ["Diperiksa saat draf disimpan", "Jenis akun", "Akun merek", "Mode krisis"],
            ["require_approval", '"channel"'],
        ),
        (
            "en",
            ["Checked when the draft was saved", "Account type", "Brand account", "Crisis mode"],
            ["require_approval", '"channel"'],
        ),
    ],
)
def test_why_this_verdict_reads_as_sentences_in_both_languages(
    cast: Cast, lang: str, words: list[str], absent: list[str]
) -> None:
    draft = services.create_draft(actor=cast.author, accounts=[cast.brand], text="Halo USLEGAL")
    client = client_for(cast.author)
    client.cookies["juru_language"] = lang
    why = client.get(url(cast, f"decisions/{draft.decisions.first().public_id}/")).content.decode()
    for word in words:
        assert word in why
    for code in absent:
        assert code not in why.split('data-testid="technical-details"')[0]  # codes only in the technical part
