"""Finding 5: verify names every tampered row in time linear in the rows, and checkpoints catch a cut tail."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection

from juru.accounts.models import Organisation
from juru.audit.checkpoints import read_checkpoints, trusted_keys, write_checkpoint
from juru.audit.models import AuditEvent
from juru.audit.services import record
from juru.audit.verify import verify_chain
from tests.conftest import on_postgres

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def checkpoint_file(settings: Any, tmp_path: Path) -> Path:
    settings.AUDIT_CHECKPOINT_FILE = str(tmp_path / "checkpoints.jsonl")
    return tmp_path / "checkpoints.jsonl"


def append(org: Organisation, count: int, actor: User | None = None) -> None:
    for i in range(count):
        record(action="test.event", actor=actor, organisation=org, after={"i": i}, summary=f"#{i}")


def sql(statement: str, *params: object) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def named(problems: list[Any]) -> set[tuple[int, str]]:
    return {(p.seq, p.kind) for p in problems}


def checkpoints(path: Path) -> list[Any]:
    found, errors = read_checkpoints(path, trusted_keys())
    assert not errors
    return found


def test_a_renumbered_row_is_named_without_building_a_huge_list(org: Organisation) -> None:
    append(org, 6)
    sql("UPDATE audit_auditevent SET seq = %s WHERE seq = %s", 100_000_000, 3)
    problems = verify_chain()
    assert (100_000_000, "edited") in named(problems)
    assert (3, "deleted") in named(problems)
    assert len(problems) < 10


def test_a_long_gap_is_one_named_range(org: Organisation) -> None:
    append(org, 3)
    last = AuditEvent.objects.count()
    sql("UPDATE audit_chainhead SET seq = %s", 50_000_000)
    problems = [p for p in verify_chain() if p.kind == "deleted"]
    assert len(problems) == 1
    assert f"events {last + 1} to 50000000 are missing" in str(problems[0])


# PostgreSQL's column types refuse most junk; SQLite stores whatever raw SQL writes.
MALFORMED: list[tuple[str, object]] = [("hash_version", 7)]
if not on_postgres():
    MALFORMED += [("created_at", "not a time"), ("seq", "abc"), ("created_at", 12)]


@pytest.mark.parametrize(("column", "value"), MALFORMED)
def test_a_malformed_value_names_its_row_instead_of_crashing(org: Organisation, column: str, value: object) -> None:
    append(org, 4)
    target = AuditEvent.objects.get(seq=2).pk
    sql(f"UPDATE audit_auditevent SET {column} = %s WHERE id = %s", value, target)  # noqa: S608  # test-only names
    problems = verify_chain()
    assert any(p.row == target and p.kind in {"malformed", "edited"} for p in problems), problems


def test_pointing_an_event_at_another_user_is_detected(org: Organisation) -> None:
    alice = User.objects.create_user("alice-audit")
    mallory = User.objects.create_user("mallory-audit")
    append(org, 3, actor=alice)
    sql("UPDATE audit_auditevent SET actor_id = %s WHERE seq = %s", mallory.pk, 2)
    assert named(verify_chain()) == {(2, "edited")}


def test_deleting_a_user_is_not_tampering(org: Organisation) -> None:
    alice = User.objects.create_user("alice-gone")
    append(org, 2, actor=alice)
    alice.delete()
    assert verify_chain() == []


def test_a_reordered_pair_is_named(org: Organisation) -> None:
    append(org, 5)
    sql("UPDATE audit_auditevent SET seq = %s WHERE seq = %s", 1000, 2)
    sql("UPDATE audit_auditevent SET seq = %s WHERE seq = %s", 2, 3)
    sql("UPDATE audit_auditevent SET seq = %s WHERE seq = %s", 3, 1000)
    problems = named(verify_chain())
    assert {2, 3} <= {seq for seq, _kind in problems}


def test_a_cut_tail_with_a_rewritten_head_is_caught_by_the_checkpoint(org: Organisation, checkpoint_file: Path) -> None:
    append(org, 8)
    last = AuditEvent.objects.count()
    assert write_checkpoint() is not None
    survivor = AuditEvent.objects.get(seq=last - 3)
    sql("DELETE FROM audit_auditevent WHERE seq > %s", survivor.seq)
    sql("UPDATE audit_chainhead SET seq = %s, hash = %s", survivor.seq, survivor.hash)
    assert verify_chain() == []  # the database alone cannot tell
    problems = named(verify_chain(checkpoints(checkpoint_file)))
    assert problems == {(last - 2, "deleted"), (last - 1, "deleted"), (last, "deleted")}


def test_an_edited_event_under_a_checkpoint_is_named(org: Organisation, checkpoint_file: Path) -> None:
    append(org, 4)
    write_checkpoint()
    head = AuditEvent.objects.order_by("seq").last()
    assert head is not None
    sql("UPDATE audit_auditevent SET summary = %s WHERE seq = %s", "rewritten", head.seq)
    sql("UPDATE audit_auditevent SET hash = %s WHERE seq = %s", "f" * 64, head.seq)
    assert (head.seq, "edited") in named(verify_chain(checkpoints(checkpoint_file)))


def test_a_forged_checkpoint_is_refused_and_verify_fails(org: Organisation, checkpoint_file: Path) -> None:
    append(org, 2)
    write_checkpoint()
    last = AuditEvent.objects.count()
    line = checkpoint_file.read_text().replace(f'"seq": {last}', f'"seq": {last - 1}')
    checkpoint_file.write_text(line)
    found, errors = read_checkpoints(checkpoint_file, trusted_keys())
    assert found == []
    assert "signature" in errors[0]
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit", "verify")
    assert exit_info.value.code == 1


def test_checkpoint_is_written_once_per_new_head(org: Organisation, checkpoint_file: Path) -> None:
    append(org, 2)
    first = AuditEvent.objects.count()
    assert write_checkpoint() is not None
    assert write_checkpoint() is None
    append(org, 1)
    assert write_checkpoint() is not None
    assert [c.seq for c in checkpoints(checkpoint_file)] == [first, first + 1]


def test_verify_command_checks_the_checkpoints(org: Organisation, capsys: Any) -> None:
    append(org, 3)
    call_command("audit", "checkpoint")
    call_command("audit", "verify")
    assert "1 checkpoint(s) checked" in capsys.readouterr().out
