"""AWS vs Azure: pick among conflicting rows, trailing-twelve-month revenue, net new revenue,
Azure's derived quarters, market-share gaps, and a growth-decay projection with its crossover,
Monte Carlo and sensitivity table.

All functions are pure: frames and values in, frames and values out. Growth rates are in percent
(23 = 23 %), money in USD billions, quarters are calendar quarters (``period_end``).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from kit import rules

#: First calendar quarter of Microsoft's segment definition of August 2024 (FY2025 Q1).
IC_NEW_BASIS_FROM = pd.Timestamp("2024-09-30")
SERIES = {"aws": "AWS", "azure": "Azure", "google_cloud": "Google Cloud", "microsoft_cloud": "Microsoft Cloud"}
IC_OLD, IC_NEW = "Intelligent Cloud (old basis)", "Intelligent Cloud (new basis)"
AZURE_DERIVED = "Azure (derived)"


# --- choosing among rows -------------------------------------------------------------------------

def rank_rows(frame: pd.DataFrame, sources: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """``frame`` with its source's ``quality`` and a ``chosen`` flag: one row per ``keys``.

    Among rows with equal keys the best source quality wins (``rules.GRADE_ORDER``), then the firmer
    status (``rules.STATUS_ORDER``), then the smaller source_id.
    """
    quality = frame["source_id"].map(sources["quality"].astype(str))
    unknown = sorted(set(frame.loc[quality.isna(), "source_id"]))
    if unknown:
        raise KeyError(f"source ids not in the sources table: {', '.join(unknown)}")
    ranked = frame.assign(quality=quality.astype(str), _q=rules.grade_rank(quality),
                          _s=rules.status_rank(frame["status"]))
    ranked = ranked.sort_values([*keys, "_q", "_s", "source_id"], kind="stable")
    ranked["chosen"] = ~ranked.duplicated(keys, keep="first")
    return ranked.drop(columns=["_q", "_s"]).reset_index(drop=True)


def conflicts(ranked: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """The rows of ``rank_rows`` output whose keys occur more than once (chosen and dropped)."""
    return ranked[ranked.duplicated(keys, keep=False)].reset_index(drop=True)


# --- quarterly series --------------------------------------------------------------------------

def with_series(frame: pd.DataFrame) -> pd.DataFrame:
    """Add ``series``: the segment's display name; Intelligent Cloud split into old and new basis."""
    seg = frame["segment"].astype(str)
    series = seg.map(SERIES)
    ic = seg == "intelligent_cloud"
    series = series.mask(ic & (frame["period_end"] < IC_NEW_BASIS_FROM), IC_OLD)
    series = series.mask(ic & (frame["period_end"] >= IC_NEW_BASIS_FROM), IC_NEW)
    return frame.assign(series=series)


