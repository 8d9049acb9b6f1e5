"""What the publishing app tells other apps: which posts (and replies) just went out."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the transaction that records a post as published, with ``post`` and ``events`` (the
# action's pending audit events). A receiver that has something to audit appends to ``events``
# rather than writing to the chain itself: the action appends all its events once, last.
post_published = Signal()
