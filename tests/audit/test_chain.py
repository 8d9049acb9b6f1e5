"""The audit log is append-only and tampering (edit, delete, reorder) is named by seq."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, connections

from juru.accounts.models import Organisation
from juru.audit.models import AuditEvent, AuditImmutableError
from juru.audit.services import record
from juru.audit.verify import verify_chain
from tests import factories

pytestmark = pytest.mark.django_db


def _append(org: Organisation, count: int) -> None:
    for i in range(count):
        record(action="test.event", actor=None, organisation=org, after={"i": i, "teks": "ñ €"}, summary=f"#{i}")


def _sql(statement: str, *params: object) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _kinds(seq: int) -> set[str]:
    return {p.kind for p in verify_chain() if p.seq == seq}


def test_fresh_chain_verifies(org: Organisation) -> None:
    _append(org, 5)
    assert verify_chain() == []


def test_events_link_to_the_previous_hash(org: Organisation) -> None:
    _append(org, 3)
    events = list(AuditEvent.objects.order_by("seq"))
    assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]


def test_orm_refuses_changes_and_deletes(org: Organisation) -> None:
    _append(org, 1)
    event = AuditEvent.objects.filter(action="test.event").get()
    event.summary = "changed"
    with pytest.raises(AuditImmutableError):
        event.save()
    with pytest.raises(AuditImmutableError):
        event.delete()
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(seq=1).update(summary="x")


def test_edited_row_is_named(org: Organisation) -> None:
    _append(org, 5)
    last = AuditEvent.objects.order_by("seq").last()
    assert last is not None
    seq = last.seq - 2
    _sql("UPDATE audit_auditevent SET summary = %s WHERE seq = %s", "rewritten", seq)
    assert _kinds(seq) == {"edited"}
    assert {p.seq for p in verify_chain()} == {seq}


def test_edit_with_recomputed_hash_is_still_found(org: Organisation) -> None:
    from juru.audit.services import canonical_fields, compute_hash

    _append(org, 4)
    event = AuditEvent.objects.order_by("seq")[1]
    event.summary = "forged"
    forged = compute_hash(canonical_fields(event, str(org.public_id)))
    _sql("UPDATE audit_auditevent SET summary = %s, hash = %s WHERE seq = %s", "forged", forged, event.seq)
    assert "edited" in _kinds(event.seq)


def test_deleted_row_is_named(org: Organisation) -> None:
    _append(org, 5)
    seq = AuditEvent.objects.order_by("seq")[2].seq
    _sql("DELETE FROM audit_auditevent WHERE seq = %s", seq)
    assert _kinds(seq) == {"deleted"}


def test_deleted_last_row_is_named(org: Organisation) -> None:
    _append(org, 3)
    seq = AuditEvent.objects.order_by("-seq")[0].seq
    _sql("DELETE FROM audit_auditevent WHERE seq = %s", seq)
    assert _kinds(seq) == {"deleted"}


def test_reordered_rows_are_named(org: Organisation) -> None:
    _append(org, 5)
    first, second = (e.seq for e in AuditEvent.objects.order_by("seq")[1:3])
    _sql("UPDATE audit_auditevent SET seq = %s WHERE seq = %s", 999999, first)
    _sql("UPDATE audit_auditevent SET seq = %s WHERE seq = %s", first, second)
    _sql("UPDATE audit_auditevent SET seq = %s WHERE seq = %s", second, 999999)
    assert "reordered" in _kinds(first)
    assert "reordered" in _kinds(second)


def test_verify_command_exit_codes(org: Organisation, capsys: pytest.CaptureFixture[str]) -> None:
    _append(org, 3)
    call_command("audit", "verify")
    seq = AuditEvent.objects.order_by("seq")[1].seq
    _sql("UPDATE audit_auditevent SET action = %s WHERE seq = %s", "other", seq)
    with pytest.raises(SystemExit) as exited:
        call_command("audit", "verify")
    assert exited.value.code == 1
    assert f"seq {seq}: edited" in capsys.readouterr().err


def test_export_writes_jsonl_for_one_org(org: Organisation, other_org: Organisation, tmp_path: Path) -> None:
    _append(org, 2)
    _append(other_org, 1)
    target = tmp_path / "audit.jsonl"
    call_command("audit", "export", "--org", org.slug, "--output", str(target))
    lines = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert {line["organisation_slug"] for line in lines} == {org.slug}
    assert [line["after"]["i"] for line in lines if line["action"] == "test.event"] == [0, 1]
    assert all(len(line["hash"]) == 64 for line in lines)


def test_export_unknown_org_is_a_clear_error(db: None) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No organisation"):
        call_command("audit", "export", "--org", "nope")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_chain() -> None:
    org = factories.make_org("paralel")
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            _append(org, 10)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert AuditEvent.objects.filter(action="test.event").count() == 80
    assert verify_chain() == []
