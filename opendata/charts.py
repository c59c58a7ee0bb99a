"""The open-data dashboard's charts as SVG drawn here (no image, no script): utilisation by month per anchor, and
the latest month's utilisation by space and machine kind. Each chart scales to the width of the screen (viewBox)
and is followed on the page by the same figures as a table."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

# A palette that keeps a 3:1 contrast on white (WCAG 1.4.11), one colour per anchor.
COLOURS = ["#1f5fa8", "#b3261e", "#1b7a3a", "#7a4fb0", "#a15c00", "#00707a"]
# A viewBox about a phone's width, so that its text is drawn near its own size there (a wider one would be shrunk).
WIDTH, HEIGHT = 400, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 12, 64


@dataclass(frozen=True)
class Chart:
    title: str
    description: str
    svg: str


def _scale_top(values: list[float]) -> float:
    """The y axis's top: the largest value rounded up to a multiple of 10 (at least 10)."""
    top = max([v for v in values if v is not None] or [0.0])
    return max(10.0, float(-(-top // 10) * 10))


def _frame(title: str, description: str, body: list[str], ident: str, height: int = HEIGHT) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" class="w-100 h-auto" font-family="sans-serif" font-size="12">'
        f'<title id="{ident}-title">{escape(title)}</title><desc id="{ident}-desc">{escape(description)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def _y_axis(top: float, unit: str) -> list[str]:
    out = []
    plot_h = HEIGHT - TOP - BOTTOM
    for i in range(5):
        value = top * i / 4
        y = TOP + plot_h - plot_h * i / 4
        out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d0d0d0"/>')
        out.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#333">{value:g}{escape(unit)}</text>')
    return out


def utilisation_by_month(
    series: dict[str, list[tuple[str, float | None]]], *, title: str, description: str, empty: str = ""
) -> Chart:
    """One line per anchor over the published months; a month whose figure is blank (no bookings taken, or
    suppressed) breaks the line there."""
    months = sorted({m for points in series.values() for m, _v in points})
    top = _scale_top([v for points in series.values() for _m, v in points if v is not None])
    inset = 36  # the first and last months' labels fit inside the frame
    plot_w, plot_h = WIDTH - LEFT - RIGHT - 2 * inset, HEIGHT - TOP - BOTTOM
    step = plot_w / max(1, len(months) - 1) if len(months) > 1 else 0

    def x(month: str) -> float:
        return LEFT + inset + (months.index(month) * step if len(months) > 1 else plot_w / 2)

    def y(value: float) -> float:
        return TOP + plot_h - plot_h * value / top

    body = _y_axis(top, "%")
    every = max(1, -(-len(months) // 5))  # at most five month labels: a long series stays readable on a phone
    for m in months[::-1][::every]:
        body.append(
            f'<text x="{x(m):.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" fill="#333">{escape(m)}</text>'
        )
    for i, (name, points) in enumerate(series.items()):
        colour = COLOURS[i % len(COLOURS)]
        run: list[str] = []
        for m, v in sorted(points):
            if v is None:
                if len(run) > 1:
                    body.append(
                        f'<polyline fill="none" stroke="{colour}" stroke-width="2.5" points="{" ".join(run)}"/>'
                    )
                run = []
                continue
            run.append(f"{x(m):.1f},{y(v):.1f}")
            body.append(
                f'<circle cx="{x(m):.1f}" cy="{y(v):.1f}" r="4" fill="{colour}"><title>{escape(name)} {escape(m)}: {v:g}%</title></circle>'
            )
        if len(run) > 1:
            body.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2.5" points="{" ".join(run)}"/>')
        legend_x = 8
        legend_y = HEIGHT - BOTTOM + 40 + i * 18  # one anchor per line: long names never meet
        body.append(f'<rect x="{legend_x}" y="{legend_y - 10}" width="12" height="12" fill="{colour}"/>')
        body.append(f'<text x="{legend_x + 18}" y="{legend_y}" fill="#222">{escape(name)}</text>')
    if empty and all(v is None for points in series.values() for _m, v in points):
        body.append(
            f'<text x="{WIDTH / 2:.0f}" y="{TOP + plot_h / 2:.0f}" text-anchor="middle" fill="#333">{escape(empty)}</text>'
        )
    height = HEIGHT - BOTTOM + 40 + 18 * len(series)  # the plot, its month labels, one legend line per anchor
    return Chart(title, description, _frame(title, description, body, "util-months", height))


def utilisation_by_kind(
    bars: list[tuple[str, float | None]], *, title: str, description: str, colour_index: int, ident: str
) -> Chart:
    """Horizontal bars, one per kind of an anchor (label, utilisation %); a blank figure is drawn as no bar with
    "–"."""
    row_h = 24
    height = TOP + row_h * max(1, len(bars)) + 8
    label_w = 150
    top = _scale_top([v for _l, v in bars if v is not None])
    plot_w = WIDTH - label_w - RIGHT - 44
    body = []
    for i, (label, value) in enumerate(bars):
        y = TOP + i * row_h
        body.append(f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end" fill="#222">{escape(label)}</text>')
        if value is None:
            body.append(f'<text x="{label_w + 4}" y="{y + 17}" fill="#333">–</text>')
            continue
        w = plot_w * value / top
        colour = COLOURS[colour_index % len(COLOURS)]
        body.append(f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" fill="{colour}"/>')
        body.append(f'<text x="{label_w + w + 6:.1f}" y="{y + 17}" fill="#222">{value:g}%</text>')
    return Chart(title, description, _frame(title, description, body, ident, height))
