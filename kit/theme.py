"""One look for every chart: a seaborn theme, a sources footnote, byte-stable saving, and layout
helpers so that no legend, label or footnote overlaps.

Imported by the notebooks only (it imports matplotlib and seaborn; ``import kit`` does not).
"""
from __future__ import annotations

import base64
import io
import textwrap
from pathlib import Path
from typing import Any, Iterable

import matplotlib
import matplotlib.dates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from kit import rules
from kit.data import citations, sources
from kit.fsio import write_bytes_atomic
from kit.present import sources as citing

PALETTE = {
    "Amazon": "#ff9900", "AWS": "#ff9900", "aws": "#ff9900",
    "Microsoft": "#0078d4", "Azure": "#0078d4", "azure": "#0078d4", "intelligent_cloud": "#50a0e6",
    "Google": "#34a853", "Google Cloud": "#34a853", "google_cloud": "#34a853",
    "OpenAI": "#10a37f", "Anthropic": "#d97757", "Nvidia": "#76b900",
}
FOOTNOTE_SIZE = 7
MARKER_COLOR = "#333333"
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


def _frames(frames: pd.DataFrame | Iterable[pd.DataFrame]) -> list[pd.DataFrame]:
    return [frames] if isinstance(frames, pd.DataFrame) else list(frames)


def data_end(frames: pd.DataFrame | Iterable[pd.DataFrame]) -> str:
    """The latest date the plotted rows report on: a loaded frame's ``attrs["data_end"]``, else its date
    columns (up to the newest source's date: later dates are forecasts); "" if neither says."""
    horizon = sources()["published"].max()
    ends = []
    for frame in _frames(frames):
        if frame.attrs.get("data_end"):
            ends.append(str(frame.attrs["data_end"]))
            continue
        for column in frame.columns:
            if pd.api.types.is_datetime64_any_dtype(frame[column]):
                dates = frame[column][frame[column] <= horizon].dropna()
                if len(dates):
                    ends.append(str(dates.max().date()))
    return max(ends) if ends else ""


def source_line(frames: pd.DataFrame | Iterable[pd.DataFrame], width: int = 130, limit: int = 12,
                data_end_date: str = "") -> str:
    """'Sources: …' for the rows of one or more frames: publishers with dates, the best graded first (company
    and research-firm releases, their copies, established press, then weak hosts; by name within a grade), then
    "Data to <date>" (from ``data_end_date``, the frames, or failing both the date of the latest source, said so)."""
    frames = _frames(frames)
    table = pd.concat([citations(f) for f in frames]).drop_duplicates()
    ranks = rules.grade_rank(table["quality"].astype(str)).tolist()
    best: dict[str, int] = {}
    for r, rank in zip(table.itertuples(), ranks):
        item = f"{r.publisher} ({r.published.date() if pd.notna(r.published) else 'undated'})"
        best[item] = min(best.get(item, rank), rank)
    items = sorted(best, key=lambda item: (best[item], item))
    more = len(items) - limit
    shown = items[:limit] + ([f"and {more} more (all listed under Sources at the end of the report)"] if more > 0 else [])
    end = data_end_date or data_end(frames)
    if end:
        tail = f" Data to {end}."
    else:
        dated = table["published"].dropna()
        tail = f" Data to {dated.max().date()} (date of the latest source)." if len(dated) else " Data to: undated sources."
    keep = "\u00a0"  # the data end stays on one line: wrapped as one word, then given its spaces back
    return textwrap.fill("Sources: " + "; ".join(shown) + ". " + tail.strip().replace(" ", keep), width).replace(keep, " ")


def _tight(fig: plt.Figure) -> Any:
    """The box (inches) of everything drawn, inside or outside the figure."""
    return fig.get_tightbbox(fig.canvas.get_renderer())


def footnote(fig: plt.Figure, frames: pd.DataFrame | Iterable[pd.DataFrame], data_end_date: str = "") -> str:
    """Print the sources of the plotted rows under everything else in the figure (legends below the axes
    included), wrapped to the figure's width; returns the text."""
    box = _tight(fig)
    width_in, height_in = fig.get_figwidth(), fig.get_figheight()
    chars = max(60, int(box.width * 72 / (FOOTNOTE_SIZE * 0.56)))
    text = source_line(frames, width=chars, data_end_date=data_end_date)
    gap = 6 / 72  # inches between the lowest artist and the footnote
    fig.text(box.x0 / width_in, (box.y0 - gap) / height_in, text, ha="left", va="top", fontsize=FOOTNOTE_SIZE,
             color="#555555", transform=fig.transFigure)
    return text


def legend_below(ax: plt.Axes, ncol: int | None = None, title: str = "", **kwargs: Any) -> Any:
    """Move ``ax``'s legend under the axes, below its tick labels and axis label, so it covers no data.
    Call it once the axes are labelled (and after ``tight_layout``)."""
    handles, labels = ax.get_legend_handles_labels()
    if ax.get_legend() is not None:
        ax.get_legend().remove()
    if not handles:
        return None
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    below = ax.get_tightbbox(renderer).transformed(ax.transAxes.inverted()).y0  # axes fraction, < 0
    ncol = ncol or min(len(labels), 4)
    return ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(0.0, below - 0.02), ncol=ncol,
                     frameon=False, title=title or None, fontsize=8, **kwargs)


