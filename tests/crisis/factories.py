"""Crisis rows built through the services, for page tests here and in tests/web."""

from __future__ import annotations

import uuid

from django.utils import timezone

from juru.accounts.models import BrandAccount, Member
from juru.crisis import services
from juru.crisis.models import Crisis, HeldPost
from juru.publishing.models import Draft, DraftState, Post, PostState


def queued_post(member: Member, account: BrandAccount, text: str = "Promo nasi kotak hari ini!") -> Post:
    """A post already in the scheduled queue (as the workflow leaves it), due now."""
    draft = Draft.objects.create(
        organisation=member.organisation, author=member, text=text, state=DraftState.SCHEDULED, scheduled_by=member
    )
    return Post.objects.create(
        organisation=member.organisation,
        draft=draft,
        account=account,
        state=PostState.SCHEDULED,
        due_at=timezone.now(),
        idempotency_key=uuid.uuid4().hex,
    )


def crisis_objects(declarer: Member, account: BrandAccount) -> tuple[Crisis, HeldPost]:
    """An ended crisis that held one post back."""
    queued_post(declarer, account)
    crisis = services.declare_crisis(actor=declarer, severity=7, description="Keluhan keracunan nasi kotak")
    services.end_crisis(actor=declarer, crisis=crisis, summary="Klarifikasi diterbitkan.")
    return crisis, HeldPost.objects.get(crisis=crisis)
