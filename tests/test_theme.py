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
    import IPython.display
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from kit import theme

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj: shown.append(obj))
    frame = kit.load("revenue_runrate")
    fig, ax = plt.subplots()
    ax.plot(frame["date"], frame["annualized_revenue_usd_billion"])
    theme.show(fig, frame, "runrate", str(tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["runrate.png", "runrate.svg"]
    assert shown[0].data == (tmp_path / "runrate.png").read_bytes()
    assert not plt.fignum_exists(fig.number)



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
