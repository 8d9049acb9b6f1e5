"""Goals test data: objectives, targets and pilots through the services; past activity as rows."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from juru.accounts.models import BrandAccount, Member, Organisation, Team
from juru.goals import services
from juru.governance.models import ViolationCase, ViolationSource
from juru.listening.models import Mention
from juru.publishing.models import Draft, DraftState, Post, PostState


def goals_objects(org: Organisation, team: Team) -> dict[str, Any]:
    """An objective with one target and a pilot of ``org`` (the tenancy tests' objects)."""
    objective = services.create_objective(
        actor=None, organisation=org, function="marketing", title="Peluncuran sambal",
        period_start=date(2026, 10, 1), period_end=date(2026, 12, 31),
    )  # fmt: skip
    target = services.set_target(actor=None, objective=objective, kpi="posts_published", value=Decimal(20))
    pilot = services.save_pilot(
        actor=None, organisation=org, name="Pilot Humas", team=team, start=date(2026, 10, 5), end=date(2026, 11, 15)
    )
    return {"objective": objective, "target": target, "pilot": pilot}


def published(
    author: Member,
    account: BrandAccount,
    when: datetime,
    *,
    function: str = "",
    campaign: str = "",
    waited: timedelta = timedelta(hours=2),
    verdict: str = "allow",
    review_round: int = 1,
    reply_to: str = "",
) -> Post:
    """A draft that was submitted ``waited`` before its approval at ``when`` and published then."""
    draft = Draft.objects.create(
        organisation=author.organisation, author=author, text="Sambal baru kami sudah hadir!", campaign=campaign,
        business_function=function, state=DraftState.PUBLISHED, verdict=verdict, review_round=review_round,
        submitted_at=when - waited, approved_at=when,
    )  # fmt: skip
    Draft.objects.filter(pk=draft.pk).update(created_at=when - waited)
    return Post.objects.create(
        organisation=author.organisation, draft=draft, account=account, state=PostState.PUBLISHED,
        idempotency_key=uuid.uuid4().hex, published_at=when, reply_to=reply_to,
    )  # fmt: skip


def mention(org: Organisation, when: datetime, sentiment: str, text: str = "Sambalnya enak") -> Mention:
    return Mention.objects.create(
        organisation=org, network="sandbox", remote_id=uuid.uuid4().hex, author_handle="pelanggan",
        text=text, lang="id", sentiment=sentiment, created_at=when, batch=uuid.uuid4(),
    )  # fmt: skip


def violation(member: Member, when: datetime, opened_by: Member) -> ViolationCase:
    case = ViolationCase.objects.create(
        organisation=member.organisation,
        member=member,
        reason="Menyebut nama pesaing",
        opened_by=opened_by,
        source=ViolationSource.MANUAL,
    )
    ViolationCase.objects.filter(pk=case.pk).update(created_at=when)
    return case
