"""Server-side SVG charts: geometry computed here, drawn by the template (no JavaScript, no CDN)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import formats

from juru.listening.queries import Bucket

WIDTH, HEIGHT, LEFT, BOTTOM = 720, 200, 36, 22
ORDER = ("negative", "neutral", "positive")  # stacked from the axis up: what matters most sits lowest


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    sentiment: str
    title: str


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
    share_path: str  # the negative share as a line over the bars (0-100 %)
    empty: bool


def volume_chart(buckets: Sequence[Bucket], *, hourly: bool) -> Chart:
    """Stacked bars of mentions by sentiment per bucket, plus the negative share as a line."""
    top = max((b.total for b in buckets), default=0)
    scale = (HEIGHT - BOTTOM - 8) / top if top else 0.0
    slot = (WIDTH - LEFT) / max(len(buckets), 1)
    rects: list[Rect] = []
    points: list[str] = []
    ticks: list[Tick] = []
    every = max(1, len(buckets) // 8)
    for index, bucket in enumerate(buckets):
        x = LEFT + index * slot
        base = HEIGHT - BOTTOM
        when = formats.date_format(bucket.start, "H:i" if hourly else "d M")
        for sentiment in ORDER:
            value = getattr(bucket, sentiment)
            if value:
                height = value * scale
                base -= height
                rects.append(Rect(round(x + 1, 1), round(base, 1), round(max(slot - 2, 1), 1), round(height, 1),
                                  sentiment, f"{when}: {value}"))  # fmt: skip
        if bucket.total:
            share = bucket.negative / bucket.total
            y = HEIGHT - BOTTOM - share * (HEIGHT - BOTTOM - 8)
            points.append(f"{round(x + slot / 2, 1)},{round(y, 1)}")
        if index % every == 0:
            ticks.append(Tick(round(x + slot / 2, 1), when))
    path = ("M" + " L".join(points)) if len(points) > 1 else ""
    return Chart(WIDTH, HEIGHT, rects, ticks, top, path, top == 0)
