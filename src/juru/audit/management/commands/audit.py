"""``juru audit verify`` and ``juru audit export``."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from juru.accounts.models import Organisation
from juru.audit.services import export_events, verify_chain


class Command(BaseCommand):
    help = "Verify the audit hash chain or export it as JSON Lines."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="exit 0 only if no event was edited, deleted or reordered")
        export = sub.add_parser("export", help="write events as JSON Lines")
        export.add_argument("--org", help="only this organisation (slug)")
        export.add_argument("--output", "-o", help="file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "verify":
            self._verify()
        else:
            self._export(options.get("org"), options.get("output"))

    def _verify(self) -> None:
        problems = verify_chain()
        if not problems:
            self.stdout.write(self.style.SUCCESS("Audit chain intact."))
            return
        for problem in problems:
            self.stderr.write(str(problem))
        self.stderr.write(self.style.ERROR(f"Audit chain broken: {len(problems)} problem(s)."))
        sys.exit(1)

    def _export(self, slug: str | None, output: str | None) -> None:
        organisation = None
        if slug:
            organisation = Organisation.objects.filter(slug=slug).first()
            if organisation is None:
                raise CommandError(f"No organisation with slug {slug!r}.")
        if not output:
            count = export_events(self.stdout, organisation=organisation)
            return
        try:
            with open(output, "w", encoding="utf-8") as handle:
                count = export_events(handle, organisation=organisation)
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror}") from None
        self.stderr.write(f"Wrote {count} events to {output}.")
