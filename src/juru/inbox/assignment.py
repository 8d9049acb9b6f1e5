"""Automatic assignment within a team: round-robin or least-loaded, among members who are online.

A member is online when they chose "online" and were active in the last ``offline_after_minutes``
(``Availability.last_seen_at``). Nobody online, or everyone at the team's capacity: the conversation
waits unassigned, and the backlog is handed out oldest first when someone comes online or a
conversation is resolved. Loads are counted once and kept in memory, so a burst of thousands of
conversations costs a handful of queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db.models import Count

from juru.accounts.models import Organisation, TeamMembership
from juru.inbox.models import AssignmentMode, Availability, Conversation, Status, TeamInbox


def online_member_ids(organisation: Organisation, now: datetime, offline_after: int) -> set[int]:
    """Members of the organisation who are online now."""
    cutoff = now - timedelta(minutes=offline_after)
    return set(
        Availability.objects.filter(
            Availability.online_since(cutoff), member__organisation=organisation, member__is_active=True
        ).values_list("member_id", flat=True)
    )  # fmt: skip


class Allocator:
    """Picks assignees for conversations of the given teams; call ``save`` to keep round-robin places."""

    def __init__(self, organisation: Organisation, team_ids: Iterable[int], now: datetime, offline_after: int) -> None:
        team_ids = {t for t in team_ids if t}
        self.settings = {row.team_id: row for row in TeamInbox.objects.filter(team_id__in=team_ids)}
        online = online_member_ids(organisation, now, offline_after) if team_ids else set()
        self.members: dict[int, list[int]] = defaultdict(list)
        for team_id, member_id in (
            TeamMembership.objects.filter(team_id__in=team_ids, member_id__in=online)
            .order_by("member_id")
            .values_list("team_id", "member_id")
        ):
            self.members[team_id].append(member_id)
        people = {m for ids in self.members.values() for m in ids}
        self.load: dict[int, int] = dict.fromkeys(people, 0)
        for row in (
            Conversation.objects.filter(assignee_id__in=people, status__in=[Status.OPEN, Status.PENDING])
            .values("assignee_id")
            .annotate(n=Count("id"))
        ):
            self.load[row["assignee_id"]] = row["n"]
        self.changed: set[int] = set()

    def mode(self, team_id: int) -> str:
        row = self.settings.get(team_id)
        return row.assignment if row else AssignmentMode.LEAST_LOADED

    def _free(self, team_id: int) -> list[int]:
        row = self.settings.get(team_id)
        capacity = row.capacity if row else 0
        return [m for m in self.members.get(team_id, []) if not capacity or self.load[m] < capacity]

    def pick(self, team_id: int | None) -> int | None:
        """The member who gets the next conversation of ``team_id`` (None: it waits)."""
        if not team_id or self.mode(team_id) == AssignmentMode.MANUAL:
            return None
        free = self._free(team_id)
        if not free:
            return None
        if self.mode(team_id) == AssignmentMode.ROUND_ROBIN:
            chosen = self._next_in_turn(team_id, free)
        else:
            chosen = min(free, key=lambda m: (self.load[m], m))
        self.load[chosen] += 1
        return chosen

    def _next_in_turn(self, team_id: int, free: list[int]) -> int:
        row = self.settings.get(team_id)
        if row is None:
            row = self.settings[team_id] = TeamInbox(team_id=team_id)
        last = row.last_assigned_id or 0
        chosen = next((m for m in free if m > last), free[0])
        row.last_assigned_id = chosen
        self.changed.add(team_id)
        return chosen

    def save(self) -> None:
        """Store the round-robin places that moved."""
        for team_id in self.changed:
            row = self.settings[team_id]
            TeamInbox.objects.update_or_create(team_id=team_id, defaults={"last_assigned_id": row.last_assigned_id})
