"""Alliance shifts: who is tied to whom, how concentrated each lab is, and what a shift would cost.

Pure functions on the kit's tables. What counts is explicit:

- a *compute commitment* is an event with a stated dollar value that names exactly one lab and exactly one
  cloud supplier (investments and distribution deals never count); values are taken as stated, so
  "up to" amounts count in full and multi-year totals are not annualised;
- *funding* is counted by ``kit.rules.count_funding`` (the one rule): secondary sales are left out, an
  announced round's components carry their investors, a closing that follows an announcement replaces it;
  here "up to" ceilings count in full by default, so the partner's share of it is the *pledged* funding
  share (``investor_share_of_pledged_funding_percent``), not ``investor_share_of_funding_percent``;
- a Herfindahl index is the sum of squared percentage shares (10,000 = one supplier or investor).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

import networkx as nx
import pandas as pd

from kit import rules

LABS = ("Anthropic", "OpenAI")
MAIN_PARTNER = {"OpenAI": "Microsoft", "Anthropic": "Amazon"}
ROLES = {
    "Anthropic": "lab", "OpenAI": "lab",
    "Amazon": "cloud", "CoreWeave": "cloud", "Google": "cloud", "Microsoft": "cloud", "Oracle": "cloud",
    "SpaceX": "cloud",
    "AMD": "chips", "Arm": "chips", "Broadcom": "chips", "Nvidia": "chips",
    "MGX": "investor", "SoftBank": "investor",
}
ROLE_ORDER = ("lab", "cloud", "chips", "investor", "other")
CLOUD_SEGMENT = {"Microsoft": "azure", "Amazon": "aws", "Google": "google_cloud"}


def role(party: str) -> str:
    """The role of a party: lab, cloud, chips, investor, or other for a party the kit does not know."""
    return ROLES.get(party, "other")


def parties(events: pd.DataFrame) -> pd.DataFrame:
    """One row per event and party (``parties`` split on ';'), with the party's role."""
    rows = []
    for ev in events.itertuples(index=False):
        names = [p.strip() for p in str(ev.parties).split(";") if p.strip()]
        if not names:
            raise ValueError(f"alliance_events: event {ev.event_id} has no parties")
        rows += [{"event_id": ev.event_id, "party": p, "role": role(p)} for p in names]
    return pd.DataFrame(rows, columns=["event_id", "party", "role"])


def _status_ok(status: object, include_media_reports: bool) -> bool:
    return include_media_reports or str(status) != "media_report"


def compute_commitments(events: pd.DataFrame, exclude: Iterable[str] = (),
                        include_media_reports: bool = True) -> pd.DataFrame:
    """Every valued, non-investment event as a candidate compute commitment, with ``counted`` and ``reason``.

    Counted: exactly one lab and one cloud among the parties, not in ``exclude``, and (unless
    ``include_media_reports``) not flagged media_report. Sorted by date and event id.
    """
    exclude = set(exclude)
    cols = ["event_id", "date", "lab", "supplier", "value_usd_billion", "event_type", "status", "source_id",
            "counted", "reason"]
    cand = events[events["value_usd_billion"].notna()
                  & ~events["event_type"].astype(str).isin(["investment", "model_distribution"])]
    by_event = parties(cand) if len(cand) else pd.DataFrame(columns=["event_id", "party", "role"])
    rows = []
    for ev in cand.itertuples(index=False):
        who = by_event[by_event["event_id"] == ev.event_id]
        labs = sorted(who.loc[who["role"] == "lab", "party"])
        clouds = sorted(who.loc[who["role"] == "cloud", "party"])
        if ev.event_id in exclude:
            reason = "left out by parameter"
        elif len(labs) != 1:
            reason = "no single lab"
        elif not clouds:
            reason = "no cloud supplier named"
        elif len(clouds) > 1:
            reason = "several clouds: value not attributable"
        elif not _status_ok(ev.status, include_media_reports):
            reason = "media report left out"
        else:
            reason = "counted"
        rows.append({"event_id": ev.event_id, "date": ev.date, "lab": labs[0] if len(labs) == 1 else None,
                     "supplier": clouds[0] if len(clouds) == 1 else None,
                     "value_usd_billion": ev.value_usd_billion, "event_type": str(ev.event_type),
                     "status": str(ev.status), "source_id": ev.source_id, "counted": reason == "counted",
                     "reason": reason})
    out = pd.DataFrame(rows, columns=cols)
    out["date"] = pd.to_datetime(out["date"])
    return out.sort_values(["date", "event_id"]).reset_index(drop=True)


