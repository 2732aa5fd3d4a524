"""kit.theme: saved figures are byte-identical across processes; footnotes cite the plotted rows."""
from __future__ import annotations

import subprocess
import sys

import kit

SCRIPT = """
import sys, matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt, seaborn as sns, kit
from kit import theme
theme.set_theme()
frame = kit.load("cloud_revenue")
frame = frame[frame["segment"] == "aws"].dropna(subset=["revenue_usd_billion"])
fig, ax = plt.subplots()
sns.lineplot(data=frame, x="period_end", y="revenue_usd_billion", ax=ax)
theme.footnote(fig, frame)
for suffix in ("png", "svg", "pdf"):
    theme.save_figure(fig, f"{sys.argv[1]}/chart.{suffix}")
"""


def test_figures_are_byte_identical_across_processes(tmp_path):
    for run in ("a", "b"):
        (tmp_path / run).mkdir()
        subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / run)], check=True)
    for suffix in ("png", "svg", "pdf"):
        assert (tmp_path / "a" / f"chart.{suffix}").read_bytes() == (tmp_path / "b" / f"chart.{suffix}").read_bytes(), suffix
    assert b"Software" not in (tmp_path / "a" / "chart.png").read_bytes()


def test_source_line_names_publishers_of_plotted_rows_and_data_end():
    from kit import theme

    frame = kit.load("funding")
    line = theme.source_line(frame[frame["company"] == "Anthropic"].head(2))
    cited = kit.citations(frame[frame["company"] == "Anthropic"].head(2))
    assert line.startswith("Sources: ")
    assert all(p in line.replace("\n", " ") for p in cited["publisher"])
    assert "Data to" in line


