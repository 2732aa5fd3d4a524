"""Alliance shifts: who is tied to whom, how far each alliance has loosened, and what a shift would cost.

Pure functions on the kit's tables. What counts is explicit:

- a *compute commitment* is an event with a stated dollar value that names exactly one lab and exactly one
  cloud supplier (investments and distribution deals never count); values are taken as stated, so
  "up to" amounts count in full and multi-year totals are not annualised. A main partner's supply without
  a stated value is unknown, not zero: the partner's share and the Herfindahl index of a lab's commitments
  are missing until the partner has a valued commitment;
- *funding* is counted by ``kit.rules.count_funding`` (the one rule). The main partner's share is given
  twice: without "up to" ceilings (``investor_share_of_funding_percent``, the shared quantity) and with
  them counted in full (``investor_share_of_pledged_funding_percent``, what was pledged);
- a *cross-investment* is an investment in a lab by a cloud other than its main partner;
- a Herfindahl index is the sum of squared percentage shares (10,000 = one supplier or investor).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import networkx as nx
import pandas as pd

from kit import rules

LABS = ("OpenAI", "Anthropic")  # in the order the question names the alliances
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
#: The two moments this report compares: the seed article's date and the data's end.
ARTICLE, DATA_END = "article", "data end"
#: How the shared quantity ``investor_share_of_funding_percent`` counts funding (``rules.count_funding``'s defaults).
SHARED_COUNTING = {"conflict": "lower", "include_media_reports": True}
NO_COMMITMENT = "no compute commitment with a stated value by then"
NO_FUNDING = "no counted funding by then"
VERDICTS = ("held", "partly_held", "not_held", "open")


def alliance(lab: str) -> str:
    """The alliance of a lab and its main partner, as the data names it ("Microsoft-OpenAI")."""
    return f"{MAIN_PARTNER[lab]}-{lab}"


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


def concentration(items: pd.DataFrame, counterparty: str, value: str, dates: Sequence,
                  partner_required: bool = False) -> pd.DataFrame:
    """Per lab and date, from the items dated on or before it: total, the main partner's amount and
    share (percent), the Herfindahl index over ``counterparty`` and the largest counterparty.
    A lab with nothing by a date gets no row (missing, not zero). With ``partner_required`` (compute
    commitments) the share and the index are missing while the main partner has no item, and ``note``
    says why: its supply then had no stated value, which is not a share of zero."""
    cols = ["lab", "date", "total_usd_billion", "partner", "partner_usd_billion", "partner_share_percent", "hhi",
            "counterparties", "largest", "note"]
    rows = []
    for lab in LABS:
        mine = items[items["lab"] == lab]
        for d in sorted(pd.to_datetime(pd.Series(list(dates))).unique()):
            upto = mine[mine["date"] <= d]
            if upto.empty or upto[value].sum() <= 0:
                continue
            per = upto.groupby(counterparty)[value].sum().sort_index()
            partner = float(per.get(MAIN_PARTNER[lab], 0.0))
            unknown = partner_required and partner <= 0
            rows.append({"lab": lab, "date": pd.Timestamp(d), "total_usd_billion": float(per.sum()),
                         "partner": MAIN_PARTNER[lab], "partner_usd_billion": partner,
                         "partner_share_percent": float("nan") if unknown else 100 * partner / float(per.sum()),
                         "hhi": float("nan") if unknown else hhi(per),
                         "counterparties": int((per > 0).sum()),
                         "largest": str(per.sort_values(ascending=False, kind="stable").index[0]),
                         "note": f"no {MAIN_PARTNER[lab]} commitment with a stated value by then" if unknown else ""})
    return pd.DataFrame(rows, columns=cols)


def funding_shares(funding: pd.DataFrame, dates: Mapping[str, pd.Timestamp | None], conflict: str = "lower",
                   include_media_reports: bool = True) -> pd.DataFrame:
    """The main partner's share of each lab's funding at each named date (None: every row), counted by
    ``rules.count_funding`` on the rows dated on or before it and ``rules.investor_share``:
    ``share_percent`` without "up to" ceilings (the shared quantity), ``pledged_share_percent`` with
    them counted in full; ``undisclosed_parts``: rounds the partner joined without a stated amount."""
    pairs = {partner: lab for lab, partner in MAIN_PARTNER.items()}
    rows = []
    for when, date in dates.items():
        upto = funding if date is None else funding[funding["date"] <= pd.Timestamp(date)]
        both = [rules.investor_share(rules.count_funding(upto, include_up_to=up_to, conflict=conflict,
                                                         include_media_reports=include_media_reports),
                                     pairs).set_index("company") for up_to in (False, True)]
        for lab in LABS:
            plain, pledged = (b.loc[lab] for b in both)
            rows.append({"when": when, "lab": lab, "partner": MAIN_PARTNER[lab],
                         "invested_usd_billion": plain["invested_usd_billion"],
                         "lab_funding_usd_billion": plain["lab_funding_usd_billion"],
                         "share_percent": plain["share_percent"],
                         "pledged_usd_billion": pledged["invested_usd_billion"],
                         "lab_pledged_funding_usd_billion": pledged["lab_funding_usd_billion"],
                         "pledged_share_percent": pledged["share_percent"],
                         "undisclosed_parts": int(plain["undisclosed_parts"])})
    return pd.DataFrame(rows)


def standing(compute: pd.DataFrame, shares: pd.DataFrame, dates: Mapping[str, pd.Timestamp]) -> pd.DataFrame:
    """Per lab at each named date: the main partner's share of the lab's valued compute commitments and
    their Herfindahl index (from ``concentration`` of the commitments, ``partner_required``), with the
    reason where missing, and the partner's share of the lab's funding without and with ceilings (from
    ``funding_shares``, keyed by the same names)."""
    rows = []
    for lab in LABS:
        for when, date in dates.items():
            mine = compute[(compute["lab"] == lab) & (compute["date"] <= pd.Timestamp(date))].sort_values("date")
            last = mine.iloc[-1] if len(mine) else None
            money = shares[(shares["lab"] == lab) & (shares["when"] == when)].iloc[0]
            rows.append({"lab": lab, "partner": MAIN_PARTNER[lab], "when": when, "date": pd.Timestamp(date),
                         "compute_share_percent": float("nan") if last is None else last["partner_share_percent"],
                         "compute_hhi": float("nan") if last is None else last["hhi"],
                         "compute_note": NO_COMMITMENT if last is None else last["note"],
                         "funding_share_percent": money["share_percent"],
                         "pledged_funding_share_percent": money["pledged_share_percent"],
                         "undisclosed_parts": money["undisclosed_parts"]})
    return pd.DataFrame(rows)


def standing_results(table: pd.DataFrame, shared: bool) -> dict[str, tuple[float | None, str]]:
    """``standing`` as key results: name → (value, reason where missing). Shares to one decimal, the
    Herfindahl index to whole points. The shared quantity (``<partner>_share_of_<lab>_funding_percent``)
    only where ``shared``: this run counts funding as it is defined (``SHARED_COUNTING``)."""
    out: dict[str, tuple[float | None, str]] = {}

    def put(name: str, value: float, digits: int, reason: str) -> None:
        out[name] = (None, reason) if pd.isna(value) else (float(round(float(value), digits)) + 0.0, "")

    for r in table.itertuples(index=False):
        suffix = "" if r.when == DATA_END else f"_at_{r.when}_date"
        partner, lab = r.partner.lower(), r.lab.lower()
        put(f"{partner}_share_of_{lab}_compute_commitments_percent{suffix}", r.compute_share_percent, 1,
            r.compute_note)
        put(f"{lab}_compute_hhi{suffix}", r.compute_hhi, 0, r.compute_note)
        put(f"{partner}_share_of_{lab}_pledged_funding_percent{suffix}", r.pledged_funding_share_percent, 1,
            NO_FUNDING)
        if shared:
            put(f"{partner}_share_of_{lab}_funding_percent{suffix}", r.funding_share_percent, 1, NO_FUNDING)
    return out


def counts_as_shared(conflict: str, include_media_reports: bool) -> bool:
    """True when funding counted with these options is the shared quantity's counting (``SHARED_COUNTING``)."""
    return {"conflict": conflict, "include_media_reports": bool(include_media_reports)} == SHARED_COUNTING


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


