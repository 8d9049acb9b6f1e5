"""Who on each team takes new conversations now: online, away or offline, and their open load.

The same reading of availability as automatic assignment (``Availability.is_online``): a
member is online when they chose "online" and were active within ``offline_after_minutes``;
"away" is their own choice; "online" but silent for longer is offline. A lead reads here who the
next conversation can go to and who it will skip.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count
from django.utils import timezone

from juru.accounts import access
from juru.accounts.models import Member, OrgAction, Team, TeamMembership
from juru.inbox import sla
from juru.inbox.models import AssignmentMode, Availability, Conversation, Presence, Status, TeamInbox

OFFLINE = "offline"


@dataclass(frozen=True)
class Colleague:
    """One team member as automatic assignment sees them."""

    member: Member
    presence: str  # "online", "away" or "offline"
    load: int  # open and pending conversations assigned to them, in every team
    is_lead: bool
    at_capacity: bool

    @property
    def skipped(self) -> bool:
        """Whether automatic assignment passes them over now."""
        return self.presence != Presence.ONLINE or self.at_capacity


@dataclass(frozen=True)
class TeamAvailability:
    """One team: how it hands out conversations, its limit per person, and its members."""

    team: Team
    mode: str
    capacity: int  # 0: no limit
    people: list[Colleague]

    @property
    def takers(self) -> int:
        """How many members automatic assignment can give a new conversation to."""
        return 0 if self.mode == AssignmentMode.MANUAL else sum(not person.skipped for person in self.people)


def visible_teams(member: Member) -> list[Team]:
    """Every team for those who manage teams, else the member's own teams (each with its inbox setting)."""
    teams = Team.objects.filter(organisation=member.organisation).select_related("inbox")
    if not access.role_can(member, OrgAction.MANAGE_TEAMS):
        teams = teams.filter(memberships__member=member)
    return list(teams.distinct().order_by("name"))


def _is_online(availability: Availability | None, cutoff: datetime) -> bool:
    return availability is not None and availability.is_online(cutoff)


def _presence(availability: Availability | None, cutoff: datetime) -> str:
    if _is_online(availability, cutoff):
        return Presence.ONLINE
    return Presence.AWAY if availability is not None and availability.status == Presence.AWAY else OFFLINE


def _inbox_of(team: Team) -> TeamInbox | None:
    try:
        return team.inbox
    except TeamInbox.DoesNotExist:
        return None


def team_availability(member: Member, offline_after: int | None = None) -> list[TeamAvailability]:
    """The availability of every colleague on the teams the member sees, in three queries.

    ``offline_after`` is the organisation's setting in minutes, when the caller has read it already.
    """
    teams = visible_teams(member)
    if not teams:
        return []
    organisation = member.organisation
    if offline_after is None:
        offline_after = sla.inbox_settings(organisation).offline_after_minutes
    cutoff = timezone.now() - timedelta(minutes=offline_after)
    memberships = sorted(
        TeamMembership.objects.filter(team__in=teams, member__is_active=True).select_related(
            "member__user", "member__availability"
        ),
        key=lambda m: (not m.is_lead, m.member.display_name.casefold()),
    )
    people = {m.member_id for m in memberships}
    load = dict(
        Conversation.objects.filter(
            organisation=organisation, assignee_id__in=people, status__in=[Status.OPEN, Status.PENDING]
        )
        .values_list("assignee_id")
        .annotate(n=Count("*"))  # no column: the assignee index alone answers (an index-only scan)
        .values_list("assignee_id", "n")
    )
    by_team: dict[int, list[TeamMembership]] = defaultdict(list)
    for membership in memberships:
        by_team[membership.team_id].append(membership)
    found = []
    for team in teams:
        row = _inbox_of(team)
        capacity = row.capacity if row else 0  # as the allocator counts it: no settings, no limit
        colleagues = [
            Colleague(
                member=m.member, presence=_presence(_availability_of(m.member), cutoff),
                load=load.get(m.member_id, 0), is_lead=m.is_lead,
                at_capacity=bool(capacity) and load.get(m.member_id, 0) >= capacity,
            )
            for m in by_team[team.pk]
        ]  # fmt: skip
        found.append(
            TeamAvailability(team, row.assignment if row else AssignmentMode.LEAST_LOADED, capacity, colleagues)
        )
    return found


def _availability_of(member: Member) -> Availability | None:
    try:
        return member.availability
    except Availability.DoesNotExist:
        return None
