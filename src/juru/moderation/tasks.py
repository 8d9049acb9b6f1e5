"""Celery tasks of moderation: thin wrappers that call one service each."""

from __future__ import annotations

from celery import shared_task

from juru.moderation.services import actions


@shared_task(name="moderation.perform_action", ignore_result=True)
def perform_action(action_id: int) -> str:
    """Carry one hide or block out on the network; returns its state afterwards ("" when not claimed)."""
    done = actions.perform(action_id)
    return done.state if done is not None else ""


@shared_task(name="moderation.sweep_actions", ignore_result=True)
def sweep_actions() -> int:
    """Queue the pending actions whose back-off (or a dead worker's lease) has ended (run by the scheduler)."""
    ids = actions.due_action_ids()
    for action_id in ids:
        perform_action.delay(action_id)
    return len(ids)
