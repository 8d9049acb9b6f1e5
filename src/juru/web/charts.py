"""Server-side SVG charts: geometry computed here, drawn by templates (no JavaScript, no CDN).

One home for every chart in the product: listening's volume over time, and the goals dashboard and
monthly report. A chart is a row of columns, each a stack of named series (bottom first).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from django.utils import formats

WIDTH, HEIGHT, LEFT, BOTTOM = 720, 200, 36, 22
SENTIMENT_ORDER = ("negative", "neutral", "positive")  # stacked from the axis up: what matters most sits lowest


class SentimentBucket(Protocol):
    """Mentions in one time bucket, by sentiment (``listening.queries.Bucket`` is one)."""

    @property
    def start(self) -> datetime: ...
    @property
    def positive(self) -> int: ...
    @property
    def neutral(self) -> int: ...
    @property
    def negative(self) -> int: ...
    @property
    def total(self) -> int: ...


@dataclass(frozen=True)
class Column:
    """One column of a chart: its axis label and the value of each series, stacked in this order."""

    label: str
    values: tuple[tuple[str, int], ...]

    @property
    def total(self) -> int:
        return sum(value for _series, value in self.values)


# Fill of each series, written into the SVG so a chart looks the same on a page, in a PDF and in e-mail.
COLOURS = {
    "positive": "#2f9e62",
    "neutral": "#b7bcc4",
    "negative": "#d2473b",
    "pr": "#3b6fd2",
    "marketing": "#d28a3b",
    "lead_generation": "#8a3bd2",
    "customer_care": "#2f9e9e",
    "market_research": "#9e962f",
    "none": "#9aa3b0",
}


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    series: str
    title: str

    @property
    def fill(self) -> str:
        return COLOURS.get(self.series, "#5d6778")


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    rects: list[Rect]
    ticks: list[Tick]
    max_value: int
    share_path: str  # an optional share (0-100 %) drawn as a line over the bars
    empty: bool


def column_chart(columns: Sequence[Column], *, share_of: str = "") -> Chart:
    """Stacked columns; with ``share_of``, that series' share of each column as a line over them."""
    top = max((c.total for c in columns), default=0)
    scale = (HEIGHT - BOTTOM - 8) / top if top else 0.0
    slot = (WIDTH - LEFT) / max(len(columns), 1)
    rects: list[Rect] = []
    points: list[str] = []
    ticks: list[Tick] = []
    every = max(1, len(columns) // 8)
    for index, column in enumerate(columns):
        x = LEFT + index * slot
        base: float = HEIGHT - BOTTOM
        for series, value in column.values:
            if value:
                height = value * scale
                base -= height
                rects.append(Rect(round(x + 1, 1), round(base, 1), round(max(slot - 2, 1), 1), round(height, 1),
                                  series, f"{column.label}: {value}"))  # fmt: skip
        if share_of and column.total:
            share = dict(column.values).get(share_of, 0) / column.total
            y = HEIGHT - BOTTOM - share * (HEIGHT - BOTTOM - 8)
            points.append(f"{round(x + slot / 2, 1)},{round(y, 1)}")
        if index % every == 0:
            ticks.append(Tick(round(x + slot / 2, 1), column.label))
    path = ("M" + " L".join(points)) if len(points) > 1 else ""
    return Chart(WIDTH, HEIGHT, rects, ticks, top, path, top == 0)


def volume_chart(buckets: Sequence[SentimentBucket], *, hourly: bool) -> Chart:
    """Stacked bars of mentions by sentiment per bucket, plus the negative share as a line."""
    columns = [
        Column(
            formats.date_format(b.start, "H:i" if hourly else "d M"),
            tuple((s, int(getattr(b, s))) for s in SENTIMENT_ORDER),
        )
        for b in buckets
    ]
    return column_chart(columns, share_of="negative")
