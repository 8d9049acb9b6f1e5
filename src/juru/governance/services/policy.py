"""Policy writes: the draft an owner edits, publishing it as a new version, and members signing it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from juru.accounts.models import Member, Organisation
from juru.audit.services import record
from juru.governance.exceptions import InvalidPolicyConfigError, NoDraftError, NotCurrentPolicyError, StaleEditError
from juru.governance.models import PolicySignoff, PolicyVersion
from juru.governance.queries import current_policy, draft_seed, policy_draft
from juru.governance.services.common import Actor
from juru.rules.config import OrgConfig

MAX_GRACE_DAYS = 365


def policy_revision(config: OrgConfig) -> str:
    """The policy revision: hash of the enabled rule packs and the organisation config."""
    from juru.rules.engine import policy_revision as revision_of
    from juru.rules.engine import resolve_packs

    try:
        return revision_of(resolve_packs(config), config)
    except Exception as exc:  # unknown pack ids and malformed packs both arrive here
        raise InvalidPolicyConfigError(str(exc)) from None


def _checked(organisation: Organisation, title: str, body_id: str, body_en: str, config: Mapping[str, Any]) -> str:
    """The revision the texts and config would have; ``InvalidPolicyConfigError`` if they are not usable.

    It is the revision every scan under this version carries (``queries.current_org_config``).
    """
    if "document" in config:
        raise InvalidPolicyConfigError(_("The rule configuration may not set the document digest."))
    document = PolicyVersion(title=title.strip(), body_id=body_id, body_en=body_en).text_digest()
    try:
        parsed = OrgConfig.from_mapping({"name": organisation.name, **config, "document": document})
    except ValueError as exc:
        raise InvalidPolicyConfigError(str(exc)) from None
    if not title.strip() or not body_id.strip() or not body_en.strip():
        raise InvalidPolicyConfigError(_("A policy needs a title and text in Indonesian and English."))
    return policy_revision(parsed)


@transaction.atomic
def start_policy_draft(*, actor: Actor, organisation: Organisation) -> PolicyVersion:
    """The draft to edit: the open one, or a new one copied from the current version (or the template)."""
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()  # one draft at a time
    draft = policy_draft(organisation)
    if draft is not None:
        return draft
    current = current_policy(organisation)
    draft = draft_seed(organisation)
    draft.save()
    record(
        action="policy.draft",
        actor=actor,
        organisation=organisation,
        obj=draft,
        after={"number": draft.number, "from": current.number if current else "template"},
    )
    return draft


@transaction.atomic
def save_policy_draft(
    *, actor: Actor, draft: PolicyVersion, title: str, body_id: str, body_en: str, config: Mapping[str, Any],
    edit_serial: int,
) -> PolicyVersion:  # fmt: skip
    """Save the draft; refused with ``StaleEditError`` if someone saved it since ``edit_serial`` was read."""
    if draft.is_published:
        raise NoDraftError(_("This version is already published; open the editor again for a new draft."))
    _checked(draft.organisation, title, body_id, body_en, config)
    changed = PolicyVersion.objects.filter(pk=draft.pk, published_at__isnull=True, edit_serial=edit_serial).update(
        title=title.strip(), body_id=body_id, body_en=body_en, config=dict(config), edit_serial=F("edit_serial") + 1,
        updated_at=timezone.now(),
    )  # fmt: skip
    if not changed:
        raise StaleEditError(
            _("Someone else changed this draft while you were editing it. Your text is kept below; "
              "reload the draft to see their changes, then apply yours again.")
        )  # fmt: skip
    draft.refresh_from_db()
    record(
        action="policy.save_draft",
        actor=actor,
        organisation=draft.organisation,
        obj=draft,
        after={"number": draft.number, "title": draft.title, "hash": draft.content_hash()},
    )
    return draft


@transaction.atomic
def publish_policy_draft(
    *, actor: Actor, draft: PolicyVersion, edit_serial: int, material: bool, grace_days: int = 14,
    change_note: str = "",
) -> PolicyVersion:  # fmt: skip
    """Publish the draft the publisher reviewed (``edit_serial``) as the new current version.

    A material version must be signed again within ``grace_days``; the first version is always
    material and due at once (nobody has signed anything before it).
    """
    locked = PolicyVersion.objects.select_for_update().filter(pk=draft.pk).first()
    if locked is None or locked.is_published:
        raise NoDraftError(_("This draft was published or removed meanwhile."))
    if locked.edit_serial != edit_serial:
        raise StaleEditError(_("The draft changed after you reviewed it. Review the changes again before publishing."))
    if not 0 <= grace_days <= MAX_GRACE_DAYS:
        raise InvalidPolicyConfigError(_("The days to sign again must be between 0 and 365."))
    revision = _checked(locked.organisation, locked.title, locked.body_id, locked.body_en, locked.config)
    first = current_policy(locked.organisation) is None
    now = timezone.now()
    locked.material = material or first
    locked.grace_days = 0 if first else grace_days
    locked.sign_by = now + timedelta(days=locked.grace_days) if locked.material else None
    locked.change_note = change_note.strip()
    locked.revision = revision
    locked.published_at = now
    locked.published_by_id = actor.pk if actor is not None else None
    locked.save()
    record(
        action="policy.publish",
        actor=actor,
        organisation=locked.organisation,
        obj=locked,
        after={"number": locked.number, "title": locked.title, "revision": revision, "hash": locked.content_hash(),
               "material": locked.material, "sign_by": locked.sign_by, "change_note": locked.change_note},
    )  # fmt: skip
    return locked


def publish_policy_version(
    *, actor: Actor, organisation: Organisation, title: str, body_id: str, body_en: str,
    config: Mapping[str, Any] | None = None, material: bool = True, grace_days: int = 0,
) -> PolicyVersion:  # fmt: skip
    """Write and publish a version in one step (the demo, imports); by default everyone signs it at once.

    It goes through the open draft, if any, replacing its text.
    """
    with transaction.atomic():
        _checked(organisation, title, body_id, body_en, dict(config or {}))
        draft = start_policy_draft(actor=actor, organisation=organisation)
        draft = save_policy_draft(
            actor=actor, draft=draft, title=title, body_id=body_id, body_en=body_en, config=dict(config or {}),
            edit_serial=draft.edit_serial,
        )  # fmt: skip
        return publish_policy_draft(
            actor=actor, draft=draft, edit_serial=draft.edit_serial, material=material, grace_days=grace_days
        )


@transaction.atomic
def sign_policy(
    *, actor: Actor, member: Member, policy_version: PolicyVersion | None = None, full_name: str = "",
    ip_address: str | None = None,
) -> PolicySignoff:  # fmt: skip
    """The member signs the current policy version (signing again is a no-op).

    Refused with ``NotCurrentPolicyError`` when ``policy_version`` is no longer current, e.g. a new
    version was published while the member was reading the old one.
    """
    current = current_policy(member.organisation)
    version = policy_version or current
    if version is None or current is None or version.pk != current.pk:
        raise NotCurrentPolicyError(_("Only the current policy version can be signed."))
    signoff, created = PolicySignoff.objects.get_or_create(
        member=member,
        policy_version=version,
        defaults={
            "organisation": member.organisation,
            "version_hash": version.content_hash(),
            "full_name": full_name.strip(),
            "ip_address": ip_address or None,
        },
    )
    if created:
        record(
            action="policy.sign",
            actor=actor,
            organisation=member.organisation,
            obj=version,
            after={"member": member.user.get_username(), "version": version.number, "hash": signoff.version_hash,
                   "full_name": signoff.full_name, "ip": signoff.ip_address},
        )  # fmt: skip
    return signoff
