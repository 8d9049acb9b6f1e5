"""Routing rules, the crisis override, automatic assignment and the response-time clocks."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.utils import timezone

from juru.audit.models import AuditEvent
from juru.inbox import tasks
from juru.inbox.business_hours import Calendar
from juru.inbox.models import (
    AssignmentMode,
    Availability,
    Conversation,
    EventKind,
    Notification,
    Presence,
    Priority,
    Status,
)
from juru.inbox.routing import Facts, Router
from juru.inbox.services import config, deadlines, work
from juru.listening import services as listening
from tests.inbox.conftest import incoming

pytestmark = pytest.mark.django_db

JAKARTA = "Asia/Jakarta"


def _calendar(**kw) -> Calendar:
    return Calendar.build(JAKARTA, time(8), time(17), range(5), **kw)


def test_business_minutes_skip_nights_weekends_and_holidays():
    calendar = _calendar(days_off=[date(2026, 12, 25)])
    friday_evening = datetime(2026, 12, 18, 16, 30, tzinfo=calendar.zone)  # 30 minutes before closing
    assert calendar.add(friday_evening, 60) == datetime(2026, 12, 21, 8, 30, tzinfo=calendar.zone)  # Monday
    before_christmas = datetime(2026, 12, 24, 16, 0, tzinfo=calendar.zone)
    assert calendar.add(before_christmas, 120) == datetime(2026, 12, 28, 9, 0, tzinfo=calendar.zone)
    assert calendar.minutes_between(friday_evening, datetime(2026, 12, 21, 8, 30, tzinfo=calendar.zone)) == 60


def test_indonesian_holidays_and_overrides_shape_the_clock(cast):
    from juru.inbox.sla import clock_for

    now = datetime(2026, 3, 19, 10, 0, tzinfo=UTC)  # Nyepi: a public holiday, and cuti bersama the day before
    clock = clock_for(cast.org, now)
    assert not clock.calendar.is_working(date(2026, 3, 19))
    assert not clock.calendar.is_working(date(2026, 3, 18))  # cuti bersama (joint leave)
    config.add_day_override(actor=None, organisation=cast.org, day=date(2026, 3, 18), is_working_day=True, note="")
    config.add_day_override(actor=None, organisation=cast.org, day=date(2026, 3, 16), is_working_day=False, note="")
    clock = clock_for(cast.org, now)
    assert clock.calendar.is_working(date(2026, 3, 18))
    assert not clock.calendar.is_working(date(2026, 3, 16))


def _rule(cast, **values):
    defaults = {"name": "Keracunan", "words": "keracunan\nsakit perut\nbasi\nfood poisoning"}
    return config.create_rule(actor=None, organisation=cast.org, **(defaults | values))


def test_the_first_matching_rule_routes_and_sets_due_times(around_the_clock):
    cast = around_the_clock
    _rule(cast, team=cast.teams["crisis"], priority=Priority.URGENT, tags="keamanan pangan")
    _rule(cast, name="Semua", words="", team=cast.teams["pr"], priority=Priority.LOW)
    listening.store_mentions(
        cast.org, cast.brand,
        [incoming("k1", "Anak saya keracunan setelah makan nasi kotak", minutes_ago=0),
         incoming("k2", "Produknya enak sekali", author="ani", minutes_ago=0)],
    )  # fmt: skip
    urgent = Conversation.objects.get(thread_key="k1")
    other = Conversation.objects.get(thread_key="k2")
    assert (urgent.team, urgent.priority, urgent.tags) == (cast.teams["crisis"], "urgent", ["keamanan pangan"])
    assert (other.team, other.priority) == (cast.teams["pr"], "low")
    assert urgent.first_response_due_at == urgent.opened_at + timedelta(minutes=30)
    assert urgent.due_at == urgent.first_response_due_at
    assert urgent.next_check_at == urgent.due_at - timedelta(minutes=15)


def test_during_a_crisis_negative_conversations_go_to_the_crisis_team(around_the_clock):
    cast = around_the_clock
    praise = _rule(cast, name="Pujian", words="enak", team=cast.teams["pr"], priority=Priority.LOW)
    crisis_team = cast.teams["crisis"].pk
    router = Router([praise], crisis_team_id=crisis_team, crisis_active=True)
    negative = router.route(Facts(text="Tidak enak, kecewa", sentiment="negative"))
    positive = router.route(Facts(text="Enak sekali", sentiment="positive"))
    assert (negative.team_id, negative.priority, negative.crisis) == (crisis_team, Priority.HIGH, True)
    assert (positive.team_id, positive.priority, positive.crisis) == (cast.teams["pr"].pk, Priority.LOW, False)
    calm = Router([praise], crisis_team_id=crisis_team, crisis_active=False)
    assert calm.route(Facts(text="Tidak enak", sentiment="negative")).team_id == cast.teams["pr"].pk


def _online(*members):
    for member in members:
        Availability.objects.update_or_create(
            member=member, defaults={"status": Presence.ONLINE, "last_seen_at": timezone.now()}
        )


def test_least_loaded_assignment_skips_offline_people_and_hands_out_oldest_first(around_the_clock):
    cast = around_the_clock
    _rule(cast, team=cast.teams["pr"])
    _online(cast.pr1)
    Availability.objects.create(
        member=cast.pr2, status=Presence.ONLINE, last_seen_at=timezone.now() - timedelta(hours=1)
    )
    listening.store_mentions(cast.org, cast.brand, [incoming(f"a{i}", "basi", author=f"u{i}") for i in range(3)])
    assert set(Conversation.objects.values_list("assignee", flat=True)) == {cast.pr1.pk}
    config.set_team_assignment(actor=None, team=cast.teams["pr"], assignment=AssignmentMode.LEAST_LOADED, capacity=3)
    listening.store_mentions(cast.org, cast.brand, [incoming("a9", "basi", author="u9", minutes_ago=1)])
    waiting = Conversation.objects.get(thread_key="a9")
    assert waiting.assignee is None  # pr1 is full, pr2 is offline
    work.touch(cast.pr2)  # pr2 comes back: the backlog is handed out
    waiting.refresh_from_db()
    assert waiting.assignee == cast.pr2


def test_round_robin_takes_turns(around_the_clock):
    cast = around_the_clock
    _rule(cast, team=cast.teams["pr"])
    config.set_team_assignment(actor=None, team=cast.teams["pr"], assignment=AssignmentMode.ROUND_ROBIN, capacity=0)
    _online(cast.pr1, cast.pr2)
    listening.store_mentions(
        cast.org, cast.brand, [incoming(f"r{i}", "basi", author=f"u{i}", minutes_ago=10 - i) for i in range(4)]
    )
    order = [c.assignee_id for c in Conversation.objects.order_by("opened_at")]
    assert order[0] != order[1]
    assert order[2] == order[0]
    assert order[3] == order[1]


def test_warning_and_breach_are_raised_once_each_with_notices(around_the_clock):
    cast = around_the_clock
    _rule(cast, team=cast.teams["crisis"], priority=Priority.URGENT)
    listening.store_mentions(cast.org, cast.brand, [incoming("s1", "keracunan", minutes_ago=0)])
    conversation = Conversation.objects.get()
    warn_at = conversation.first_response_due_at - timedelta(minutes=15)
    assert deadlines.raise_due(cast.org.pk, warn_at - timedelta(seconds=1)) == 0
    assert deadlines.raise_due(cast.org.pk, warn_at + timedelta(seconds=1)) == 1
    assert deadlines.raise_due(cast.org.pk, warn_at + timedelta(seconds=30)) == 0
    assert deadlines.raise_due(cast.org.pk, conversation.first_response_due_at + timedelta(seconds=5)) == 1
    conversation.refresh_from_db()
    assert conversation.first_response_breached
    kinds = list(conversation.events.values_list("kind", flat=True))
    assert kinds == [EventKind.WARNING, EventKind.BREACH]
    notified = set(Notification.objects.filter(kind=EventKind.BREACH).values_list("member_id", flat=True))
    assert notified == {cast.crisis_lead.pk, cast.pr2.pk}  # the crisis team, as nobody is assigned
    assert conversation.next_check_at == conversation.resolution_due_at - timedelta(minutes=15)


def test_checks_are_scheduled_at_their_minute(around_the_clock, scheduled, django_capture_on_commit_callbacks):
    cast = around_the_clock
    with django_capture_on_commit_callbacks(execute=True):
        listening.store_mentions(cast.org, cast.brand, [incoming("t1", "halo", minutes_ago=0)])
    conversation = Conversation.objects.get()
    etas = [eta for eta, _args in scheduled]
    assert tasks._ceil_minute(conversation.next_check_at) in etas
    assert all(args == (cast.org.pk,) for _eta, args in scheduled)


def test_pending_pauses_the_clocks_and_open_resumes_them(cast):
    listening.store_mentions(cast.org, cast.brand, [incoming("p1", "halo", minutes_ago=0)])
    conversation = Conversation.objects.get()
    paused = work.set_status(actor=cast.owner, conversation=conversation, status=Status.PENDING)
    assert paused.due_at is None
    assert paused.next_check_at is None
    assert paused.first_response_left is not None
    resumed = work.set_status(actor=cast.owner, conversation=conversation, status=Status.OPEN)
    assert resumed.due_at is not None
    assert resumed.paused_at is None
    resolved = work.set_status(actor=cast.owner, conversation=conversation, status=Status.RESOLVED)
    assert resolved.due_at is None
    assert resolved.next_check_at is None
    assert resolved.resolved_at
    assert AuditEvent.objects.filter(action="inbox.status_changed").count() == 3


def test_notes_escalation_and_bad_input(cast):
    listening.store_mentions(cast.org, cast.brand, [incoming("n1", "halo")])
    conversation = Conversation.objects.get()
    from juru.inbox.exceptions import InboxError

    with pytest.raises(InboxError):
        work.add_note(actor=cast.owner, conversation=conversation, text="   ")
    with pytest.raises(InboxError):
        work.escalate(actor=cast.owner, conversation=conversation, reason="", team=cast.teams["legal"])
    with pytest.raises(InboxError):
        work.escalate(actor=cast.owner, conversation=conversation, reason="Ancaman gugatan")
    work.add_note(actor=cast.owner, conversation=conversation, text="Cek nomor pesanan dulu")
    work.escalate(actor=cast.owner, conversation=conversation, reason="Ancaman gugatan", team=cast.teams["legal"])
    conversation.refresh_from_db()
    assert conversation.team == cast.teams["legal"]
    escalated = conversation.events.get(kind=EventKind.ESCALATED)
    assert escalated.text == "Ancaman gugatan"
    assert Notification.objects.filter(member=cast.legal, kind=EventKind.ESCALATED).exists()
    assert AuditEvent.objects.filter(action="inbox.escalated").exists()
    assert AuditEvent.objects.filter(action="inbox.note_added").exists()


def test_rules_refuse_bad_input_and_keep_order(cast):
    from juru.inbox.exceptions import InboxError

    with pytest.raises(InboxError):
        _rule(cast, name="")
    with pytest.raises(InboxError):
        _rule(cast, team=None, priority="")  # a rule must do something
    with pytest.raises(InboxError):
        _rule(cast, priority="sangat")
    first = _rule(cast, name="A", priority=Priority.HIGH)
    second = _rule(cast, name="B", priority=Priority.LOW)
    config.move_rule(actor=None, rule=second, direction="up")
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.position < first.position
    with pytest.raises(InboxError):
        config.move_rule(actor=None, rule=second, direction="up")
