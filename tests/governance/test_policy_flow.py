"""Policy drafts, publishing, material versions with a grace period, and what eligibility makes of them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from juru.accounts.access import eligibility, eligibility_matrix
from juru.accounts.models import BrandAccount, Member, Organisation
from juru.audit.models import AuditEvent
from juru.governance import queries, services
from juru.governance.exceptions import InvalidPolicyConfigError, NoDraftError, NotCurrentPolicyError, StaleEditError
from juru.governance.models import PolicyVersion
from tests import factories
from tests.governance.conftest import MoveClock

pytestmark = pytest.mark.django_db


def _edit(draft: PolicyVersion, **changes: object) -> PolicyVersion:
    fields = {"title": draft.title, "body_id": draft.body_id, "body_en": draft.body_en, "config": draft.config}
    return services.save_policy_draft(actor=None, draft=draft, edit_serial=draft.edit_serial, **(fields | changes))


def _publish(draft: PolicyVersion, material: bool, grace_days: int = 14, actor: Any = None) -> PolicyVersion:
    return services.publish_policy_draft(
        actor=actor, draft=draft, edit_serial=draft.edit_serial, material=material, grace_days=grace_days
    )


def _codes(member: Member, account: BrandAccount) -> list[str]:
    """Eligibility codes on both paths (one member, and the matrix), which must agree."""
    one = eligibility(member, "publish", account).codes
    many = eligibility_matrix(member.organisation, [member], [account], ["publish"])[(member, account, "publish")]
    assert one == many.codes
    return one


def test_first_draft_starts_from_the_bilingual_template(owner: Member) -> None:
    draft = services.start_policy_draft(actor=owner.user, organisation=owner.organisation)
    assert draft.number == 1
    assert not draft.is_published
    assert "Kerahasiaan" in draft.body_id
    assert "Confidentiality" in draft.body_en
    assert owner.organisation.name in draft.body_id
    assert services.start_policy_draft(actor=owner.user, organisation=owner.organisation).pk == draft.pk
    assert AuditEvent.objects.filter(action="policy.draft").count() == 1


def test_first_version_is_material_and_due_at_once(owner: Member) -> None:
    draft = services.start_policy_draft(actor=owner.user, organisation=owner.organisation)
    version = _publish(draft, material=False, grace_days=30, actor=owner.user)
    assert version.material
    assert version.sign_by == version.published_at
    assert version.published_by_id == owner.user.pk
    assert queries.required_policy_number(owner.organisation) == 1


def test_next_draft_copies_the_current_version_and_publishing_changes_the_revision(owner: Member) -> None:
    first = factories.publish_policy(owner.organisation)
    draft = services.start_policy_draft(actor=None, organisation=owner.organisation)
    assert (draft.number, draft.body_id) == (2, first.body_id)
    draft = _edit(draft, config={"competitor_names": ["Rasa Prima"]})
    second = _publish(draft, material=False)
    assert second.revision != first.revision
    assert queries.current_org_config(owner.organisation).competitor_names == ("Rasa Prima",)
    diff = queries.version_diff(second)
    assert diff.old == first
    assert [(c.key, c.added) for c in diff.config] == [("competitor_names", ["Rasa Prima"])]


def test_a_version_that_changes_only_the_text_gets_a_new_revision_that_every_scan_carries(owner: Member) -> None:
    from juru.publishing.scanning import scan_text
    from juru.scan.findings import ScanContext

    first = factories.publish_policy(owner.organisation)
    first_scan = scan_text(queries.current_org_config(owner.organisation), "Halo semua", ScanContext())
    assert first_scan.revision == first.revision
    draft = services.start_policy_draft(actor=None, organisation=owner.organisation)
    second = _publish(_edit(draft, body_en=draft.body_en + "\n\nBe kind."), material=False)
    assert second.config == first.config
    assert second.revision != first.revision
    second_scan = scan_text(queries.current_org_config(owner.organisation), "Halo semua", ScanContext())
    assert second_scan.revision == second.revision


def test_the_rule_configuration_cannot_set_the_document_digest(owner: Member) -> None:
    draft = services.start_policy_draft(actor=None, organisation=owner.organisation)
    with pytest.raises(InvalidPolicyConfigError, match="ringkasan dokumen"):
        _edit(draft, config={"document": "sha256:palsu"})


def test_two_people_saving_the_same_draft_the_second_is_refused(owner: Member, admin_member: Member) -> None:
    draft = services.start_policy_draft(actor=owner.user, organisation=owner.organisation)
    seen_by_admin = draft.edit_serial
    _edit(draft, title="Versi pemilik")
    with pytest.raises(StaleEditError):
        services.save_policy_draft(
            actor=admin_member.user, draft=draft, title="Versi admin", body_id="x", body_en="y", config={},
            edit_serial=seen_by_admin,
        )  # fmt: skip
    draft.refresh_from_db()
    assert draft.title == "Versi pemilik"


def test_publishing_what_was_not_reviewed_is_refused(owner: Member) -> None:
    draft = services.start_policy_draft(actor=None, organisation=owner.organisation)
    reviewed = draft.edit_serial
    _edit(draft, title="Diubah setelah ditinjau")
    with pytest.raises(StaleEditError):
        services.publish_policy_draft(actor=None, draft=draft, edit_serial=reviewed, material=True)
    assert queries.current_policy(owner.organisation) is None


def test_a_published_version_cannot_be_saved_or_published_again(owner: Member) -> None:
    draft = services.start_policy_draft(actor=None, organisation=owner.organisation)
    version = _publish(draft, material=True)
    with pytest.raises(NoDraftError):
        _edit(version, title="x")
    with pytest.raises(NoDraftError):
        _publish(version, material=True)


@pytest.mark.parametrize("grace_days", [-1, 366])
def test_grace_period_out_of_range_is_refused(owner: Member, grace_days: int) -> None:
    factories.publish_policy(owner.organisation)
    draft = services.start_policy_draft(actor=None, organisation=owner.organisation)
    with pytest.raises(InvalidPolicyConfigError):
        _publish(draft, material=True, grace_days=grace_days)


def test_unknown_rule_pack_in_a_draft_is_refused(owner: Member) -> None:
    draft = services.start_policy_draft(actor=None, organisation=owner.organisation)
    with pytest.raises(InvalidPolicyConfigError):
        _edit(draft, config={"enabled_packs": ["core", "tidak-ada"]})


def test_material_version_leaves_a_grace_period_then_eligibility_lapses(
    spokesperson: Member, account: BrandAccount, move_clock: MoveClock
) -> None:
    factories.make_eligible(spokesperson, account)
    assert _codes(spokesperson, account) == []
    draft = services.start_policy_draft(actor=None, organisation=spokesperson.organisation)
    version = _publish(_edit(draft, body_id="Isi baru."), material=True, grace_days=14)
    state = queries.sign_state(spokesperson)
    assert state.needs_signature
    assert state.counts
    assert state.due_by == version.sign_by
    assert _codes(spokesperson, account) == []  # still inside the grace period
    assert [t.kind for t in queries.member_todos(spokesperson)] == ["sign"]
    move_clock(timedelta(days=14, minutes=1))
    assert _codes(spokesperson, account) == ["policy_not_signed"]
    services.sign_policy(actor=None, member=spokesperson)
    assert _codes(spokesperson, account) == []


def test_a_version_that_is_not_material_keeps_earlier_signatures(spokesperson: Member, account: BrandAccount) -> None:
    factories.make_eligible(spokesperson, account)
    draft = services.start_policy_draft(actor=None, organisation=spokesperson.organisation)
    _publish(_edit(draft, body_en="Typo fixed."), material=False)
    assert queries.sign_state(spokesperson).needs_signature
    assert queries.sign_state(spokesperson).due_by is None
    assert _codes(spokesperson, account) == []


def test_material_version_published_mid_signature_refuses_the_old_one(spokesperson: Member) -> None:
    reading = factories.publish_policy(spokesperson.organisation)
    factories.publish_policy(spokesperson.organisation)
    with pytest.raises(NotCurrentPolicyError):
        services.sign_policy(actor=None, member=spokesperson, policy_version=reading)


def test_signature_keeps_name_ip_and_hash(spokesperson: Member) -> None:
    version = factories.publish_policy(spokesperson.organisation)
    signoff = services.sign_policy(
        actor=spokesperson.user, member=spokesperson, full_name=" Sari ", ip_address="203.0.113.9"
    )
    assert (signoff.full_name, signoff.ip_address, signoff.version_hash) == (
        "Sari",
        "203.0.113.9",
        version.content_hash(),
    )
    event = AuditEvent.objects.get(action="policy.sign")
    assert event.after["ip"] == "203.0.113.9"


def test_status_lists_who_has_not_signed(owner: Member, spokesperson: Member, org: Organisation) -> None:
    factories.publish_policy(org)
    services.sign_policy(actor=None, member=owner)
    rows = {row.member.pk: row.signed for row in queries.organisation_status(org)}
    assert rows == {owner.pk: True, spokesperson.pk: False}
