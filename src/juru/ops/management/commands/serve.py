"""``juru serve [--host H] [--port P] [--workers N]``: the production web server (gunicorn)."""

from __future__ import annotations

import os
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from juru.ops.processes import gunicorn_argv, parse_port


def positive(value: str) -> int:
    """A whole number of at least 1 (argparse type)."""
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = "Collect static files, then run gunicorn on juru.project.wsgi."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("JURU_HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("JURU_PORT", "8000"))
        parser.add_argument("--workers", type=positive, default=int(os.environ.get("JURU_WEB_WORKERS", "3")))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            port = parse_port(options["port"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        call_command("collectstatic", interactive=False, verbosity=0)
        argv = gunicorn_argv(options["host"], port, options["workers"])
        self.stdout.write(f"Juru on http://{options['host']}:{port}/ ({options['workers']} workers)")
        self.stdout.flush()
        os.execv(argv[0], argv)  # gunicorn replaces this process: signals go straight to it
