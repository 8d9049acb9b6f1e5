"""Test data built through the services, so fixtures keep the same invariants as real use."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from juru.accounts import services
from juru.accounts.models import BrandAccount, Member, Organisation, Role, Team
from juru.governance import services as governance
from juru.governance.models import PolicyVersion, TrainingModule
from juru.governance.queries import current_policy

POLICY_TEXT = {"title": "Kebijakan media sosial", "body_id": "Isi kebijakan.", "body_en": "Policy text."}


def make_org(slug: str = "acme", name: str = "") -> Organisation:
    """An organisation with nothing in it."""
    return services.create_organisation(actor=None, name=name or slug.title(), slug=slug)


def make_member(org: Organisation, username: str, role: str = Role.SPOKESPERSON) -> Member:
    """A member with a usable password (the username followed by ``-pass-123``)."""
    return services.create_member(
        actor=None, organisation=org, username=username, role=role, password=f"{username}-pass-123"
    )


def make_account(org: Organisation, handle: str = "@brand", **kwargs: Any) -> BrandAccount:
    """A sandbox brand account."""
    return services.create_brand_account(actor=None, organisation=org, network="sandbox", handle=handle, **kwargs)


def make_team(org: Organisation, name: str, kind: str = "other") -> Team:
    """A team."""
    return services.create_team(actor=None, organisation=org, name=name, kind=kind)


def enrol_totp(user: User) -> TOTPDevice:
    """Enrol and confirm an authenticator, as a person would."""
    enrolment = services.start_totp_enrolment(actor=user)
    device = enrolment.device
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return services.confirm_totp_enrolment(actor=user, device=device, token=f"{code:0{device.digits}d}")


def publish_policy(org: Organisation, **config: Any) -> PolicyVersion:
    """Publish a (new) policy version with optional org config."""
    return governance.publish_policy_version(actor=None, organisation=org, config=config, **POLICY_TEXT)


def required_module(org: Organisation, code: str = "medsos-101") -> TrainingModule:
    """A required training module (pass mark 80)."""
    module = TrainingModule.objects.filter(organisation=org, code=code).first()
    return module or governance.create_training_module(
        actor=None, organisation=org, code=code, title_id="Dasar media sosial", title_en="Social media basics"
    )


def make_eligible(member: Member, account: BrandAccount, permission: str = "publish") -> Member:
    """Everything eligibility asks for: grant, 2FA, current policy signed, required training passed."""
    services.set_grant(actor=None, account=account, permission=permission, member=member)
    if not services.has_two_factor(member.user):
        enrol_totp(member.user)
    policy = current_policy(member.organisation) or publish_policy(member.organisation)
    governance.sign_policy(actor=member.user, member=member, policy_version=policy)
    for module in TrainingModule.objects.filter(organisation=member.organisation, required=True):
        governance.record_training_completion(actor=member.user, member=member, module=module, score=100)
    return member
