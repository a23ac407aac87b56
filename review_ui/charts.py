"""Server-side SVG bar charts for the dashboard (no JavaScript, no chart library).

Labels are never clipped: each bar's label is written in full on its own line(s) above the bar, wrapped
at word boundaries, and the SVG scales down to the screen through its ``viewBox``. Every label goes
through :func:`markupsafe.escape`; colours and sizes are attributes (CSP forbids inline ``style``).
"""

from __future__ import annotations

import textwrap

from markupsafe import Markup, escape

WIDTH = 520
BAR_H = 14
LINE_H = 14
#: One colour per status group (lead, in process, confirmed, dismissed, closed).
COLOURS = ("#9aa9b8", "#e0a33a", "#b5352f", "#4c8a5b", "#5b6773")
CHARS_PER_LINE = 70


def stacked(title: str, rows: list[tuple[str, list[int]]], legend: list[str]) -> Markup:
    """A horizontal stacked bar per row: the label above, the segments (one per group), the total after."""
    top = max((sum(c) for _, c in rows), default=0) or 1
    bar_w = WIDTH - 60
    y = 4
    parts: list[str] = []
    for label, counts in rows:
        for line in textwrap.wrap(label, CHARS_PER_LINE) or ["–"]:
            y += LINE_H
            parts.append(f'<text x="0" y="{y - 3}" font-size="12">{escape(line)}</text>')
        x = 0.0
        for n, colour, name in zip(counts, COLOURS, legend, strict=False):
            w = bar_w * n / top
            if n:
                parts.append(f'<rect x="{x:.1f}" y="{y + 1}" width="{max(w, 1):.1f}" height="{BAR_H}" '
                             f'fill="{colour}"><title>{escape(name)}: {n}</title></rect>')
            x += w
        parts.append(f'<text x="{x + 4:.1f}" y="{y + BAR_H - 1}" font-size="12">{sum(counts)}</text>')
        y += BAR_H + 8
    height = y + 4
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{WIDTH}" height="{height}" '
            f'viewBox="0 0 {WIDTH} {height}"><title>{escape(title)}</title>')
    return Markup(head + "".join(parts) + "</svg>")  # noqa: S704 - every interpolated label is escaped above


def legend(names: list[str]) -> Markup:
    """The colour key of :func:`stacked` as an HTML list."""
    items = "".join(f'<li><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" '
                    f'fill="{c}"></rect></svg> {escape(n)}</li>' for n, c in zip(names, COLOURS, strict=False))
    return Markup(f'<ul class="legend">{items}</ul>')  # noqa: S704 - names are escaped


def vbar(title: str, items: list[tuple[str, int]]) -> Markup:
    """A vertical bar chart (weeks): one column per label, in the order given."""
    top = max((n for _, n in items), default=0) or 1
    col = 34
    chart_h = 160
    width = max(len(items), 1) * col + 20
    height = chart_h + 50
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}"><title>{escape(title)}</title>']
    for i, (label, n) in enumerate(items):
        h = round(chart_h * n / top)
        x = 10 + i * col
        parts.append(f'<rect x="{x}" y="{chart_h - h + 14}" width="{col - 8}" height="{h}" fill="#2f6f9f">'
                     f'<title>{escape(label)}: {n}</title></rect>'
                     f'<text x="{x + (col - 8) / 2}" y="{chart_h - h + 10}" text-anchor="middle" '
                     f'font-size="10">{n}</text>'
                     f'<text x="{x + (col - 8) / 2}" y="{chart_h + 28}" text-anchor="middle" '
                     f'font-size="9">{escape(label[5:])}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every interpolated label is escaped above