def funding_by_investor(funding: pd.DataFrame, conflict: str = "lower", include_media_reports: bool = True,
                        include_up_to: bool = True) -> pd.DataFrame:
    """New money into each lab, one row per (round, investor) (``rules.investor_rows`` of
    ``rules.count_funding``): a strategic investor where it is the round's sole named investor or a
    stated component, else ``rules.OTHER_INVESTORS``. Conflicting figures keep the ``conflict`` = "lower"
    or "higher" one. "Up to" ceilings count in full unless ``include_up_to`` is False: what was pledged."""
    counted = rules.count_funding(funding, include_up_to=include_up_to, conflict=conflict,
                                  include_media_reports=include_media_reports)
    return rules.investor_rows(counted)


def hhi(values: pd.Series) -> float:
    """Herfindahl index of positive values (sum of squared % shares, 0-10,000); NaN when there are none."""
    v = values[values > 0]
    if v.empty:
        return float("nan")
    shares = 100 * v / v.sum()
    return float((shares ** 2).sum())


def concentration(items: pd.DataFrame, counterparty: str, value: str, dates: Sequence) -> pd.DataFrame:
    """Per lab and date, from the items dated on or before it: total, the main partner's amount and
    share (percent), the Herfindahl index over ``counterparty`` and the largest counterparty.
    A lab with nothing by a date gets no row (missing, not zero)."""
    rows = []
    for lab in LABS:
        mine = items[items["lab"] == lab]
        for d in sorted(pd.to_datetime(pd.Series(list(dates))).unique()):
            upto = mine[mine["date"] <= d]
            if upto.empty or upto[value].sum() <= 0:
                continue
            per = upto.groupby(counterparty)[value].sum().sort_index()
            partner = float(per.get(MAIN_PARTNER[lab], 0.0))
            rows.append({"lab": lab, "date": pd.Timestamp(d), "total_usd_billion": float(per.sum()),
                         "partner": MAIN_PARTNER[lab], "partner_usd_billion": partner,
                         "partner_share_percent": 100 * partner / float(per.sum()), "hhi": hhi(per),
                         "counterparties": int((per > 0).sum()),
                         "largest": str(per.sort_values(ascending=False, kind="stable").index[0])})
    return pd.DataFrame(rows, columns=["lab", "date", "total_usd_billion", "partner", "partner_usd_billion",
                                       "partner_share_percent", "hhi", "counterparties", "largest"])


def alliance_graph(events: pd.DataFrame, until: str | pd.Timestamp | None = None,
                   exclude: Iterable[str] = ()) -> nx.MultiGraph:
    """The alliance network up to ``until``: one node per party (attribute ``role``), one edge per pair
    and event type (key = type) with ``events`` (count), ``event_ids`` and ``value_usd_billion``.

    An event links each lab to each other party; an event without a lab links all its parties. Its value
    goes to an edge only where it is attributable (never split): the event has a single counterparty, or
    it is a compute commitment with one cloud (as in ``compute_commitments``); events in ``exclude`` keep
    their edge but add no value."""
    ev = events if until is None else events[events["date"] <= pd.Timestamp(until)]
    ev = ev.sort_values(["date", "event_id"])
    excluded = set(exclude)
    who = parties(ev) if len(ev) else pd.DataFrame(columns=["event_id", "party", "role"])
    g = nx.MultiGraph()
    for name in sorted(who["party"].unique()):
        g.add_node(name, role=role(name))
    for e in ev.itertuples(index=False):
        names = sorted(who.loc[who["event_id"] == e.event_id, "party"])
        labs = [p for p in names if role(p) == "lab"]
        if labs:
            pairs = [(lab, p) for lab in labs for p in names if p != lab and not (role(p) == "lab" and p < lab)]
        else:
            pairs = [(a, b) for i, a in enumerate(names) for b in names[i + 1:]]
        clouds = [p for p in names if role(p) == "cloud"]
        if pd.isna(e.value_usd_billion) or e.event_id in excluded:
            valued = set()
        elif len(pairs) == 1:
            valued = {pairs[0]}
        elif (str(e.event_type) not in ("investment", "model_distribution") and len(labs) == 1
              and len(clouds) == 1):
            valued = {(labs[0], clouds[0])}
        else:
            valued = set()
        for a, b in pairs:
            u, v = sorted((a, b))
            kind = str(e.event_type)
            if not g.has_edge(u, v, key=kind):
                g.add_edge(u, v, key=kind, events=0, event_ids=[], value_usd_billion=0.0)
            data = g.edges[u, v, kind]
            data["events"] += 1
            data["event_ids"].append(e.event_id)
            data["value_usd_billion"] += float(e.value_usd_billion) if (a, b) in valued else 0.0
    return g


