"""The demo end to end: ``juru sandbox traffic --scenario keracunan`` and a poll fill the crisis team's inbox."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from juru.inbox.models import Conversation, Priority, Status
from juru.listening import tasks

pytestmark = pytest.mark.django_db(transaction=True)


def test_keracunan_wave_lands_in_the_crisis_teams_inbox_as_urgent_with_due_times(demo_org, eager):
    call_command("sandbox", "traffic", "--scenario", "keracunan", "--seed", "5")
    tasks.poll_accounts()
    conversations = Conversation.objects.filter(organisation=demo_org)
    assert conversations.count() == 40
    crisis = conversations.filter(team__name="Tim Krisis", priority=Priority.URGENT, status=Status.OPEN)
    assert crisis.count() == 40  # every complaint names keracunan, sakit perut, basi or food poisoning
    assert not crisis.filter(due_at__isnull=True).exists()
    assert all(c.first_response_due_at > c.opened_at for c in crisis)
    assert all(c.tags == ["keamanan pangan"] for c in crisis)
    handed_out = set(crisis.exclude(assignee=None).values_list("assignee__user__username", flat=True))
    assert handed_out == {"owner", "spokesperson", "approver"}  # round-robin over the team members online
