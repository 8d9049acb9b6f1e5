"""``juru worker [celery worker options]``: a Celery worker (run more on other machines to scale out)."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management.base import BaseCommand

from juru.ops.processes import worker_argv


class Command(BaseCommand):
    help = "Start a Celery worker for juru.project.celery:app; extra arguments go to `celery worker`."

    def run_from_argv(self, argv: list[str]) -> None:
        # Everything after "worker" belongs to Celery, which has its own option parser.
        extra = argv[2:]
        if extra[:1] in (["-h"], ["--help"]):
            self.stdout.write(self.help + "\nCelery's own options: python -m celery worker --help")
            return
        self.handle(*extra)

    def handle(self, *args: Any, **options: Any) -> None:
        command = worker_argv(list(args))
        sys.stdout.flush()
        os.execv(command[0], command)