def lab_ties(graphs: Mapping[str, nx.MultiGraph]) -> pd.DataFrame:
    """Events per pair of parties that includes a lab, one count column per graph (named by its key),
    most events in the last graph first."""
    counts = {}
    for name, g in graphs.items():
        for u, v, d in g.edges(data=True):
            if u in LABS or v in LABS:
                counts.setdefault((u, v), dict.fromkeys(graphs, 0))[name] += d["events"]
    out = pd.DataFrame([{"party_a": u, "party_b": v, **c} for (u, v), c in counts.items()],
                       columns=["party_a", "party_b", *graphs])
    last = list(graphs)[-1]
    return out.sort_values([last, "party_a", "party_b"], ascending=[False, True, True]).reset_index(drop=True)


def events_by_period(events: pd.DataFrame, date: str | pd.Timestamp) -> pd.DataFrame:
    """Events by type dated up to ``date`` (``up_to``) and after it (``after``); every type of the table,
    zeros included."""
    types = list(events["event_type"].cat.categories) if hasattr(events["event_type"], "cat") \
        else sorted(events["event_type"].astype(str).unique())
    later = events["date"] > pd.Timestamp(date)
    kinds = events["event_type"].astype(str)
    up_to, after = kinds[~later].value_counts(), kinds[later].value_counts()
    return pd.DataFrame({"event_type": types, "up_to": [int(up_to.get(t, 0)) for t in types],
                         "after": [int(after.get(t, 0)) for t in types]})


