"""``juru report --org SLUG --month YYYY-MM --lang id|en --format pdf|html -o FILE``: the monthly report."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from juru.accounts.models import Organisation
from juru.goals.exceptions import GoalsError
from juru.goals.pdf import report_html, report_pdf
from juru.goals.queries import parse_month, previous_month, this_month


class Command(BaseCommand):
    help = "Write an organisation's monthly report (goals, KPIs, charts, pilot programmes) as PDF or HTML."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="the organisation's slug")
        parser.add_argument("--month", help="YYYY-MM (default: last month)")
        parser.add_argument("--lang", choices=["id", "en"], default="id", help="language of the report")
        parser.add_argument("--format", choices=["pdf", "html"], default="pdf", dest="fmt")
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["org"]).first()
        if organisation is None:
            raise CommandError(f"no organisation with the slug {options['org']!r}")
        try:
            month = parse_month(options["month"]) if options["month"] else previous_month(this_month())
        except GoalsError as exc:
            raise CommandError(str(exc.message)) from None
        if options["fmt"] == "pdf":
            data = report_pdf(organisation, month, options["lang"])
        else:
            data = report_html(organisation, month, options["lang"]).encode()
        if options["output"]:
            Path(options["output"]).write_bytes(data)
            self.stderr.write(f"wrote {options['output']} ({len(data)} bytes)")
        else:
            sys.stdout.buffer.write(data)
