"""The alliance network chart: side-by-side drawings of alliance graphs on fixed positions.

Node colour by role, edge colour by event type (parallel edges bent apart), width by attributable
dollar value. Each name is written under its node on a white ground, so no label runs over a node's
colour; the two legends (event types, roles) sit under the drawings, one under the other, and
``kit.theme.show`` puts the sources footnote under them. Imports matplotlib: not part of ``import kit``.
"""
from __future__ import annotations

from typing import Sequence

import matplotlib.pyplot as plt
import networkx as nx
from matplotlib.lines import Line2D

from kit.alliances import role
from kit.present.labels import label

EVENT_COLORS = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#8c8c8c"]
ROLE_COLORS = {"lab": "#d97757", "cloud": "#0078d4", "chips": "#76b900", "investor": "#937860", "other": "#8c8c8c"}
NODE_SIZE = 700


def _legend_under(fig: plt.Figure, handles: list, top: float, title: str) -> tuple[object, float]:
    """A figure legend whose top edge is at ``top`` (figure fraction); returns it and its bottom edge."""
    legend = fig.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, top), ncol=len(handles),
                        frameon=False, fontsize=8, title=title, title_fontsize=8)
    box = legend.get_window_extent(fig.canvas.get_renderer()).transformed(fig.transFigure.inverted())
    return legend, box.y0


def network_figure(graphs: dict[str, nx.MultiGraph], pos: dict[str, tuple[float, float]],
                   event_types: Sequence[str]) -> plt.Figure:
    """The drawings of ``graphs`` (title → graph) on positions ``pos``; every party of ``pos`` is drawn,
    grey where it is not yet in that graph. Returns the figure for ``kit.theme.show``."""
    colors = dict(zip(event_types, EVENT_COLORS))
    top = max([d["value_usd_billion"] for g in graphs.values() for *_, d in g.edges(keys=True, data=True)] + [1.0])
    fig, axes = plt.subplots(1, len(graphs), figsize=(6.2 * len(graphs), 6.2), squeeze=False)
    for ax, (title, g) in zip(axes[0], graphs.items()):
        everyone = sorted(pos)
        absent = [n for n in everyone if n not in g]
        if absent:
            nx.draw_networkx_nodes(g, pos, nodelist=absent, node_color="#eeeeee", edgecolors="#cccccc",
                                   node_size=NODE_SIZE, ax=ax)
        present = sorted(g.nodes)
        nx.draw_networkx_nodes(g, pos, nodelist=present, node_color=[ROLE_COLORS[role(n)] for n in present],
                               node_size=NODE_SIZE, alpha=0.9, ax=ax)
        for i, kind in enumerate(event_types):
            edges = sorted((u, v) for u, v, k in g.edges(keys=True) if k == kind)
            if not edges:
                continue
            widths = [1.0 + 6.0 * (g.edges[u, v, kind]["value_usd_billion"] / top) ** 0.5 for u, v in edges]
            nx.draw_networkx_edges(g, pos, edgelist=edges, width=widths, edge_color=colors[kind], alpha=0.75,
                                   arrows=True, arrowstyle="-", node_size=NODE_SIZE,
                                   connectionstyle=f"arc3,rad={0.08 * (i - (len(event_types) - 1) / 2):.3f}", ax=ax)
        for name in everyone:
            ax.annotate(name, xy=pos[name], xytext=(0, -13), textcoords="offset points", ha="center", va="top",
                        fontsize=8, color="#222222" if name in g else "#888888", zorder=5,
                        bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85})
        ax.set_title(title)
        ax.set_axis_off()
        ax.margins(0.12)
    fig.tight_layout()
    kinds = [Line2D([0], [0], color=colors[k], lw=3, label=label(k)) for k in event_types]
    roles = [Line2D([0], [0], marker="o", color="w", markerfacecolor=c, markersize=10, label=r)
             for r, c in ROLE_COLORS.items() if r != "other"]
    lowest = min(ax.get_tightbbox(fig.canvas.get_renderer()).transformed(fig.transFigure.inverted()).y0
                 for ax in axes[0])
    _, below = _legend_under(fig, kinds, lowest - 0.01, "event type (width: attributable value)")
    _legend_under(fig, roles, below - 0.01, "role")
    return fig
