"""A cast for the publishing workflow: one organisation, its teams, accounts and eligible people."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from juru.accounts.models import AccountType, BrandAccount, ConnectionStatus, Member, Organisation, Role, Team
from juru.accounts.services import brand_accounts as account_services
from juru.accounts.services import organisations as org_services
from juru.governance.models import PolicySignoff, PolicyVersion
from juru.publishing import scanning
from juru.publishing.scanning import ScanOutcome

# Markers the fake scanner turns into hits: (rule, pack, action, severity).
MARKERS = {
    "WARNME": ("core.tone", "core", "warn", "low"),
    "REVIEWME": ("id-epi.superlative", "id-epi", "require_approval", "medium"),
    "BLOCKME": ("core.confidential", "core", "block", "critical"),
    "LEGALME": ("id-ojk.guaranteed_return", "id-ojk", "require_approval", "high"),
    "USLEGAL": ("us-ftc.disclosure", "us-ftc", "warn", "medium"),
}
ORDER = ("allow", "warn", "require_approval", "block")


def fake_scan_text(config: Any, text: str, context: Any) -> ScanOutcome:
    """A predictable scanner: each marker word yields one hit at its position."""
    hits = []
    for word, (rule, pack, action, severity) in MARKERS.items():
        start = text.find(word)
        if start >= 0:
            hits.append(
                {
                    "rule": rule,
                    "pack": pack,
                    "severity": severity,
                    "action": action,
                    "start": start,
                    "end": start + len(word),
                    "entity": "TEST",
                    "message": {"id": f"pesan {rule}", "en": f"message {rule}"},
                    "fix": {"id": "perbaiki", "en": "fix it"},
                    "citation": "Test 1/2026",
                    "verify": None,
                }
            )
    verdict = max((h["action"] for h in hits), key=ORDER.index, default="allow")
    return ScanOutcome(verdict=verdict, revision="sha256:test", lang="id", hits=hits, findings=[])


@pytest.fixture
def fake_scanner(monkeypatch: pytest.MonkeyPatch) -> None:
    """Replace the real scanner with the marker-based one."""
    monkeypatch.setattr(scanning, "scan_text", fake_scan_text)


def make_user(username: str) -> Any:
    return get_user_model().objects.create_user(username=username, password=None)


def make_eligible(member: Member, policy: PolicyVersion) -> None:
    """2FA enrolled and the current policy signed."""
    TOTPDevice.objects.create(user=member.user, name="phone", confirmed=True)
    PolicySignoff.objects.create(
        organisation=member.organisation, member=member, policy_version=policy, version_hash=policy.content_hash()
    )


@dataclass
class Cast:
    org: Organisation
    owner: Member
    author: Member
    pr1: Member
    pr2: Member
    compliance: Member
    legal: Member
    crisis_lead: Member
    employee: Member
    brand: BrandAccount
    second_brand: BrandAccount
    personal: BrandAccount
    teams: dict[str, Team]
    policy: PolicyVersion

    def member(self, name: str, role: str = Role.APPROVER, team: str | None = None) -> Member:
        """Another eligible member (optionally in one of the teams)."""
        m = org_services.add_member(actor=None, organisation=self.org, user=make_user(name), role=role)
        make_eligible(m, self.policy)
        if team:
            org_services.add_team_member(actor=None, team=self.teams[team], member=m)
        return m


def build_cast(slug: str = "acme") -> Cast:
    org = org_services.create_organisation(actor=None, name=slug.title(), slug=slug)
    policy = PolicyVersion.objects.create(
        organisation=org, number=1, title="Kebijakan", body_id="isi", body_en="body", published_at=timezone.now()
    )
    people: dict[str, Member] = {}
    for name, role in [
        ("owner", Role.OWNER),
        ("author", Role.SPOKESPERSON),
        ("pr1", Role.APPROVER),
        ("pr2", Role.APPROVER),
        ("compliance", Role.APPROVER),
        ("legal", Role.APPROVER),
        ("crisis_lead", Role.APPROVER),
        ("employee", Role.CONTRIBUTOR),
    ]:
        people[name] = org_services.add_member(
            actor=None, organisation=org, user=make_user(f"{slug}-{name}"), role=role
        )
        make_eligible(people[name], policy)
    teams = {
        kind: org_services.create_team(actor=None, organisation=org, name=kind.title(), kind=kind)
        for kind in ("pr", "compliance", "legal", "crisis")
    }
    for kind, names in {"pr": ["pr1", "pr2"], "compliance": ["compliance"], "legal": ["legal"]}.items():
        for name in names:
            org_services.add_team_member(actor=None, team=teams[kind], member=people[name])
    org_services.add_team_member(actor=None, team=teams["crisis"], member=people["crisis_lead"], is_lead=True)
    org_services.add_team_member(actor=None, team=teams["crisis"], member=people["pr2"])

    def account(handle: str, account_type: str = AccountType.BRAND, owner: Member | None = None) -> BrandAccount:
        return account_services.create_brand_account(
            actor=None,
            organisation=org,
            network="sandbox",
            handle=handle,
            account_type=account_type,
            owner_member=owner,
            connection_status=ConnectionStatus.CONNECTED,
        )

    brand, second = account(f"{slug}_id"), account(f"{slug}_care")
    personal = account(f"{slug}_employee", AccountType.PERSONAL, people["employee"])
    for acc in (brand, second):
        for perm in ("draft", "publish"):
            account_services.set_grant(actor=None, account=acc, permission=perm, member=people["author"])
        for team in teams.values():
            account_services.set_grant(actor=None, account=acc, permission="approve", team=team)
        account_services.set_grant(actor=None, account=acc, permission="approve", member=people["owner"])
    for perm in ("draft", "publish"):
        account_services.set_grant(actor=None, account=personal, permission=perm, member=people["employee"])
    for team in teams.values():
        account_services.set_grant(actor=None, account=personal, permission="approve", team=team)
    return Cast(org=org, brand=brand, second_brand=second, personal=personal, teams=teams, policy=policy, **people)


@pytest.fixture
def cast(db: Any) -> Cast:
    """The acme organisation, ready to draft, approve and publish."""
    return build_cast("acme")


@pytest.fixture
def sandbox(tmp_path: Any) -> Any:
    """A private sandbox network serving every ``sandbox`` account in the test."""
    from juru.connectors import registry
    from juru.connectors.sandbox import SandboxConnector, SandboxStore

    store = SandboxStore(tmp_path / "sandbox.sqlite3")
    with registry.substitute("sandbox", lambda **options: SandboxConnector(store=store)):
        yield store


@pytest.fixture
def network() -> Any:
    """A scriptable network (``tests.publishing.network.Network``) serving every ``sandbox`` account."""
    from juru.connectors import registry
    from tests.publishing.network import Network

    net = Network()
    with registry.substitute("sandbox", lambda **options: net):
        yield net


# The real Bluesky server (marker ``bluesky``) for the end-to-end publishing tests, shared with the
# connector tests: re-exported so pytest finds the fixtures from this folder too.
from tests.connectors.conftest import bsky_account, bsky_pds  # noqa: E402, F401
