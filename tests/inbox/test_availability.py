"""Each colleague's availability on the inbox page: online, away or offline, their open load, and who
automatic assignment skips (the same reading as the allocator's)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from juru.inbox import presence
from juru.inbox.models import Availability, Conversation, Status, TeamInbox
from juru.inbox.services import work
from juru.listening import services as listening
from tests.inbox.conftest import incoming
from tests.inbox.test_views import client_for, url

pytestmark = pytest.mark.django_db


def crisis_team(cast: Any) -> presence.TeamAvailability:
    return next(t for t in presence.team_availability(cast.owner) if t.team == cast.teams["crisis"])


def colleague(team: presence.TeamAvailability, member: Any) -> presence.Colleague:
    return next(p for p in team.people if p.member == member)


def assign_open(cast: Any, member: Any, count: int) -> None:
    listening.store_mentions(cast.org, cast.brand, [incoming(f"load{i}", f"Keluhan nomor {i}") for i in range(count)])
    Conversation.objects.filter(organisation=cast.org).update(assignee=member, status=Status.OPEN)


def test_each_member_is_online_away_or_offline_as_assignment_sees_them(cast):
    work.set_availability(member=cast.crisis_lead, status="online")
    work.set_availability(member=cast.pr2, status="away")
    team = crisis_team(cast)
    assert colleague(team, cast.crisis_lead).presence == "online"
    assert colleague(team, cast.pr2).presence == "away"
    assert not colleague(team, cast.crisis_lead).skipped
    assert colleague(team, cast.pr2).skipped
    assert team.takers == 1
    # Online by choice, but silent for longer than the organisation allows: offline, and skipped.
    Availability.objects.filter(member=cast.crisis_lead).update(last_seen_at=timezone.now() - timedelta(hours=1))
    team = crisis_team(cast)
    assert colleague(team, cast.crisis_lead).presence == "offline"
    assert colleague(team, cast.crisis_lead).skipped
    assert team.takers == 0


def test_someone_who_never_opened_juru_is_offline(cast):
    assert colleague(crisis_team(cast), cast.pr2).presence == "offline"


def test_the_open_load_counts_and_a_member_at_the_limit_is_skipped(cast):
    work.set_availability(member=cast.crisis_lead, status="online")
    assign_open(cast, cast.crisis_lead, 2)
    TeamInbox.objects.create(team=cast.teams["crisis"], capacity=2)
    lead = colleague(crisis_team(cast), cast.crisis_lead)
    assert (lead.presence, lead.load, lead.at_capacity, lead.skipped) == ("online", 2, True, True)
    Conversation.objects.filter(organisation=cast.org).update(status=Status.RESOLVED)  # resolved work is no load
    lead = colleague(crisis_team(cast), cast.crisis_lead)
    assert (lead.load, lead.skipped) == (0, False)


def test_a_team_assigned_by_hand_takes_no_one_automatically(cast):
    work.set_availability(member=cast.crisis_lead, status="online")
    TeamInbox.objects.create(team=cast.teams["crisis"], assignment="manual")
    assert crisis_team(cast).takers == 0


def test_a_member_sees_their_own_teams_and_an_owner_sees_every_team(cast):
    mine = {t.team for t in presence.team_availability(cast.pr2)}
    assert mine == {cast.teams["crisis"], cast.teams["pr"]}
    assert {t.team for t in presence.team_availability(cast.owner)} == set(cast.teams.values())


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("id", ["Siapa yang menerima percakapan baru", "Daring", "Sedang pergi", "Luring", "Dilewati: di batas"]),
        ("en", ["Who takes new conversations", "Online", "Away", "Offline", "Skipped: at the limit"]),
    ],
)
def test_the_inbox_page_shows_every_colleague_in_both_languages(cast, lang, words):
    work.set_availability(member=cast.crisis_lead, status="online")
    work.set_availability(member=cast.pr2, status="away")
    assign_open(cast, cast.crisis_lead, 3)
    TeamInbox.objects.create(team=cast.teams["crisis"], capacity=3)
    html = client_for(cast.owner, lang).get(url("list", cast)).content.decode()
    block = html.split(f'data-testid="team-availability-{cast.teams["crisis"].public_id}"')[1].split("</table>")[0]
    lead_row = block.split(f'data-member="{cast.crisis_lead.public_id}"')[1].split("</tr>")[0]
    pr2_row = block.split(f'data-member="{cast.pr2.public_id}"')[1].split("</tr>")[0]
    assert "3 / 3" in lead_row
    assert words[4] in lead_row
    assert words[2] in pr2_row
    assert words[0] in html
    assert words[3] in html  # the other teams' members never opened Juru
