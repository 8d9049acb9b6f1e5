"""``juru sandbox traffic [--account HANDLE] [--scenario ...] [--minutes N] [--rate PER_MIN]`` (DESIGN.md 5.6)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from juru.accounts.models import AccountType, BrandAccount
from juru.connectors.sandbox import SandboxError, SandboxStore
from juru.sandbox.scenarios import DEFAULT_COUNT, SCENARIOS, run


class Command(BaseCommand):
    help = "Write what the public says to a sandbox account onto the sandbox network."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        traffic = sub.add_parser("traffic", help="generate incoming comments and mentions")
        traffic.add_argument("--account", default="", help="sandbox handle (default: the first sandbox brand account)")
        traffic.add_argument("--scenario", choices=SCENARIOS, default="normal")
        traffic.add_argument(
            "--minutes", type=float, default=0.0, help="spread the items over N minutes (default: now)"
        )
        traffic.add_argument("--rate", type=float, default=None, help="items per minute (with --minutes)")
        traffic.add_argument("--count", type=int, default=None, help="how many items (default depends on the scenario)")
        traffic.add_argument("--seed", type=int, default=None, help="repeatable output")

    def handle(self, *args: Any, **options: Any) -> None:
        handle = options["account"] or self._default_account()
        count = options["count"]
        if options["rate"] is not None:
            if options["rate"] <= 0 or options["minutes"] <= 0:
                raise CommandError("--rate needs a positive value and --minutes")
            count = max(1, round(options["rate"] * options["minutes"]))
        if options["minutes"] < 0:
            raise CommandError("--minutes cannot be negative")
        try:
            written = run(
                SandboxStore(), handle, scenario=options["scenario"], count=count,
                minutes=options["minutes"], seed=options["seed"],
            )  # fmt: skip
        except (ValueError, SandboxError) as exc:
            raise CommandError(str(exc)) from None
        for item in written:
            self.stdout.write(f"@{item.post.author}: {item.post.text}")
        wanted = count or DEFAULT_COUNT[options["scenario"]]
        self.stdout.write(self.style.SUCCESS(f"{len(written)} of {wanted} items written to @{handle.lstrip('@')}"))

    def _default_account(self) -> str:
        account = (
            BrandAccount.objects.filter(network="sandbox", account_type=AccountType.BRAND, is_active=True)
            .order_by("pk")
            .first()
        )
        if account is None:
            raise CommandError("no sandbox brand account: pass --account HANDLE")
        return account.handle
