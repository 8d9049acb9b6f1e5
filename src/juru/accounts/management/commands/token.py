"""``juru token create USERNAME [--org SLUG] [--name N]``, ``juru token list``, ``juru token revoke PREFIX``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from juru.accounts.models import ApiToken, Member
from juru.accounts.services import create_api_token, revoke_api_token


class Command(BaseCommand):
    help = "Create, list or revoke API tokens (a token is printed once, then only its hash is kept)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        create = sub.add_parser("create", help="create a token for a member and print it once")
        create.add_argument("username")
        create.add_argument("--org", help="organisation slug (needed when the user is in several)")
        create.add_argument("--name", default="cli", help="a label to recognise the token by")
        listing = sub.add_parser("list", help="list tokens (prefixes only)")
        listing.add_argument("--org", help="only this organisation")
        revoke = sub.add_parser("revoke", help="revoke the token with this prefix")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["subcommand"]
        if action == "create":
            self._create(options["username"], options.get("org"), options["name"])
        elif action == "list":
            self._list(options.get("org"))
        else:
            self._revoke(options["prefix"])

    def _member(self, username: str, slug: str | None) -> Member:
        members = Member.objects.filter(user__username=username, is_active=True).select_related("organisation")
        if slug:
            members = members.filter(organisation__slug=slug)
        found = list(members)
        if not found:
            where = f" of {slug!r}" if slug else ""
            raise CommandError(f"{username!r} is not an active member{where}.")
        if len(found) > 1:
            slugs = ", ".join(m.organisation.slug for m in found)
            raise CommandError(f"{username!r} belongs to several organisations ({slugs}); choose one with --org.")
        return found[0]

    def _create(self, username: str, slug: str | None, name: str) -> None:
        member = self._member(username, slug)
        _token, raw = create_api_token(actor=None, member=member, name=name)
        self.stderr.write(f"Token for {username} in {member.organisation.slug} (shown once, keep it safe):")
        self.stdout.write(raw)

    def _list(self, slug: str | None) -> None:
        tokens = ApiToken.objects.select_related("member__user", "member__organisation").order_by("created_at")
        if slug:
            tokens = tokens.filter(member__organisation__slug=slug)
        for token in tokens:
            state = "revoked" if token.revoked_at else "active"
            user = token.member.user.get_username()
            self.stdout.write(f"{token.prefix}…  {state:8} {token.member.organisation.slug:20} {user:20} {token.name}")

    def _revoke(self, prefix: str) -> None:
        matches = list(ApiToken.objects.filter(prefix=prefix, revoked_at__isnull=True))
        if len(matches) != 1:
            raise CommandError(f"{len(matches)} active tokens have the prefix {prefix!r}; nothing revoked.")
        revoke_api_token(actor=None, token=matches[0])
        self.stdout.write(f"Revoked {prefix}….")
