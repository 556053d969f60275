"""Geometry for the dashboard's SVG charts; the template draws them (autoescaped, no JavaScript)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

SERIES_COLOURS = ("#2f6db5", "#e0a020", "#2e9d5b")


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    value: int

    @property
    def label(self) -> str:
        """The value printed beside the bar; empty for zero, so empty groups do not stack "0 0 0"."""
        return f"{self.value:,}" if self.value else ""


@dataclass(frozen=True, slots=True)
class BarGroup:
    label: str
    label_y: float
    bars: list[Bar]


@dataclass(frozen=True, slots=True)
class HBarChart:
    width: int
    height: int
    label_width: int
    groups: list[BarGroup]


def grouped_hbars(
    rows: Sequence[tuple[str, Sequence[int]]], *, width: int = 640, label_width: int = 150, bar_height: int = 12
) -> HBarChart:
    """Horizontal bars, one group per row, one bar per series, scaled to the largest value."""
    series = max((len(values) for _, values in rows), default=1)
    peak = max((v for _, values in rows for v in values), default=0) or 1
    span = width - label_width - 60
    group_height = series * bar_height + 12
    groups = []
    for i, (label, values) in enumerate(rows):
        top = 8 + i * group_height
        bars = [
            Bar(
                label_width,
                top + j * bar_height,
                max(1.0, span * v / peak) if v else 0.0,
                bar_height - 2,
                SERIES_COLOURS[j % len(SERIES_COLOURS)],
                v,
            )
            for j, v in enumerate(values)
        ]
        groups.append(BarGroup(label, top + series * bar_height / 2 + 4, bars))
    return HBarChart(width, 16 + len(rows) * group_height, label_width, groups)


@dataclass(frozen=True, slots=True)
class LinePoint:
    x: float
    y: float
    bar_y: float
    bar_height: float
    label: str
    value: int
    new: int


@dataclass(frozen=True, slots=True)
class LineChart:
    width: int
    height: int
    plot_top: int
    plot_bottom: int
    points: list[LinePoint]
    polyline: str
    peak: int
    bar_width: float


def weekly_line(points: Sequence[tuple[str, int, int]], *, width: int = 640, height: int = 220) -> LineChart:
    """Cumulative line with new-per-week bars underneath; `points` are (label, new, cumulative)."""
    top, bottom, left, right = 16, height - 36, 44, width - 28
    peak = max((c for _, _, c in points), default=0) or 1
    step = (right - left) / max(1, len(points) - 1) if len(points) > 1 else 0
    plot = bottom - top
    out = []
    for i, (label, new, cumulative) in enumerate(points):
        x = left + i * step
        bar_h = plot * new / peak
        out.append(LinePoint(x, bottom - plot * cumulative / peak, bottom - bar_h, bar_h, label, cumulative, new))
    polyline = " ".join(f"{p.x:.1f},{p.y:.1f}" for p in out)
    return LineChart(width, height, top, bottom, out, polyline, peak, max(4.0, step * 0.5))