def quarterly(cloud: pd.DataFrame, sources: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Quarter rows of ``cloud_revenue`` with ``series``, one per series and quarter, plus the conflicts."""
    rows = with_series(cloud[cloud["period_type"] == "quarter"])
    ranked = rank_rows(rows, sources, ["series", "period_end"])
    chosen = ranked[ranked["chosen"]].drop(columns="chosen").reset_index(drop=True)
    chosen.attrs = dict(cloud.attrs)
    return chosen, conflicts(ranked, ["series", "period_end"])


def _quarter(ts: pd.Timestamp) -> pd.Period:
    return pd.Period(ts, freq="Q")


def microsoft_fiscal_label(period_end: pd.Timestamp) -> str:
    """Microsoft's label for a calendar quarter: its fiscal year ends 30 June (Q3 2024 is FY2025 Q1)."""
    q = _quarter(period_end)
    fiscal_q = (q.quarter + 1) % 4 + 1
    return f"FY{q.year + 1 if q.quarter >= 3 else q.year} Q{fiscal_q}"


def missing_quarters(frame: pd.DataFrame, column: str = "revenue_usd_billion") -> pd.DataFrame:
    """Calendar quarters between each series' first and last row that have no row, or no ``column``."""
    out = []
    for series, rows in frame.groupby("series", sort=True):
        have = {_quarter(p): v for p, v in zip(rows["period_end"], rows[column])}
        for q in pd.period_range(min(have), max(have), freq="Q"):
            if q not in have:
                out.append((series, q.end_time.normalize(), "no row"))
            elif pd.isna(have[q]):
                out.append((series, q.end_time.normalize(), f"row without {column}"))
    result = pd.DataFrame(out, columns=["series", "period_end", "missing"])
    result["period_end"] = result["period_end"].astype("datetime64[us]")
    return result


def ttm(frame: pd.DataFrame, column: str = "revenue_usd_billion") -> pd.DataFrame:
    """Trailing-twelve-month sums per series: four consecutive calendar quarters, all with a value.

    Also the TTM a year earlier, its growth in percent and the net new revenue (difference). A TTM
    with a missing quarter is NaN (never interpolated); ``missing_quarters`` says which.
    """
    out = []
    for series, rows in frame.groupby("series", sort=True):
        value = {_quarter(p): v for p, v in zip(rows["period_end"], rows[column]) if pd.notna(v)}

        def total(q: pd.Period) -> float:
            parts = [value.get(q - k) for k in range(4)]
            return float(sum(parts)) if all(p is not None for p in parts) else np.nan

        for q in sorted(value):
            now, before = total(q), total(q - 4)
            out.append((series, q.end_time.normalize(), now, before))
    result = pd.DataFrame(out, columns=["series", "period_end", "ttm_revenue", "ttm_revenue_year_before"])
    result["period_end"] = result["period_end"].astype("datetime64[us]")
    result["net_new_revenue"] = result["ttm_revenue"] - result["ttm_revenue_year_before"]
    result["ttm_growth_percent"] = 100 * (result["ttm_revenue"] / result["ttm_revenue_year_before"] - 1)
    return result


def latest(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Per series, the latest row with a value in ``column``."""
    rows = frame[frame[column].notna()].sort_values(["series", "period_end"])
    return rows.groupby("series", sort=True).tail(1).reset_index(drop=True)


# --- Azure's quarters, derived ------------------------------------------------------------------

def derive_azure_quarters(azure: pd.DataFrame, weights: pd.Series) -> pd.DataFrame:
    """Azure quarterly revenue DERIVED (Microsoft does not disclose it) from its one fiscal-year total.

    ``azure``: the ``azure`` segment rows (quarterly growth, the fiscal-year revenue row).
    ``weights``: a value for each of the four calendar quarters of that fiscal year (e.g. Intelligent
    Cloud revenue, new basis), used only as shares to split the year's total.

    Steps: split the total by the weights; one year back, divide by (1 + that quarter's growth);
    forward, multiply the same quarter a year earlier by (1 + reported growth), as long as the
    growth rates run without a gap. Not further back: the growth rates before the disclosed year
    are on Microsoft's earlier Azure definition. Each row carries its arithmetic.
    """
    annual = azure[(azure["period_type"] == "fiscal_year") & azure["revenue_usd_billion"].notna()]
    if annual.empty:
        raise ValueError("no fiscal-year Azure revenue in the data: Azure's quarters cannot be derived "
                         "(Microsoft first disclosed it for FY2025, in July 2025)")
    fy = annual.sort_values("period_end").iloc[-1]
    fy_q = [_quarter(fy["period_end"]) - k for k in (3, 2, 1, 0)]
    w = {_quarter(p): float(v) for p, v in weights.items() if pd.notna(v)}
    missing = [str(q) for q in fy_q if q not in w]
    if missing:
        raise ValueError(f"weights lack the quarters {', '.join(missing)} of Azure {fy['fiscal_period']}")
    growth_rows = azure[(azure["period_type"] == "quarter") & azure["yoy_growth_percent"].notna()]
    growth = {_quarter(p): r for p, r in zip(growth_rows["period_end"], growth_rows.itertuples())}
    total_w = sum(w[q] for q in fy_q)
    rows = []

    def add(q, value, growth_pct, method, arithmetic, src):
        rows.append({"period_end": q.end_time.normalize(), "fiscal_period": microsoft_fiscal_label(q.end_time), "revenue_usd_billion": value,
                     "yoy_growth_percent": growth_pct, "method": method, "arithmetic": arithmetic,
                     "source_id": src})

    derived: dict[pd.Period, float] = {}
    total = float(fy["revenue_usd_billion"])
    for q in fy_q:
        derived[q] = total * w[q] / total_w
        g = growth.get(q)
        add(q, derived[q], g.yoy_growth_percent if g else np.nan, f"split of {fy['fiscal_period']} total",
            f"{total:g} × {w[q]:g} / {total_w:g}", fy["source_id"])
    for q in fy_q:
        g = growth.get(q)
        if g is None:
            continue
        value = derived[q] / (1 + g.yoy_growth_percent / 100)
        add(q - 4, value, np.nan, "one year back", f"{derived[q]:.3f} / (1 + {g.yoy_growth_percent:g} %)",
            g.source_id)
    q = fy_q[-1] + 1
    while q in growth and (q - 4) in derived:
        g = growth[q]
        derived[q] = derived[q - 4] * (1 + g.yoy_growth_percent / 100)
        add(q, derived[q], g.yoy_growth_percent, "forward",
            f"{derived[q - 4]:.3f} × (1 + {g.yoy_growth_percent:g} %)", g.source_id)
        q += 1
    result = pd.DataFrame(rows).sort_values("period_end").reset_index(drop=True)
    result["period_end"] = result["period_end"].astype("datetime64[us]")
    result.insert(0, "series", AZURE_DERIVED)
    result["status"] = "derived"
    return result


# --- the seed's net-new claim ---------------------------------------------------------------------

def net_new_comparison(aws_ttm: pd.DataFrame, azure: pd.DataFrame) -> pd.DataFrame:
    """Net new revenue of AWS and Azure over Microsoft's latest disclosed Azure fiscal year.

    Azure: the fiscal-year revenue and its reported growth, net new = ``rules.increment``.
    AWS: the sum of the same four calendar quarters (from ``ttm`` output) against the four before.
    Also the shortcut revenue × growth (``rules.misapplied_increment``), which overstates the gain.
    """
    annual = azure[(azure["period_type"] == "fiscal_year") & azure["revenue_usd_billion"].notna()]
    if annual.empty:
        raise ValueError("no fiscal-year Azure revenue in the data")
    fy = annual.sort_values("period_end").iloc[-1]
    end = fy["period_end"]
    row = aws_ttm[(aws_ttm["period_end"] == end)]
    if row.empty or row["ttm_revenue"].isna().any() or row["ttm_revenue_year_before"].isna().any():
        raise ValueError(f"AWS lacks the eight quarters to {end.date()}: see missing_quarters")
    aws = row.iloc[0]
    a_rev, a_g = float(fy["revenue_usd_billion"]), float(fy["yoy_growth_percent"])
    first = (_quarter(end) - 3).start_time.date()
    window = f"{first} to {end.date()}"
    azure_prior = a_rev - rules.increment(a_rev, a_g)
    return pd.DataFrame([
        {"provider": "AWS", "window": window, "revenue": aws["ttm_revenue"],
         "prior_year": aws["ttm_revenue_year_before"], "growth_percent": aws["ttm_growth_percent"],
         "net_new": aws["net_new_revenue"], "shortcut_revenue_x_growth":
             rules.misapplied_increment(aws["ttm_revenue"], aws["ttm_growth_percent"]),
         "arithmetic": f"{aws['ttm_revenue']:.3f} − {aws['ttm_revenue_year_before']:.3f} (sums of four quarters)"},
        {"provider": "Azure", "window": window, "revenue": a_rev, "prior_year": azure_prior,
         "growth_percent": a_g, "net_new": rules.increment(a_rev, a_g),
         "shortcut_revenue_x_growth": rules.misapplied_increment(a_rev, a_g),
         "arithmetic": f"{a_rev:g} − {a_rev:g} / (1 + {a_g:g} %) = {a_rev:g} − {azure_prior:.3f}"},
    ])


# --- market share -------------------------------------------------------------------------------

def share_gap(shares: pd.DataFrame, leader: str = "AWS", challenger: str = "Microsoft") -> pd.DataFrame:
    """``leader`` minus ``challenger`` share, in points, per research firm, market definition and period.

    ``shares`` holds one row per firm, definition, period and provider (choose first). Firms and
    definitions are never mixed: a period counts only where one firm gives both shares. ``source_ids``
    names the two rows' sources; ``grade`` is the weaker of their grades where ``shares`` has ``quality``
    (``rank_rows``).
    """
    keys = ["research_firm", "market_definition", "period", "period_end"]
    cols = [*keys, leader, challenger, "gap_points", "source_ids", "grade"]
    s = shares.assign(research_firm=shares["research_firm"].astype(str))
    s = s[s["provider"].isin([leader, challenger])]
    wide = s.pivot_table(index=keys, columns="provider", values="share_percent", aggfunc="first", observed=True)
    wide = wide.dropna(subset=[c for c in (leader, challenger) if c in wide.columns])
    if leader not in wide.columns or challenger not in wide.columns:
        return pd.DataFrame(columns=cols)
    wide = wide.reset_index()
    wide.columns.name = None
    wide["gap_points"] = wide[leader] - wide[challenger]
    quality = s["quality"].astype(str) if "quality" in s.columns else pd.Series("", index=s.index)
    ids = s["source_id"].astype(str) if "source_id" in s.columns else pd.Series("", index=s.index)
    by_key = s.assign(_id=ids, _q=quality, _rank=rules.grade_rank(quality)).sort_values("_rank").groupby(
        keys, observed=True, sort=False)
    found = by_key.agg(source_ids=("_id", lambda x: ";".join(sorted(set(x) - {""}))), grade=("_q", "last"))
    wide = wide.join(found, on=keys)
    wide["grade"] = wide["grade"].replace("", None)
    return wide[cols].sort_values(keys).reset_index(drop=True)


def latest_gap(gaps: pd.DataFrame) -> pd.DataFrame:
    """The latest gap per research firm and market definition."""
    rows = gaps.sort_values(["research_firm", "market_definition", "period_end"])
    return rows.groupby(["research_firm", "market_definition"], sort=True).tail(1).reset_index(drop=True)


# --- projection --------------------------------------------------------------------------------

def base_quarters(frame: pd.DataFrame, series: list[str]) -> pd.DataFrame:
    """The four consecutive calendar quarters, latest first available to every series, as a wide frame
    (index period_end, one column per series). Raises if no such four quarters exist."""
    values = {s: {_quarter(p): v for p, v in zip(r["period_end"], r["revenue_usd_billion"]) if pd.notna(v)}
              for s, r in frame[frame["series"].isin(series)].groupby("series")}
    missing = [s for s in series if s not in values]
    if missing:
        raise ValueError(f"no revenue rows for {', '.join(missing)}")
    common = set.intersection(*(set(v) for v in values.values()))
    for end in sorted(common, reverse=True):
        window = [end - k for k in (3, 2, 1, 0)]
        if all(q in common for q in window):
            index = pd.DatetimeIndex([q.end_time.normalize() for q in window], name="period_end").astype(
                "datetime64[us]")
            return pd.DataFrame({s: [values[s][q] for q in window] for s in series}, index=index)
    raise ValueError(f"no four consecutive quarters with revenue for all of {', '.join(series)}")


def _paths(base: np.ndarray, growth: np.ndarray, decay: np.ndarray, n: int) -> np.ndarray:
    """Quarterly revenue paths: base (draws, 4) then ``n`` quarters, each the same quarter a year
    earlier × (1 + g), g = growth × (1 − decay) ** years since the first projected quarter."""
    out = np.empty((base.shape[0], 4 + n))
    out[:, :4] = base
    for k in range(n):
        g = growth * (1 - decay) ** (k / 4) / 100
        out[:, 4 + k] = out[:, k] * (1 + g)
    return out


def _calendar(base_end: pd.Timestamp, end_year: int) -> tuple[list[pd.Period], int]:
    last = _quarter(base_end)
    n = (pd.Period(f"{end_year}Q4", freq="Q") - last).n
    if n < 1:
        raise ValueError(f"end_year {end_year} is not after the last quarter of data ({last})")
    return [last - 3 + k for k in range(4 + n)], n


def _annual(quarters: list[pd.Period], paths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Calendar-year totals (draws, years) of the years whose four quarters all lie in ``quarters``."""
    years = np.array([q.year for q in quarters])
    full = [y for y in sorted(set(years)) if (years == y).sum() == 4]
    return np.array(full), np.stack([paths[:, years == y].sum(axis=1) for y in full], axis=1)


def _first_crossing(years: np.ndarray, leader: np.ndarray, challenger: np.ndarray) -> np.ndarray:
    ahead = challenger > leader
    first = years[ahead.argmax(axis=1)].astype(float)
    return np.where(ahead.any(axis=1), first, np.nan)


def project(base: pd.DataFrame, growth: dict[str, float], decay: dict[str, float], end_year: int) -> pd.DataFrame:
    """Quarterly revenue per series from ``base`` (``base_quarters``) to the end of ``end_year``.

    ``growth``: each series' YoY growth in the first projected quarter (percent); ``decay``: the share
    by which it shrinks per year (0 keeps it constant). Long frame: series, period_end, revenue, kind.
    """
    quarters, n = _calendar(base.index[-1], end_year)
    frames = []
    for s in base.columns:
        path = _paths(base[[s]].to_numpy().T, np.array([growth[s]]), np.array([decay[s]]), n)[0]
        frames.append(pd.DataFrame({"series": s, "period_end": [q.end_time.normalize() for q in quarters],
                                    "revenue": path, "kind": ["actual"] * 4 + ["projected"] * n}))
    out = pd.concat(frames, ignore_index=True)
    out["period_end"] = out["period_end"].astype("datetime64[us]")
    return out


def annual(projection: pd.DataFrame) -> pd.DataFrame:
    """Calendar-year totals of a ``project`` frame, complete years only; wide: year × series."""
    p = projection.assign(year=projection["period_end"].dt.year)
    counts = p.groupby(["series", "year"])["revenue"].transform("size")
    wide = p[counts == 4].pivot_table(index="year", columns="series", values="revenue", aggfunc="sum")
    wide.columns.name = None
    return wide


def crossover_year(annual_totals: pd.DataFrame, leader: str, challenger: str) -> int | None:
    """First calendar year in which ``challenger``'s revenue exceeds ``leader``'s; None if none does."""
    years = annual_totals.index.to_numpy()
    found = _first_crossing(years, annual_totals[[leader]].to_numpy().T, annual_totals[[challenger]].to_numpy().T)
    return None if np.isnan(found[0]) else int(found[0])


def _check_range(name: str, bounds: list[float]) -> tuple[float, float]:
    if len(bounds) != 2 or not bounds[0] <= bounds[1]:
        raise ValueError(f"{name} must be [low, high] with low <= high, got {bounds!r}")
    return float(bounds[0]), float(bounds[1])


def crossover_grid(base: pd.DataFrame, leader: str, challenger: str, leader_growth: np.ndarray,
                   challenger_growth: np.ndarray, leader_decay: np.ndarray, challenger_decay: np.ndarray,
                   end_year: int) -> np.ndarray:
    """Crossover year (NaN: none by ``end_year``) for each element of the parameter arrays."""
    quarters, n = _calendar(base.index[-1], end_year)
    size = len(leader_growth)
    lead = _paths(np.repeat(base[[leader]].to_numpy().T, size, axis=0), leader_growth, leader_decay, n)
    chal = _paths(np.repeat(base[[challenger]].to_numpy().T, size, axis=0), challenger_growth, challenger_decay, n)
    years, lead_y = _annual(quarters, lead)
    _, chal_y = _annual(quarters, chal)
    return _first_crossing(years, lead_y, chal_y)


def monte_carlo(base: pd.DataFrame, leader: str, challenger: str, leader_growth: list[float],
                challenger_growth: list[float], decay: list[float], end_year: int, draws: int,
                seed: int) -> pd.DataFrame:
    """Crossover year per draw, with starting growth rates and both decays drawn uniformly from their
    ranges ([low, high]; the decays independently from the same range). Seeded: same seed, same draws."""
    if draws < 1:
        raise ValueError(f"draws must be at least 1, got {draws}")
    rng = np.random.default_rng(seed)
    lg, cg, dr = (_check_range(n, b) for n, b in (("leader_growth", leader_growth),
                                                   ("challenger_growth", challenger_growth), ("decay", decay)))
    frame = pd.DataFrame({"leader_growth": rng.uniform(*lg, draws), "challenger_growth": rng.uniform(*cg, draws),
                          "leader_decay": rng.uniform(*dr, draws), "challenger_decay": rng.uniform(*dr, draws)})
    years = crossover_grid(base, leader, challenger, *(frame[c].to_numpy() for c in frame.columns), end_year)
    return frame.assign(crossover_year=pd.array(years, dtype="Float64").astype("Int64"))


def crossover_probability(draws: pd.DataFrame, years: list[int] | range) -> pd.DataFrame:
    """Share of draws with a crossover in or before each year."""
    found = draws["crossover_year"]
    return pd.DataFrame({"year": list(years),
                         "probability": [float((found <= y).fillna(False).mean()) for y in years]})


def sensitivity(base: pd.DataFrame, leader: str, challenger: str, leader_growths: list[float],
                challenger_growths: list[float], leader_decay: float, challenger_decay: float,
                end_year: int) -> pd.DataFrame:
    """Crossover year (Int64, <NA>: none by ``end_year``) for every pair of starting growth rates."""
    grid = pd.MultiIndex.from_product([sorted(leader_growths), sorted(challenger_growths)],
                                      names=["leader_growth", "challenger_growth"]).to_frame(index=False)
    size = len(grid)
    years = crossover_grid(base, leader, challenger, grid["leader_growth"].to_numpy(float),
                           grid["challenger_growth"].to_numpy(float), np.full(size, leader_decay),
                           np.full(size, challenger_decay), end_year)
    return grid.assign(crossover_year=pd.array(years, dtype="Float64").astype("Int64"))


# --- common quarters and AI's points of growth ---------------------------------------------------------

def latest_common(frame: pd.DataFrame, column: str, series: list[str]) -> pd.DataFrame:
    """The rows of ``series`` for the latest calendar quarter in which every one of them has ``column``
    (so that figures set side by side are for the same quarter); empty if there is none."""
    rows = frame[frame["series"].isin(series) & frame[column].notna()]
    have = rows.groupby("period_end")["series"].nunique()
    common = have[have == len(set(series))].index
    if common.empty:
        return rows.iloc[0:0].reset_index(drop=True)
    out = rows[rows["period_end"] == common.max()]
    return out.sort_values("series").reset_index(drop=True)


def ai_points_against_growth(ai: pd.DataFrame, quarters: pd.DataFrame, challenger: str = "Azure",
                             leader: str = "AWS") -> pd.DataFrame:
    """Microsoft's statements of AI's points of Azure growth against the growth gap to AWS.

    ``ai``: ``metrics`` rows of ``ai_contribution_to_azure_growth`` (points of Azure's year-on-year
    growth); ``quarters``: ``quarterly`` output. Per statement (sorted by quarter): the AI points, the
    challenger's reported growth, its growth without the AI points, the leader's growth in the same
    calendar quarter, the challenger's lead with and without the AI points. A growth rate the data lacks
    leaves the row's lead empty. ``growth_sources`` names the rows the growth rates come from.
    """
    growth = quarters[quarters["series"].isin([challenger, leader]) & quarters["yoy_growth_percent"].notna()]
    rate = {(s, p): (g, src) for s, p, g, src in
            zip(growth["series"], growth["period_end"], growth["yoy_growth_percent"], growth["source_id"])}
    rows = []
    for r in ai.sort_values(["period_end", "source_id"]).itertuples(index=False):
        mine, theirs = rate.get((challenger, r.period_end)), rate.get((leader, r.period_end))
        c = mine[0] if mine else np.nan
        lead = theirs[0] if theirs else np.nan
        rows.append({"period_end": r.period_end, "period": r.period, "ai_points": float(r.value),
                     "status": str(r.status), "source_id": r.source_id,
                     f"{challenger.lower()}_growth_percent": c,
                     f"{challenger.lower()}_growth_without_ai_percent": c - r.value,
                     f"{leader.lower()}_growth_percent": lead,
                     "lead_points": c - lead, "lead_without_ai_points": c - r.value - lead,
                     "growth_sources": ";".join(x[1] for x in (mine, theirs) if x)})
    cols = ["period_end", "period", "ai_points", "status", "source_id", f"{challenger.lower()}_growth_percent",
            f"{challenger.lower()}_growth_without_ai_percent", f"{leader.lower()}_growth_percent", "lead_points",
            "lead_without_ai_points", "growth_sources"]
    out = pd.DataFrame(rows, columns=cols)
    out["period_end"] = pd.to_datetime(out["period_end"]).astype("datetime64[us]")
    return out


def projection_lines(ttm_frame: pd.DataFrame, annual_projection: pd.DataFrame) -> pd.DataFrame:
    """Calendar-year revenue to draw: the data's complete years (``ttm`` at December, before the
    projection's first year) and the projection (``annual``), long: year, series, revenue, kind."""
    series = list(annual_projection.columns)
    first = int(annual_projection.index.min())
    data = ttm_frame[(ttm_frame["period_end"].dt.month == 12) & ttm_frame["series"].isin(series)
                     & ttm_frame["ttm_revenue"].notna()]
    data = pd.DataFrame({"year": data["period_end"].dt.year.astype(int), "series": data["series"],
                         "revenue": data["ttm_revenue"], "kind": "data"})
    projected = annual_projection.rename_axis("year").reset_index().melt(
        id_vars="year", var_name="series", value_name="revenue").assign(kind="projection")
    out = pd.concat([data[data["year"] < first], projected], ignore_index=True)
    out["year"] = out["year"].astype(int)
    return out.sort_values(["kind", "series", "year"]).reset_index(drop=True)