def mark_date(ax: plt.Axes, date: Any, label: str, color: str = MARKER_COLOR) -> None:
    """A dashed vertical line at ``date`` with ``label`` written beside its top, inside the axes."""
    x = pd.Timestamp(date) if not isinstance(date, (int, float)) else date
    ax.axvline(x, color=color, linestyle="--", linewidth=1)
    low, high = ax.get_xlim()
    at = (matplotlib.dates.date2num(x) if isinstance(x, pd.Timestamp) else x)
    right_half = (at - low) / (high - low) > 0.6 if high != low else False  # write towards the middle
    ax.annotate(label, xy=(x, 1.0), xycoords=("data", "axes fraction"), xytext=(-3 if right_half else 3, -3),
                textcoords="offset points", ha="right" if right_half else "left", va="top", fontsize=8, color=color,
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.8})


def axes_title(ax: plt.Axes) -> str:
    """An axes' title wherever it is placed (the theme puts titles on the left)."""
    return next((t for loc in ("left", "center", "right") if (t := ax.get_title(loc))), "")


def _shared_label(ax: plt.Axes, which: str) -> bool:
    group = ax.get_shared_x_axes() if which == "x" else ax.get_shared_y_axes()
    return any((other.get_xlabel() if which == "x" else other.get_ylabel()) for other in group.get_siblings(ax))


def unlabelled_axes(fig: plt.Figure) -> list[str]:
    """Axes of ``fig`` that show ticks but have no label (neither their own nor a shared axis's), as
    "<axes title>: x" / ": y"; a chart should have none. Figure-wide labels (``supxlabel``) count."""
    problems = []
    fig_x = fig._supxlabel is not None and fig._supxlabel.get_text()  # noqa: SLF001 (matplotlib has no getter)
    fig_y = fig._supylabel is not None and fig._supylabel.get_text()  # noqa: SLF001
    for ax in fig.axes:
        if not ax.axison or not ax.get_visible():
            continue
        for which, axis, label, fig_label in (("x", ax.xaxis, ax.get_xlabel(), fig_x), ("y", ax.yaxis, ax.get_ylabel(), fig_y)):
            shows_ticks = axis.get_visible() and any(t.get_visible() and t.get_text() for t in axis.get_ticklabels())
            if shows_ticks and not label and not fig_label and not _shared_label(ax, which):
                problems.append(f"{axes_title(ax) or ax.get_label() or 'axes'}: {which}")
    return problems


def chart_title(fig: plt.Figure) -> str:
    """The chart's title: the figure's suptitle, else its axes' titles joined by " / "."""
    suptitle = fig._suptitle.get_text() if fig._suptitle is not None else ""  # noqa: SLF001
    return suptitle or " / ".join(t for t in (axes_title(ax) for ax in fig.axes) if t)


def figure_bytes(fig: plt.Figure, fmt: str, box: Any = None) -> bytes:
    """``fig`` rendered as ``fmt`` (png, svg, pdf), byte-stable: no dates, no software tag; cut to ``box``
    (inches, e.g. from ``saved_box``) instead of laying the figure out once more to find it."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, metadata=_SAVE_METADATA.get(fmt), **({} if box is None else {"bbox_inches": box}))
    return buffer.getvalue()


def saved_box(fig: plt.Figure) -> Any:
    """The box ``savefig.bbox: tight`` cuts the figure to (what ``figure_bytes`` finds itself without one)."""
    return _tight(fig).padded(plt.rcParams["savefig.pad_inches"])


def save_figure(fig: plt.Figure, path: str | Path) -> Path:
    """Save ``fig`` byte-stable and atomically; the format comes from the suffix."""
    path = Path(path)
    return write_bytes_atomic(path, figure_bytes(fig, path.suffix.lstrip(".")))


def show(fig: plt.Figure, frames: pd.DataFrame | Iterable[pd.DataFrame], name: str, figures_dir: str = "",
         data_end_date: str = "") -> None:
    """Finish a chart: add the sources footnote under everything else, note its sources for the report's
    sources list, save ``<figures_dir>/<name>.png`` and ``.svg`` when ``figures_dir`` is set, and display
    the PNG (rendered once for both) with the chart's title as its text. The output's metadata
    (``kit.chart``) carries the name, title, footnote and any unlabelled axes. The figure is closed."""
    from IPython.display import display

    citing.cite(citing.ids_of(frames))
    title = chart_title(fig)
    unlabelled = unlabelled_axes(fig)
    note = footnote(fig, frames, data_end_date)
    box = saved_box(fig)  # laid out once for every format
    png = figure_bytes(fig, "png", box)
    if figures_dir:
        write_bytes_atomic(Path(figures_dir) / f"{name}.png", png)
        write_bytes_atomic(Path(figures_dir) / f"{name}.svg", figure_bytes(fig, "svg", box))
    plt.close(fig)
    chart = {"name": name, "title": title, "footnote": " ".join(note.split()), "unlabelled_axes": unlabelled}
    display({"image/png": base64.b64encode(png).decode("ascii"), "text/plain": f"Chart: {title or name}"},
            raw=True, metadata={"kit": {"chart": chart}})