def edge_table(g: nx.MultiGraph) -> pd.DataFrame:
    """The graph's edges as a sorted table."""
    rows = [{"party_a": u, "party_b": v, "event_type": k, "events": d["events"],
             "value_usd_billion": d["value_usd_billion"], "event_ids": " ".join(d["event_ids"])}
            for u, v, k, d in g.edges(keys=True, data=True)]
    cols = ["party_a", "party_b", "event_type", "events", "value_usd_billion", "event_ids"]
    return pd.DataFrame(rows, columns=cols).sort_values(cols[:3]).reset_index(drop=True)


def layout(g: nx.Graph) -> dict[str, tuple[float, float]]:
    """Fixed positions: labs in the middle, clouds around them, chip makers, investors and others outside.
    Deterministic (sorted nodes, no randomness), so two dates drawn with it line up."""
    shells = [sorted(n for n in g.nodes if role(n) == "lab"),
              sorted(n for n in g.nodes if role(n) == "cloud"),
              sorted(n for n in g.nodes if role(n) not in ("lab", "cloud"))]
    shells = [s for s in shells if s]
    pos = nx.shell_layout(g, nlist=shells, rotate=0.0) if shells else {}
    return {n: (round(float(x), 6), round(float(y), 6)) for n, (x, y) in sorted(pos.items())}


def events_since(events: pd.DataFrame, date: str | pd.Timestamp) -> pd.DataFrame:
    """Count of events after ``date`` by type (every type of the table, zero included)."""
    types = list(events["event_type"].cat.categories) if hasattr(events["event_type"], "cat") \
        else sorted(events["event_type"].unique())
    after = events[events["date"] > pd.Timestamp(date)]
    counts = after["event_type"].astype(str).value_counts()
    return pd.DataFrame({"event_type": types, "events": [int(counts.get(t, 0)) for t in types]})


def judge(expectations: pd.DataFrame, sources: pd.DataFrame, as_of: str | pd.Timestamp | None = None) -> pd.DataFrame:
    """The expectations with their verdicts as known at ``as_of``: a verdict whose evidence was not yet
    published (source date, else the evidence date) becomes ``open``. Sorted by id."""
    out = expectations.copy()
    out["verdict"] = out["verdict"].astype(str)
    known = rules.known_from(out["evidence_source_id"].map(sources["published"]), out["evidence_date"])
    out.loc[~rules.known_by(known, as_of), "verdict"] = "open"
    return out.sort_values("expectation_id").reset_index(drop=True)


def verdict_counts(judged: pd.DataFrame) -> dict[str, int]:
    """Number of expectations per verdict (held, partly_held, not_held, open)."""
    counts = judged["verdict"].astype(str).value_counts()
    return {v: int(counts.get(v, 0)) for v in ("held", "partly_held", "not_held", "open")}


def annual_revenue(cloud_revenue: pd.DataFrame, provider: str) -> pd.DataFrame:
    """The rows giving a cloud's latest annual revenue: the last four quarters where all four carry a
    revenue, else the latest fiscal year with a revenue. Empty when neither exists."""
    if provider not in CLOUD_SEGMENT:
        raise ValueError(f"no cloud revenue for {provider!r}; choose one of {', '.join(sorted(CLOUD_SEGMENT))}")
    seg = cloud_revenue[(cloud_revenue["segment"].astype(str) == CLOUD_SEGMENT[provider])
                        & cloud_revenue["revenue_usd_billion"].notna()]
    q = seg[seg["period_type"].astype(str) == "quarter"].sort_values(["period_end", "source_id"])
    q = q.drop_duplicates("period_end", keep="first").tail(4)
    if len(q) == 4 and (q["period_end"].iloc[-1] - q["period_end"].iloc[0]).days < 300:
        return q.reset_index(drop=True)
    fy = seg[seg["period_type"].astype(str) == "fiscal_year"].sort_values(["period_end", "source_id"])
    return fy.tail(1).reset_index(drop=True)


