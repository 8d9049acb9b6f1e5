"""E-mail reminders: who gets one, what it lists in both languages, and weekly repetition at most."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail

from juru.accounts.models import Member
from juru.governance import services
from juru.governance.tasks import send_governance_reminders
from tests import factories
from tests.governance.conftest import MoveClock

pytestmark = pytest.mark.django_db


def _with_email(member: Member) -> Member:
    member.user.email = f"{member.user.get_username()}@contoh.example"
    member.user.save(update_fields=["email"])
    return member


def test_members_with_open_tasks_get_one_bilingual_message(owner: Member, spokesperson: Member) -> None:
    _with_email(owner)
    _with_email(spokesperson)
    factories.publish_policy(owner.organisation)
    services.sign_policy(actor=None, member=owner)
    services.install_starter_modules(actor=None, organisation=owner.organisation)
    assert send_governance_reminders() == 2
    to_sari = next(m for m in mail.outbox if m.to == ["sari@contoh.example"])
    assert "Baca dan tanda tangani kebijakan yang berlaku" in to_sari.body
    assert "Read and sign the current policy" in to_sari.body
    assert 'Lulus pelatihan "Etika membalas komentar"' in to_sari.body
    assert 'Pass the training "Replying to comments: etiquette"' in to_sari.body
    assert "/o/nusantara/" in to_sari.body
    assert "Halo sari," in to_sari.body
    assert "Hello sari," in to_sari.body
    assert to_sari.subject == "Juru: tugas yang menunggu Anda di Nusantara"
    to_owner = next(m for m in mail.outbox if m.to == ["olivia@contoh.example"])
    assert "tanda tangani" not in to_owner.body  # the owner has signed


def test_a_task_is_repeated_weekly_until_done(spokesperson: Member, move_clock: MoveClock) -> None:
    _with_email(spokesperson)
    factories.publish_policy(spokesperson.organisation)
    assert services.send_reminders() == 1
    assert services.send_reminders() == 0
    move_clock(timedelta(days=7, minutes=1))
    assert services.send_reminders() == 1
    services.sign_policy(actor=None, member=spokesperson)
    move_clock(timedelta(days=8))
    assert services.send_reminders() == 0


def test_nobody_without_an_address_or_tasks_is_mailed(spokesperson: Member) -> None:
    factories.publish_policy(spokesperson.organisation)  # spokesperson has no e-mail address
    assert services.send_reminders() == 0
    assert mail.outbox == []
