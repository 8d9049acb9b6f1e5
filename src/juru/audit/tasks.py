"""Periodic work of the audit app."""

from __future__ import annotations

from celery import shared_task

from juru.audit.checkpoints import write_checkpoint


@shared_task(name="audit.write_checkpoint")
def write_checkpoint_task() -> int | None:
    """Sign the chain head and deliver the checkpoint (skipped when nothing was appended)."""
    checkpoint = write_checkpoint()
    return checkpoint.seq if checkpoint else None
