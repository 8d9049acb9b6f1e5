"""Moderation listens to listening: each batch of stored mentions is checked for strikes."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from juru.listening.signals import mentions_stored
from juru.moderation.services.strikes import moderate_new_mentions


@receiver(mentions_stored, dispatch_uid="moderation.count_strikes")
def count_strikes(sender: Any, *, organisation: Any, mentions: Any, **kwargs: Any) -> None:
    """Strike, hide and ban as the organisation's policy says (in the ingesting transaction)."""
    moderate_new_mentions(organisation, mentions)