def test_save_failure_keeps_the_previous_file(tmp_path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pytest
    from kit import theme

    target = tmp_path / "chart.png"
    target.write_bytes(b"previous good figure")
    fig, _ = plt.subplots()

    def half_write(target, **kwargs):
        target.write(b"half")
        raise OSError("disk full")

    fig.savefig = half_write
    with pytest.raises(OSError, match="disk full"):
        theme.save_figure(fig, target)
    assert target.read_bytes() == b"previous good figure"
    assert [p.name for p in tmp_path.iterdir()] == ["chart.png"]


def test_show_saves_both_formats_displays_the_saved_png_and_closes(tmp_path, monkeypatch):
    import base64

    import IPython.display
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from kit import theme

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, **kwargs: shown.append((obj, kwargs)))
    frame = kit.load("revenue_runrate")
    fig, ax = plt.subplots()
    ax.plot(frame["date"], frame["annualized_revenue_usd_billion"])
    theme.show(fig, frame, "runrate", str(tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["runrate.png", "runrate.svg"]
    bundle, kwargs = shown[0]
    assert base64.b64decode(bundle["image/png"]) == (tmp_path / "runrate.png").read_bytes()
    assert kwargs["metadata"]["kit"]["chart"]["name"] == "runrate"
    assert not plt.fignum_exists(fig.number)


def _agg():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from kit import theme

    theme.set_theme()
    return plt, theme


def _box(artist, fig):
    return artist.get_window_extent(fig.canvas.get_renderer())


def test_legend_below_the_axes_and_footnote_below_the_legend_overlap_nothing():
    plt, theme = _agg()
    frame = kit.load("cloud_revenue")
    frame = frame[frame["segment"] == "aws"].dropna(subset=["revenue_usd_billion"])
    fig, ax = plt.subplots()
    for name in ("one", "two", "three", "four", "five"):
        ax.plot(frame["period_end"], frame["revenue_usd_billion"], label=f"series {name}")
    ax.set(title="T", xlabel="quarter end", ylabel="USD billion")
    legend = theme.legend_below(ax)
    fig.legend(handles=ax.get_legend_handles_labels()[0][:2], loc="lower center", bbox_to_anchor=(0.5, -0.3))
    theme.footnote(fig, frame)
    fig.canvas.draw()
    note = fig.texts[-1]
    axes_bottom = min(_box(ax.xaxis.label, fig).y0, _box(ax, fig).y0)
    assert _box(legend, fig).y1 <= axes_bottom, "the legend covers the axes or its label"
    lowest = min(_box(legend, fig).y0, _box(fig.legends[0], fig).y0)
    assert _box(note, fig).y1 <= lowest, "the footnote overlaps a legend"
    assert "Data to" in note.get_text()
    plt.close(fig)


def test_every_footnote_ends_with_a_data_end_even_for_frames_without_one():
    from kit import theme

    funding = kit.load("funding")
    assert theme.source_line(funding.head(3)).replace("\n", " ").endswith(f"Data to {funding.attrs['data_end']}.")
    merged = funding.head(3).copy()
    merged.attrs = {}  # as after a pivot or a merge of frames with different attrs
    assert f"Data to {merged['date'].max().date()}." in theme.source_line(merged).replace("\n", " ")
    dated = kit.sources()["published"].dropna().index
    no_dates = funding.loc[funding["source_id"].isin(dated), ["source_id"]].head(3)
    no_dates.attrs = {}
    latest = kit.citations(no_dates)["published"].max().date()
    assert f"Data to {latest} (date of the latest source)." in theme.source_line(no_dates).replace("\n", " ")


def test_many_sources_point_to_the_sources_list():
    from kit import theme

    line = theme.source_line(kit.load("cloud_revenue"), limit=3).replace("\n", " ")
    assert "more (all listed under Sources at the end of the report)" in line and "sources table" not in line


def test_unlabelled_axes_are_named_and_shared_or_hidden_axes_are_not():
    plt, theme = _agg()
    fig, (left, right) = plt.subplots(1, 2, sharey=True)
    left.plot([1, 2], [3, 4])
    right.plot([1, 2], [3, 4])
    left.set(title="Left", xlabel="x", ylabel="y")
    right.set(title="Right")
    assert theme.unlabelled_axes(fig) == ["Right: x"]
    right.set_xlabel("x")
    assert theme.unlabelled_axes(fig) == []
    hidden, ax = plt.subplots()
    ax.set_axis_off()
    assert theme.unlabelled_axes(hidden) == []
    plt.close("all")


def test_article_date_marker_is_labelled_inside_the_axes():
    import pandas as pd

    plt, theme = _agg()
    fig, ax = plt.subplots()
    ax.plot(pd.to_datetime(["2024-01-01", "2025-12-31"]), [1, 2])
    ax.set(xlabel="date", ylabel="value")
    theme.mark_date(ax, "2025-09-19", "seed article")
    label = ax.texts[-1]
    assert label.get_text() == "seed article" and ax.lines[-1].get_linestyle() == "--"
    fig.canvas.draw()
    assert _box(ax, fig).x0 <= _box(label, fig).x0 and _box(label, fig).x1 <= _box(ax, fig).x1
    plt.close(fig)


def test_show_notes_title_footnote_and_sources_for_the_report(monkeypatch):
    import IPython.display

    from kit.present import sources as citing

    plt, theme = _agg()
    citing.forget()
    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, **kwargs: shown.append((obj, kwargs)))
    frame = kit.load("revenue_runrate").head(3)
    fig, ax = plt.subplots()
    ax.plot(frame["date"], frame["annualized_revenue_usd_billion"])
    ax.set(title="Run-rates", xlabel="date")
    theme.show(fig, frame, "runrate")
    chart = shown[0][1]["metadata"]["kit"]["chart"]
    assert chart["title"] == "Run-rates" and chart["unlabelled_axes"] == ["Run-rates: y"]
    assert chart["footnote"].startswith("Sources: ") and "Data to" in chart["footnote"]
    assert shown[0][0]["text/plain"] == "Chart: Run-rates"
    assert citing.cited() == sorted(set(frame["source_id"]))
    citing.forget()

def test_seaborns_jitter_is_the_same_in_every_run():
    """seaborn draws a strip plot's jitter from numpy's global generator; the theme seeds it."""
    import pandas as pd
    import seaborn as sns
    from matplotlib import pyplot as plt

    from kit import theme

    charts = []
    for _ in range(2):
        theme.set_theme()
        fig, ax = plt.subplots()
        sns.stripplot(data=pd.DataFrame({"x": list("aabbcc"), "y": range(6)}), x="y", y="x", jitter=0.3, ax=ax)
        charts.append(theme.figure_bytes(fig, "png"))
        plt.close(fig)
    assert charts[0] == charts[1]


def test_source_line_names_the_best_graded_sources_first():
    from kit import theme

    frame = kit.load("cloud_revenue")
    line = theme.source_line(frame, limit=400).replace("\n", " ")
    grades = kit.citations(frame).drop_duplicates("publisher").set_index("publisher")["quality"].astype(str)
    weak = [p for p, g in grades.items() if g == "weak"]
    strong = [p for p, g in grades.items() if g in ("primary", "primary_copy")]
    assert weak and strong
    assert max(line.index(p + " (") for p in strong) < min(line.index(p + " (") for p in weak)
