"""kit.present.network: the alliance network chart with nothing drawn over anything else."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

import kit  # noqa: E402
from kit import alliances, theme  # noqa: E402
from kit.present.network import network_figure  # noqa: E402


def _boxes_overlap(a, b) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def test_legends_sit_under_the_drawings_and_the_footnote_under_the_legends():
    theme.set_theme()
    events = kit.load("alliance_events")
    latest = pd.Timestamp(events.attrs["data_end"])
    graphs = {"At the article": alliances.alliance_graph(events, "2025-09-19"),
              "At the data's end": alliances.alliance_graph(events, latest)}
    types = list(events["event_type"].cat.categories)
    fig = network_figure(graphs, alliances.layout(graphs["At the data's end"]), types)
    theme.footnote(fig, events)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    kinds, roles = fig.legends
    boxes = {"kinds": kinds.get_window_extent(renderer), "roles": roles.get_window_extent(renderer),
             "note": fig.texts[-1].get_window_extent(renderer)}
    assert "compute deal" in [t.get_text() for t in kinds.get_texts()]
    for ax in fig.axes:
        drawing = ax.get_window_extent(renderer)
        assert boxes["kinds"].y1 <= drawing.y0 and boxes["roles"].y1 <= drawing.y0
    assert boxes["roles"].y1 <= boxes["kinds"].y0 and boxes["note"].y1 <= boxes["roles"].y0
    names = [t for ax in fig.axes for t in ax.texts]
    assert len(names) == 2 * len(alliances.layout(graphs["At the data's end"]))
    for ax in fig.axes:
        for text in ax.texts:  # each name under its own node
            node_y = ax.transData.transform(text.xy)[1]
            assert text.get_window_extent(renderer).y1 < node_y
    plt.close(fig)