def pair_events(events: pd.DataFrame, since: str | pd.Timestamp) -> pd.DataFrame:
    """The events after ``since`` between a lab and its main partner (both among the parties), with the
    alliance's name; sorted by alliance, date and id."""
    cols = ["alliance", "event_id", "date", "event_type", "description", "status", "source_id"]
    rows = []
    for e in events[events["date"] > pd.Timestamp(since)].itertuples(index=False):
        names = {p.strip() for p in str(e.parties).split(";")}
        for lab in LABS:
            if lab in names and MAIN_PARTNER[lab] in names:
                rows.append({"alliance": alliance(lab), "event_id": e.event_id, "date": e.date,
                             "event_type": str(e.event_type), "description": e.description,
                             "status": str(e.status), "source_id": e.source_id})
    return pd.DataFrame(rows, columns=cols).sort_values(["alliance", "date", "event_id"]).reset_index(drop=True)


def cross_investments(events: pd.DataFrame, since: str | pd.Timestamp) -> pd.DataFrame:
    """Investments after ``since`` in a lab by a cloud other than its main partner: one row per event and
    lab, the rival clouds named in ``rivals`` (";"-separated); sorted by lab, date and id."""
    cols = ["lab", "event_id", "date", "rivals", "value_usd_billion", "description", "status", "source_id"]
    chosen = events[(events["date"] > pd.Timestamp(since)) & (events["event_type"].astype(str) == "investment")]
    rows = []
    for e in chosen.itertuples(index=False):
        names = sorted({p.strip() for p in str(e.parties).split(";")})
        for lab in (n for n in names if n in LABS):
            rivals = [n for n in names if role(n) == "cloud" and n != MAIN_PARTNER[lab]]
            if rivals:
                rows.append({"lab": lab, "event_id": e.event_id, "date": e.date, "rivals": "; ".join(rivals),
                             "value_usd_billion": e.value_usd_billion, "description": e.description,
                             "status": str(e.status), "source_id": e.source_id})
    return pd.DataFrame(rows, columns=cols).sort_values(["lab", "date", "event_id"]).reset_index(drop=True)


def loosening(pairs: pd.DataFrame, cross: pd.DataFrame) -> pd.DataFrame:
    """Per alliance, from ``pair_events`` and ``cross_investments`` over the same period: the events
    between the partners, of which exclusivity changes and restructurings, and the investments in the lab
    by rival clouds (events, and the rivals' names)."""
    rows = []
    for lab in LABS:
        mine = pairs[pairs["alliance"] == alliance(lab)]["event_type"]
        theirs = cross[cross["lab"] == lab]
        rivals = sorted({r.strip() for v in theirs["rivals"] for r in str(v).split(";")})
        rows.append({"alliance": alliance(lab), "lab": lab, "partner": MAIN_PARTNER[lab],
                     "pair_events": int(len(mine)), "exclusivity_changes": int((mine == "exclusivity_change").sum()),
                     "restructurings": int((mine == "restructuring").sum()), "cross_investments": int(len(theirs)),
                     "rival_investors": ", ".join(rivals)})
    return pd.DataFrame(rows)


