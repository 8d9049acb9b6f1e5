"""``juru run [--host H] [--port P]``: web server and a Celery worker with the scheduler, together.

What ``make run`` calls on one machine. Signals are forwarded to both; when one stops, both stop.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from juru.ops import demo
from juru.ops.processes import Supervisor, gunicorn_argv, parse_port, runserver_argv, worker_argv


class Command(BaseCommand):
    help = "Run the web server and a Celery worker with the embedded scheduler until stopped (Ctrl-C)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
        parser.add_argument("--dev", action="store_true", help="use Django's development server instead of gunicorn")
        parser.add_argument("--no-worker", action="store_true", help="web server only")

    def plan(self, options: dict[str, Any]) -> dict[str, list[str]]:
        """The child processes to start, by name."""
        try:
            port = parse_port(options["port"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if options["workers"] < 1:
            raise CommandError("--workers must be at least 1")
        host = options["host"]
        web = runserver_argv(host, port) if options["dev"] else gunicorn_argv(host, port, options["workers"])
        commands = {"web": web}
        if not options["no_worker"]:
            commands["worker"] = worker_argv(["--concurrency", "2"], beat=True, schedule_dir=settings.DATA_DIR)
        return commands

    def handle(self, *args: Any, **options: Any) -> None:
        commands = self.plan(options)
        if not options["dev"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        url = f"http://{options['host']}:{parse_port(options['port'])}/"
        self.stdout.write(self.style.SUCCESS(f"Juru is starting on {url}"))
        self.stdout.write(
            f"Demo logins ({demo.ORG_SLUG}): run `juru demo` to print usernames, passwords and 2FA secrets."
        )
        self.stdout.write("Stop with Ctrl-C.")
        self.stdout.flush()
        code = Supervisor(commands).run()
        if code:
            raise SystemExit(code)
