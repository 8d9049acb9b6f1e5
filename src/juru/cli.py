"""The ``juru`` command.

Pure-core commands (``scan``, ``classify``, ``rules``, ``train``, ``spikes``) run without Django so they
start fast and work on any machine; everything else is a Django management command
(``migrate``, ``demo``, ``serve``, ``worker``, ``audit``, ``token``, ``createsuperuser``...).
"""

from __future__ import annotations

import os
import sys
from importlib import import_module

CORE_COMMANDS = {
    "scan": "juru.scan.cli",
    "classify": "juru.scan.classify_cli",
    "rules": "juru.rules.cli",
    "train": "juru.scan.train_cli",
    "spikes": "juru.spikes.cli",
}


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in CORE_COMMANDS:
        module = import_module(CORE_COMMANDS[args[0]])
        return int(module.main(args[1:]) or 0)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "juru.project.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["juru", *args])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