def judge(expectations: pd.DataFrame, sources: pd.DataFrame, as_of: str | pd.Timestamp | None = None,
          min_grade: str = "") -> pd.DataFrame:
    """The expectations with their verdicts as known at ``as_of`` on evidence graded at least ``min_grade``
    ("": any grade), and the grade of each verdict's evidence (``evidence_grade``). A verdict whose
    evidence was not yet published (source date, else the evidence date) or is graded below
    ``min_grade`` becomes ``open``, and its reason says which; the reason it had is not shown, since it
    rests on that evidence. Sorted by id."""
    out = expectations.copy()
    out["verdict"] = out["verdict"].astype(str)
    out["verdict_reason"] = out["verdict_reason"].astype(str)
    ids = out["evidence_source_id"].astype(str)
    out["evidence_grade"] = ids.map(sources["quality"].astype(str)) if "quality" in sources else None
    dated = rules.published_by(sources["published"], sources.get("published_precision"))
    known = rules.known_from(ids.map(dated), out["evidence_date"])
    unknown = ~rules.known_by(known, as_of)
    weak = pd.Series(False, index=out.index)
    if min_grade:
        weak = rules.grade_rank(out["evidence_grade"]) > rules.GRADE_ORDER.index(min_grade)
    when = "" if as_of is None or str(as_of) == "" else str(pd.Timestamp(as_of).date())
    out.loc[unknown, "verdict_reason"] = f"open: its evidence was not yet published on {when}"
    out.loc[unknown & known.isna(), "verdict_reason"] = "open: its evidence is undated"
    out.loc[weak & ~unknown, "verdict_reason"] = f"open: its evidence is graded below {min_grade}"
    out.loc[unknown | weak, "verdict"] = "open"
    return out.sort_values("expectation_id").reset_index(drop=True)


def verdict_counts(judged: pd.DataFrame) -> dict[str, int]:
    """Number of expectations per verdict (held, partly_held, not_held, open)."""
    counts = judged["verdict"].astype(str).value_counts()
    return {v: int(counts.get(v, 0)) for v in VERDICTS}


def verdict_tally(judged: pd.DataFrame) -> pd.DataFrame:
    """Expectations per partnership (rows: both, then each alliance) and verdict (columns, in ``VERDICTS``
    order), zeros included."""
    order = ["both", *sorted(alliance(lab) for lab in LABS)]
    return (judged.assign(verdict=judged["verdict"].astype(str), partnership=judged["partnership"].astype(str))
            .groupby(["partnership", "verdict"]).size().unstack("verdict", fill_value=0)
            .reindex(index=order, columns=list(VERDICTS), fill_value=0))


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


def revenue_table(revenue_rows: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per cloud from its ``annual_revenue`` rows: the revenue, the period it covers, its end and
    the rows' sources (";"-separated). Clouds without rows are left out."""
    rows = [{"cloud": who, "revenue_usd_billion": float(r["revenue_usd_billion"].sum()),
             "period": (f"{r['fiscal_period'].iloc[0]} to {r['fiscal_period'].iloc[-1]}" if len(r) > 1
                        else str(r["fiscal_period"].iloc[0])),
             "period_end": r["period_end"].iloc[-1], "source_id": "; ".join(sorted(set(r["source_id"].astype(str))))}
            for who, r in sorted(revenue_rows.items()) if len(r)]
    return pd.DataFrame(rows, columns=["cloud", "revenue_usd_billion", "period", "period_end", "source_id"])


def shift_bars(effect: pd.DataFrame) -> pd.DataFrame:
    """``shift_effect`` as one bar per spend figure and cloud (the partner's loss, the destination's
    gain), each figure named by lab, year, amount and status."""
    parts = [effect.assign(cloud=effect[who], change_percent=effect[f"{side}_change_percent"])
             for who, side in (("partner", "partner"), ("to", "to"))]
    bars = pd.concat(parts, ignore_index=True)
    figure = [f"{r.lab} {r.year}: ${r.spend_usd_billion:g}B ({str(r.status).split(' ')[0].replace('_', ' ')})"
              for r in bars.itertuples()]
    return bars.assign(figure=figure)[["figure", "cloud", "change_percent", "source_id"]]


def shift_range(effect: pd.DataFrame, lab: str) -> tuple[float | None, float | None]:
    """The smallest and largest change of ``lab``'s partner's revenue over its spend figures, in percent
    to one decimal (most negative first); (None, None) when the lab has no spend figure."""
    change = effect.loc[effect["lab"] == lab, "partner_change_percent"]
    if change.empty:
        return None, None
    return float(round(change.min(), 1)) + 0.0, float(round(change.max(), 1)) + 0.0
