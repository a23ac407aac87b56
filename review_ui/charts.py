"""Server-side SVG bar charts for the dashboard (no JavaScript, no chart library).

Every label goes through :func:`markupsafe.escape`; colours and sizes are attributes (CSP forbids inline
``style``).
"""

from __future__ import annotations

from markupsafe import Markup, escape

ROW = 22
LABEL_W = 230
BAR_W = 260


def hbar(title: str, items: list[tuple[str, int]]) -> Markup:
    """A horizontal bar chart of (label, count) pairs, largest first as given."""
    top = max((n for _, n in items), default=0) or 1
    height = ROW * max(len(items), 1) + 8
    width = LABEL_W + BAR_W + 60
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}"><title>{escape(title)}</title>']
    for i, (label, n) in enumerate(items):
        y = 4 + i * ROW
        w = round(BAR_W * n / top)
        short = label if len(label) <= 34 else label[:33] + "…"
        parts.append(f'<text x="{LABEL_W - 6}" y="{y + 15}" text-anchor="end" font-size="12">{escape(short)}'
                     f'<title>{escape(label)}</title></text>'
                     f'<rect x="{LABEL_W}" y="{y + 3}" width="{w}" height="{ROW - 6}" fill="#2f6f9f"></rect>'
                     f'<text x="{LABEL_W + w + 4}" y="{y + 15}" font-size="12">{n}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every interpolated label is escaped above


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
