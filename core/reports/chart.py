"""The weekly chart of section 9 as a PNG (Pillow), for the DOCX (and so the PDF) and the preview.

Stacked bars per week in the four groups of :mod:`core.reports.neutrality`; drawn with DejaVu Sans when
installed (Debian ``fonts-dejavu-core``), Pillow's built-in font otherwise.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from core.reports.neutrality import GROUP_LABELS

COLOURS = ((230, 159, 0), (204, 51, 51), (47, 111, 159), (150, 150, 150))
FONT_PATHS = (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),)
W, H, LEFT, BOTTOM, TOP = 1400, 640, 90, 120, 70


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in FONT_PATHS:
        if path.exists():
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default()


def weekly_png(weeks: list[list[Any]], title: str = "Kasus per minggu menurut status") -> bytes:
    """PNG bytes of the weekly stacked bar chart (an empty chart says so)."""
    img = Image.new("RGB", (W, H), "white")
    draw = ImageDraw.Draw(img)
    font, small = _font(26), _font(18)
    draw.text((LEFT, 18), title, fill="black", font=font)
    plot_w, plot_h = W - LEFT - 40, H - TOP - BOTTOM
    draw.line((LEFT, TOP, LEFT, TOP + plot_h, LEFT + plot_w, TOP + plot_h), fill="black", width=2)
    if not weeks:
        draw.text((LEFT + 20, TOP + plot_h // 2), "Belum ada kasus pada periode ini", fill="black", font=font)
    else:
        top = max(sum(w[1:]) for w in weeks) or 1
        step = plot_w / len(weeks)
        bar = max(2.0, step * 0.7)
        for i in range(5):
            value = round(top * i / 4)
            y = TOP + plot_h - plot_h * value / top
            draw.line((LEFT - 6, y, LEFT, y), fill="black")
            draw.text((LEFT - 12, y), str(value), fill="black", font=small, anchor="rm")
        label_every = max(1, len(weeks) // 12)
        for i, week in enumerate(weeks):
            x = LEFT + i * step + (step - bar) / 2
            y = TOP + plot_h
            for value, colour in zip(week[1:], COLOURS, strict=True):
                height = plot_h * value / top
                if value:
                    draw.rectangle((x, y - height, x + bar, y), fill=colour)
                y -= height
            if i % label_every == 0:
                draw.text((x + bar / 2, TOP + plot_h + 8), str(week[0])[5:], fill="black", font=small, anchor="mt")
    x = LEFT
    for label, colour in zip(GROUP_LABELS.values(), COLOURS, strict=True):
        draw.rectangle((x, H - 40, x + 22, H - 18), fill=colour)
        draw.text((x + 30, H - 29), label, fill="black", font=small, anchor="lm")
        x += 30 + int(draw.textlength(label, font=small)) + 40
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=False)
    return out.getvalue()
