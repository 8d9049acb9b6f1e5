"""The audit log reads as sentences about people, in the reader's language, for every action the code writes."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from django.contrib.auth.models import User
from django.test import Client
from django.utils import translation

from juru.accounts.models import Member, Organisation, UserPreference
from juru.audit.labels import ACTION_PHRASES, action_phrase
from juru.audit.services import record
from juru.publishing.models import ApprovalDecision, PostState
from tests.web.conftest import PASSWORD

ClientFor = Callable[[Member], Client]

SOURCE = Path(__file__).resolve().parents[2] / "src" / "juru"
AUDITED = re.compile(
    r"\"((?:publishing\.(?:draft|post|attempt|chain|attachment)|policy|training|listening|auth|2fa|member|team|"
    r"grant|token|account|accounts\.brand_account|organisation)\.[a-z0-9_]+)\""
)


def written_action_codes() -> set[str]:
    """Every literal action code in the code base, plus the ones built from choices in f-strings."""
    codes = {match for path in SOURCE.rglob("*.py") for match in AUDITED.findall(path.read_text(encoding="utf-8"))}
    codes |= {f"publishing.draft.{decision}" for decision in ApprovalDecision.values}
    codes |= {f"publishing.post.{state}" for state in PostState.values}
    return codes - {"listening.deliver_alert", "listening.poll_account", "listening.poll_accounts"}


def test_every_written_action_has_a_phrase() -> None:
    missing = written_action_codes() - set(ACTION_PHRASES)
    assert not missing


def test_phrases_are_translated_in_both_languages() -> None:
    with translation.override("id"):
        assert action_phrase("publishing.draft.approve") == "menyetujui draf"
        assert action_phrase("auth.login") == "masuk"
    with translation.override("en"):
        assert action_phrase("publishing.draft.approve") == "approved the draft"


def test_unknown_code_reads_as_words() -> None:
    with translation.override("en"):
        assert action_phrase("payments.refund_issued") == "did “payments refund issued”"


def test_log_shows_names_phrases_codes_and_explains_numbering(
    client_for: ClientFor, owner: Member, org_b: Organisation
) -> None:
    User.objects.filter(pk=owner.user_id).update(first_name="Ani", last_name="Wijaya")
    record(action="publishing.draft.approve", actor=owner.user, organisation=owner.organisation)
    record(action="auth.login_failed", actor=None, organisation=owner.organisation, actor_label="anonymous:ani")
    html = client_for(owner).get("/o/kopi/audit/").content.decode()
    assert "Ani Wijaya" in html
    assert "menyetujui draf" in html
    assert "<code>publishing.draft.approve</code>" in html
    assert "Seseorang" in html
    assert "sebagai “ani”" in html
    assert 'data-testid="audit-numbering"' in html
    assert "organisasi lain" in html


def test_log_reads_in_english_for_a_member_who_chose_it(client_for: ClientFor, owner: Member) -> None:
    UserPreference.objects.create(user=owner.user, language="en")
    record(action="auth.logout", actor=owner.user, organisation=owner.organisation)
    html = client_for(owner).get("/o/kopi/audit/").content.decode()
    assert "signed out" in html
    assert "<code>auth.logout</code>" in html
    assert "other organisations' events" in html


def test_objects_are_named_by_their_kind(client_for: ClientFor, owner: Member) -> None:
    record(action="member.add", actor=owner.user, organisation=owner.organisation, obj=owner)
    html = client_for(owner).get("/o/kopi/audit/").content.decode()
    assert 'title="accounts.member">anggota</span>' in html


def test_members_sign_ins_and_failures_read_well_in_the_organisations_log(
    client_for: ClientFor, owner: Member, viewer: Member
) -> None:
    Client().post("/login/", {"username": "vino", "password": "salah-sekali-123"})
    Client().post("/login/", {"username": "vino", "password": PASSWORD})
    html = client_for(owner).get("/o/kopi/audit/?action=auth").content.decode()
    assert "memasukkan kata sandi yang salah" in html
    assert "sebagai “vino”" in html
    assert "Vino" in html
    assert "<code>auth.login</code>" in html
