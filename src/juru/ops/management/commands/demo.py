"""``juru demo [--if-missing]``: create the demo organisation and print its logins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from juru.ops import demo


class Command(BaseCommand):
    help = f'Create the demo organisation "{demo.ORG_NAME}" (idempotent) and print its logins.'

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-missing", action="store_true", help="do nothing (not even print) if the demo already exists"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_missing"] and demo.exists():
            self.stdout.write(f"Demo organisation {demo.ORG_SLUG!r} exists; `juru demo` prints its logins.")
            return
        created = not demo.exists()
        org = demo.create()
        verb = "Created" if created else "Already there:"
        self.stdout.write(self.style.SUCCESS(f"{verb} {org.name} ({org.slug})."))
        self._print_logins(demo.logins())

    def _print_logins(self, rows: list[demo.Login]) -> None:
        header = ("username", "role", "password", "TOTP secret", "who")
        table: list[tuple[str, ...]] = [header]
        table += [(r.username, r.role, r.password, r.totp_secret or "-", f"{r.name}, {r.note}") for r in rows]
        widths = [max(len(row[i]) for row in table) for i in range(len(header) - 1)]
        self.stdout.write("")
        for index, row in enumerate(table):
            cells = [cell.ljust(width) for cell, width in zip(row, widths)]
            self.stdout.write("  " + "  ".join([*cells, row[-1]]))
            if index == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in widths) + "  " + "-" * 3)
        self.stdout.write("\nAuthenticator apps: add the TOTP secret by hand, or use these otpauth URIs:")
        for login in rows:
            if login.otpauth_uri:
                self.stdout.write(f"  {login.username:13} {login.otpauth_uri}")
        self.stdout.write(
            "\nThe marketer is deliberately not eligible (has not signed the current policy): see the access review."
        )