def shift_effect(spend: pd.DataFrame, revenue: dict[str, float], shares: dict[str, float],
                 destinations: dict[str, str]) -> pd.DataFrame:
    """What moving ``shares[lab]`` (0-1) of a lab's partner-cloud spend to ``destinations[lab]`` does:
    dollars moved, as a percent of the partner's and of the destination's annual cloud revenue."""
    rows = []
    for r in spend.itertuples(index=False):
        share = shares.get(r.lab, 0.0)
        if not 0 <= share <= 1:
            raise ValueError(f"shift share for {r.lab} must be between 0 and 1, not {share}")
        dest = destinations[r.lab]
        if dest == r.partner:
            raise ValueError(f"{r.lab}'s compute cannot move to its own partner {dest}")
        for who in (r.partner, dest):
            if who not in revenue:
                raise ValueError(f"no annual cloud revenue for {who}")
        moved = share * r.spend_usd_billion
        rows.append({"lab": r.lab, "partner": r.partner, "to": dest, "year": r.year,
                     "spend_usd_billion": r.spend_usd_billion, "status": r.status, "shift_share": share,
                     "moved_usd_billion": moved,
                     "partner_revenue_usd_billion": revenue[r.partner],
                     "partner_change_percent": -100 * moved / revenue[r.partner],
                     "to_revenue_usd_billion": revenue[dest],
                     "to_change_percent": 100 * moved / revenue[dest], "source_id": r.source_id})
    cols = ["lab", "partner", "to", "year", "spend_usd_billion", "status", "shift_share", "moved_usd_billion",
            "partner_revenue_usd_billion", "partner_change_percent", "to_revenue_usd_billion",
            "to_change_percent", "source_id"]
    return pd.DataFrame(rows, columns=cols)


def value_at(frame: pd.DataFrame, lab: str, date: str | pd.Timestamp, column: str) -> float | None:
    """``column`` of the lab's last row dated on or before ``date`` (a concentration table); None if none."""
    rows = frame[(frame["lab"] == lab) & (frame["date"] <= pd.Timestamp(date))]
    return None if rows.empty else float(rows.sort_values("date")[column].iloc[-1])


def network_figure(graphs: dict[str, nx.MultiGraph], pos: dict[str, tuple[float, float]], event_types: Sequence[str]):
    """Side-by-side drawings of alliance graphs on fixed positions: node colour by role, edge colour by
    event type (parallel edges bent apart), width by attributable dollar value. Returns the figure."""
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    colors = dict(zip(event_types, ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860",
                                    "#da8bc3", "#8c8c8c"]))
    role_colors = {"lab": "#d97757", "cloud": "#0078d4", "chips": "#76b900", "investor": "#937860", "other": "#8c8c8c"}
    top = max([d["value_usd_billion"] for g in graphs.values() for *_, d in g.edges(keys=True, data=True)] + [1.0])
    fig, axes = plt.subplots(1, len(graphs), figsize=(6.2 * len(graphs), 6.2), squeeze=False)
    for ax, (title, g) in zip(axes[0], graphs.items()):
        everyone = sorted(pos)
        absent = [n for n in everyone if n not in g]
        if absent:
            nx.draw_networkx_nodes(g, pos, nodelist=absent, node_color="#eeeeee", edgecolors="#cccccc",
                                   node_size=700, ax=ax)
        present = sorted(g.nodes)
        nx.draw_networkx_nodes(g, pos, nodelist=present, node_color=[role_colors[role(n)] for n in present],
                               node_size=900, alpha=0.9, ax=ax)
        for i, kind in enumerate(event_types):
            edges = sorted((u, v) for u, v, k in g.edges(keys=True) if k == kind)
            if not edges:
                continue
            widths = [1.0 + 6.0 * (g.edges[u, v, kind]["value_usd_billion"] / top) ** 0.5 for u, v in edges]
            nx.draw_networkx_edges(g, pos, edgelist=edges, width=widths, edge_color=colors[kind], alpha=0.75,
                                   arrows=True, arrowstyle="-", node_size=900,
                                   connectionstyle=f"arc3,rad={0.08 * (i - (len(event_types) - 1) / 2):.3f}", ax=ax)
        labels = {n: n for n in everyone}
        nx.draw_networkx_labels(g, pos, labels=labels, font_size=8, ax=ax)
        ax.set_title(title)
        ax.set_axis_off()
        ax.margins(0.08)
    handles = [Line2D([0], [0], color=colors[k], lw=3, label=k.replace("_", " ")) for k in event_types]
    handles += [Line2D([0], [0], marker="o", color="w", markerfacecolor=c, markersize=10, label=r)
                for r, c in role_colors.items() if r != "other"]
    fig.legend(handles=handles, loc="lower center", ncol=5, frameon=False, fontsize=8, bbox_to_anchor=(0.5, -0.04))
    return fig
