"""Geometry of the report's mood chart, drawn as SVG by ``practice/_mood_chart.html``.

Everything is computed here in SVG user units so the template only places elements: no
inline styles (the CSP forbids them), colours come from CSS classes. Pure: no database,
no request.
"""
from __future__ import annotations

from dataclasses import dataclass

from academy.practice.display import MOOD_LEVELS, MoodPoint, mood_level

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 40, 16, 12, 34
MAX_X_LABELS = 16


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    step: int
    mood: float
    level: str


@dataclass(frozen=True)
class Band:
    level: str            # calm, annoyed, angry, furious: the CSS class
    y: float
    height: float
    label_y: float
    bound: int


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class MoodChart:
    width: int
    height: int
    left: float
    right: float          # x of the plot's right edge
    top: float
    bottom: float         # y of the plot's bottom edge (the x axis)
    path: str
    dots: tuple[Dot, ...]
    bands: tuple[Band, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]


def _y(mood: float) -> float:
    plot_h = HEIGHT - TOP - BOTTOM
    return round(TOP + plot_h * (1 - max(0.0, min(100.0, mood)) / 100), 1)


def mood_chart(points: list[MoodPoint]) -> MoodChart | None:
    """The chart of ``points`` (step 0 is the opening), or None when there is nothing to draw."""
    if not points:
        return None
    plot_w = WIDTH - LEFT - RIGHT
    span = max(1, len(points) - 1)
    dots = tuple(Dot(round(LEFT + plot_w * i / span, 1), _y(p.mood), p.step, p.mood, mood_level(p.mood))
                 for i, p in enumerate(points))
    path = " ".join(f"{'M' if i == 0 else 'L'}{d.x},{d.y}" for i, d in enumerate(dots))
    bands, upper = [], 100
    for bound, level, _word in MOOD_LEVELS:        # furious first: from the top down
        top, bottom = _y(upper), _y(bound)
        bands.append(Band(level, top, round(bottom - top, 1), round((top + bottom) / 2 + 4, 1), bound))
        upper = bound
    every = max(1, -(-len(points) // MAX_X_LABELS))   # label every n-th step when there are many
    x_ticks = tuple(Tick(d.x, str(d.step)) for d in dots if d.step % every == 0 or d is dots[-1])
    y_ticks = tuple(Tick(_y(value), str(value)) for value in (0, 50, 100))
    return MoodChart(WIDTH, HEIGHT, LEFT, WIDTH - RIGHT, TOP, HEIGHT - BOTTOM, path, dots, tuple(bands),
                     x_ticks, y_ticks)
