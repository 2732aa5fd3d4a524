"""One look for every chart: a seaborn theme, a sources footnote, byte-stable saving.

Imported by the notebooks only (it imports matplotlib and seaborn; ``import kit`` does not).
"""
from __future__ import annotations

import io
import textwrap
from pathlib import Path
from typing import Iterable

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from kit.data import citations
from kit.fsio import write_bytes_atomic

PALETTE = {
    "Amazon": "#ff9900", "AWS": "#ff9900", "aws": "#ff9900",
    "Microsoft": "#0078d4", "Azure": "#0078d4", "azure": "#0078d4", "intelligent_cloud": "#50a0e6",
    "Google": "#34a853", "Google Cloud": "#34a853", "google_cloud": "#34a853",
    "OpenAI": "#10a37f", "Anthropic": "#d97757", "Nvidia": "#76b900",
}
_SAVE_METADATA = {"png": {"Software": None}, "svg": {"Date": None}, "pdf": {"CreationDate": None}}


JITTER_SEED = 0


def set_theme() -> None:
    """Apply the kit's chart theme; also fixes what would make saved figures differ between runs, including
    the jitter of strip plots, which seaborn draws from numpy's global generator (seeded here)."""
    np.random.seed(JITTER_SEED)
    sns.set_theme(style="whitegrid", context="notebook", font="DejaVu Sans")
    matplotlib.rcParams.update({
        "figure.figsize": (9, 4.8), "figure.dpi": 100, "savefig.dpi": 100, "savefig.bbox": "tight",
        "svg.hashsalt": "ai-alliances-kit", "axes.titleweight": "bold", "axes.titlesize": 12,
        "axes.titlelocation": "left",
    })


def source_line(frames: pd.DataFrame | Iterable[pd.DataFrame], width: int = 130, limit: int = 12) -> str:
    """'Sources: …' for the rows of one or more frames: publishers with dates, then the data end."""
    frames = [frames] if isinstance(frames, pd.DataFrame) else list(frames)
    table = pd.concat([citations(f) for f in frames]).drop_duplicates()
    items = sorted({f"{r.publisher} ({r.published.date() if pd.notna(r.published) else 'undated'})"
                    for r in table.itertuples()})
    shown = items[:limit] + ([f"and {len(items) - limit} more (see the sources table)"] if len(items) > limit else [])
    ends = [f.attrs.get("data_end") for f in frames if f.attrs.get("data_end")]
    tail = f" Data to {max(ends)}." if ends else ""
    return textwrap.fill("Sources: " + "; ".join(shown) + "." + tail, width)


def footnote(fig: plt.Figure, frames: pd.DataFrame | Iterable[pd.DataFrame]) -> None:
    """Print the sources of the plotted rows under the figure."""
    fig.text(0.0, -0.02, source_line(frames), ha="left", va="top", fontsize=7, color="#555555",
             transform=fig.transFigure)


def figure_bytes(fig: plt.Figure, fmt: str) -> bytes:
    """``fig`` rendered as ``fmt`` (png, svg, pdf), byte-stable: no dates, no software tag."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, metadata=_SAVE_METADATA.get(fmt))
    return buffer.getvalue()


def save_figure(fig: plt.Figure, path: str | Path) -> Path:
    """Save ``fig`` byte-stable and atomically; the format comes from the suffix."""
    path = Path(path)
    return write_bytes_atomic(path, figure_bytes(fig, path.suffix.lstrip(".")))


def show(fig: plt.Figure, frames: pd.DataFrame | Iterable[pd.DataFrame], name: str, figures_dir: str = "") -> None:
    """Finish a chart: add the sources footnote, save ``<figures_dir>/<name>.png`` and ``.svg`` when
    ``figures_dir`` is set, and display the PNG (rendered once for both). The figure is closed, so no
    figure repr or second rendering reaches the output."""
    from IPython.display import Image, display

    footnote(fig, frames)
    png = figure_bytes(fig, "png")
    if figures_dir:
        write_bytes_atomic(Path(figures_dir) / f"{name}.png", png)
        save_figure(fig, Path(figures_dir) / f"{name}.svg")
    plt.close(fig)
    display(Image(data=png))
