"""Charts as PNG/SVG files, all rendered in one kaleido session on the system Chromium.

Starting a browser costs about two seconds, so every figure of a report goes to kaleido in one
``write_fig_from_object`` batch (one browser, figures rendered in turn) rather than one
``to_image`` call per chart. kaleido is pointed at the machine's Chromium explicitly and MathJax
is off (its default is a CDN address), so nothing is downloaded.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import kaleido
import plotly.graph_objects as go

from royalty.reports import browser

FORMATS = ("png", "svg")
WIDTH, HEIGHT, SCALE = 1200, 675, 2


def render(
    figures: dict[str, go.Figure],
    formats: tuple[str, ...] = FORMATS,
    *,
    width: int = WIDTH,
    height: int = HEIGHT,
    scale: float = SCALE,
) -> dict[str, bytes]:
    """``{"name.png": bytes, "name.svg": bytes, ...}`` for every figure and format."""
    if not figures:
        return {}
    with tempfile.TemporaryDirectory(prefix="royalty-charts-") as tmp:
        specs = []
        for name, fig in figures.items():
            for fmt in formats:
                path = Path(tmp) / f"{name}.{fmt}"
                opts = {"format": fmt, "width": width, "height": height, "scale": scale}
                specs.append({"fig": fig, "path": str(path), "opts": opts})
        kaleido.write_fig_from_object_sync(
            specs,
            kopts={"path": browser.chromium(), "mathjax": False, "n": 1},
            cancel_on_error=True,
        )
        return {Path(s["path"]).name: Path(s["path"]).read_bytes() for s in specs}
