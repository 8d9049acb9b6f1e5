"""``juru audit verify|checkpoint|public-key|export``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from juru.accounts.models import Organisation
from juru.audit.checkpoints import (
    Checkpoint,
    CheckpointError,
    public_key_text,
    read_checkpoints,
    trusted_keys,
    write_checkpoint,
)
from juru.audit.services import export_events
from juru.audit.verify import verify_chain


class Command(BaseCommand):
    help = "Verify the audit hash chain, write a signed checkpoint, or export the chain as JSON Lines."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser("verify", help="exit 0 only if no event was edited, deleted or reordered")
        verify.add_argument(
            "--checkpoints", help="signed checkpoints to check against (default: JURU_AUDIT_CHECKPOINT_FILE)"
        )
        verify.add_argument("--public-key", action="append", default=[], help="also trust this public key")
        checkpoint = sub.add_parser("checkpoint", help="sign the chain head now and deliver the checkpoint")
        checkpoint.add_argument("--force", action="store_true", help="even if nothing was appended since the last")
        sub.add_parser("public-key", help="print the public key that checks this installation's checkpoints")
        export = sub.add_parser("export", help="write events as JSON Lines")
        export.add_argument("--org", help="only this organisation (slug)")
        export.add_argument("--output", "-o", help="file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        command = options["subcommand"]
        try:
            if command == "verify":
                self._verify(options.get("checkpoints"), options["public_key"])
            elif command == "checkpoint":
                self._checkpoint(options["force"])
            elif command == "public-key":
                self.stdout.write(public_key_text())
            else:
                self._export(options.get("org"), options.get("output"))
        except CheckpointError as exc:
            raise CommandError(str(exc)) from None

    def _verify(self, checkpoints_file: str | None, extra_keys: list[str]) -> None:
        path = Path(checkpoints_file or settings.AUDIT_CHECKPOINT_FILE)
        checkpoints: list[Checkpoint] = []
        errors: list[str] = []
        if path.exists():
            checkpoints, errors = read_checkpoints(path, trusted_keys() | set(extra_keys))
        elif checkpoints_file:
            raise CommandError(f"No checkpoint file at {path}.")
        problems = verify_chain(checkpoints)
        for error in errors:
            self.stderr.write(f"checkpoint: {error}")
        if not problems and not errors:
            self.stdout.write(self.style.SUCCESS(f"Audit chain intact ({len(checkpoints)} checkpoint(s) checked)."))
            return
        for problem in problems:
            self.stderr.write(str(problem))
        count = len(problems) + len(errors)
        self.stderr.write(self.style.ERROR(f"Audit chain broken: {count} problem(s)."))
        sys.exit(1)

    def _checkpoint(self, force: bool) -> None:
        checkpoint = write_checkpoint(force=force)
        if checkpoint is None:
            self.stdout.write("Nothing new since the last checkpoint.")
            return
        self.stdout.write(f"Checkpoint at event {checkpoint.seq} written to {settings.AUDIT_CHECKPOINT_FILE}.")

    def _export(self, slug: str | None, output: str | None) -> None:
        organisation = None
        if slug:
            organisation = Organisation.objects.filter(slug=slug).first()
            if organisation is None:
                raise CommandError(f"No organisation with slug {slug!r}.")
        if not output:
            export_events(self.stdout, organisation=organisation)
            return
        try:
            with open(output, "w", encoding="utf-8") as handle:
                count = export_events(handle, organisation=organisation)
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror}") from None
        self.stderr.write(f"Wrote {count} events to {output}.")
