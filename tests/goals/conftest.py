"""Goals fixtures: the shared personas, a brand account, a team, and a month of activity (November 2026)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from juru.accounts.models import BrandAccount, Member, Organisation, Team, TeamMembership
from tests import factories as base
from tests.goals.factories import mention, published, violation
from tests.personas import (  # noqa: F401  (fixtures)
    account,
    fast_password_hashing,
    org,
    other_org,
    outsider,
    owner,
    spokesperson,
    viewer,
)

MONTH = date(2026, 11, 1)


def at(day: int, hour: int = 10, month: date = MONTH) -> datetime:
    """A moment in the test month, in the project's time zone."""
    return timezone.make_aware(datetime(month.year, month.month, day, hour))


@pytest.fixture
def team(org: Organisation, spokesperson: Member) -> Team:  # noqa: F811
    team = base.make_team(org, "Humas", "pr")
    TeamMembership.objects.create(team=team, member=spokesperson)
    return team


@pytest.fixture
def activity(org: Organisation, owner: Member, spokesperson: Member, account: BrandAccount) -> None:  # noqa: F811
    """November 2026: four posts (one lead, one reply), mentions 2 positive / 1 neutral / 1 negative,
    one flagged draft, one violation; plus a post and a mention in October that must not count."""
    published(spokesperson, account, at(3), function="marketing", waited=timedelta(hours=1))
    published(spokesperson, account, at(10), function="marketing", waited=timedelta(hours=3), verdict="warn")
    published(owner, account, at(12), function="lead_generation", campaign="Katering Kantor", waited=timedelta(hours=5))
    published(owner, account, at(20), function="lead_generation", waited=timedelta(hours=9), review_round=2)
    published(owner, account, at(21), reply_to="komentar-1")  # a reply from the inbox: not a post
    published(spokesperson, account, at(31, month=date(2026, 10, 1)), function="marketing")
    for day, sentiment in [(2, "positive"), (5, "positive"), (9, "neutral"), (15, "negative")]:
        mention(org, at(day), sentiment)
    mention(org, at(30, month=date(2026, 10, 1)), "negative")
    violation(spokesperson, at(18), opened_by=owner)
