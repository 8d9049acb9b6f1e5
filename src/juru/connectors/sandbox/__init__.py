"""The sandbox: a small social network stored in a local SQLite file, for demos, training and tests.

It behaves like a real network from Juru's side (posts, replies, comments, hide, block, delete,
lookup by idempotency key) and can be told to fail on purpose (``SandboxStore.inject_fault``).
"""

from __future__ import annotations

from juru.connectors.sandbox.connector import CAPABILITIES, SandboxConnector, classify_error
from juru.connectors.sandbox.store import (
    FAULT_KINDS,
    Fault,
    SandboxError,
    SandboxPost,
    SandboxStore,
    check_handle,
    default_path,
)

__all__ = [
    "CAPABILITIES",
    "FAULT_KINDS",
    "Fault",
    "SandboxConnector",
    "SandboxError",
    "SandboxPost",
    "SandboxStore",
    "check_handle",
    "classify_error",
    "default_path",
]
