"""All governance writes (policy drafts and versions, sign-off, training, suspensions), each audited.

Callers write ``from juru.governance import services`` and call ``services.sign_policy(...)``.
"""

from __future__ import annotations

from juru.governance.services.policy import (
    policy_revision,
    publish_policy_draft,
    publish_policy_version,
    save_policy_draft,
    sign_policy,
    start_policy_draft,
)
from juru.governance.services.reminders import send_reminders
from juru.governance.services.suspensions import lift_suspension, suspend_member
from juru.governance.services.training import (
    create_training_module,
    install_starter_modules,
    record_training_completion,
    submit_quiz,
    update_module_content,
    update_training_module,
)
from juru.governance.services.violations import (
    add_ladder_step,
    add_note,
    case_opening,
    close_case,
    decide_case,
    install_suggested_ladder,
    mark_seen,
    open_case,
    remove_ladder_step,
    reopen_case,
    start_investigation,
)

__all__ = [
    "add_ladder_step",
    "add_note",
    "case_opening",
    "close_case",
    "decide_case",
    "install_suggested_ladder",
    "mark_seen",
    "open_case",
    "remove_ladder_step",
    "reopen_case",
    "start_investigation",
    "create_training_module",
    "install_starter_modules",
    "lift_suspension",
    "policy_revision",
    "publish_policy_draft",
    "publish_policy_version",
    "record_training_completion",
    "save_policy_draft",
    "send_reminders",
    "sign_policy",
    "start_policy_draft",
    "submit_quiz",
    "suspend_member",
    "update_module_content",
    "update_training_module",
]
