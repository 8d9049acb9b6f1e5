"""What the listening app tells other apps: which mentions were just stored."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the transaction that stored them, with ``organisation`` and ``mentions`` (the new
# Mention rows, oldest first). Receivers (the inbox, moderation) build on them in that same
# transaction, so a crash stores both or neither; they never call a network there, and queue such
# work with ``transaction.on_commit`` instead.
mentions_stored = Signal()
