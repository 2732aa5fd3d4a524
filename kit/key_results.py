"""The key results the kit's notebooks record, declared once: label, unit, format, meaning, and the
reason shown when the value is missing. ``kit.record`` refuses a name not declared here or by the
notebook itself (``kit.declare``)."""
from __future__ import annotations

from kit.results import declare

USD_BN = "${:,.1f} bn"
PERCENT = "{:.1f}%"
COUNT = "{:d}"
YEAR = "{:d}"
DATE = "{}"

# --- shared ---------------------------------------------------------------------------------------------
declare("data_end", "Data to", "date", DATE, "The latest date the rows behind this report report on.")

# --- 1. Partnership value (partnership_value.ipynb) -------------------------------------------------------
NO_PAYBACK = "no payback within the horizon"
NOT_MODELLED = "the lab has no run-rate to start the model from"
MULTIPLE = "{:,.1f}×"
for investor, lab in (("microsoft", "OpenAI"), ("amazon", "Anthropic")):
    who, of = investor.capitalize(), lab.lower()
    declare(f"{investor}_share_of_{of}_funding_percent", f"{who}'s share of {lab}'s disclosed funding",
            "percent", PERCENT, f"{who}'s own counted money over all new money {lab} raised in the counted rounds; "
            "'up to' ceilings left out of both (kit.rules).")
    declare(f"{investor}_share_of_{of}_pledged_funding_percent",
            f"{who}'s share of {lab}'s pledged funding ('up to' ceilings in full)", "percent", PERCENT,
            "As the share of disclosed funding, with 'up to' ceilings counted in full on both sides.")
    declare(f"{of}_funding_usd_billion", f"{lab}'s disclosed funding", "USD billion", USD_BN,
            f"New money of every counted {lab} round (aggregates once, secondary sales and 'up to' ceilings out).")
    declare(f"{of}_pledged_funding_usd_billion", f"{lab}'s pledged funding ('up to' ceilings in full)",
            "USD billion", USD_BN, f"{lab}'s disclosed funding plus its 'up to' ceilings counted in full.")
    declare(f"{investor}_investment_in_{of}_usd_billion", f"{who}'s money put into {lab}", "USD billion", USD_BN,
            f"{who}'s counted rows: its own rounds and its stated parts of shared rounds (undisclosed parts not "
            "guessed).")
    declare(f"{investor}_stake_in_{of}_percent", f"{who}'s stake in {lab}", "percent", PERCENT,
            "The latest sourced stake, else implied from a fair value ÷ the post-money of its date (an estimate).",
            "no stake in the data")
    declare(f"{investor}_stake_value_usd_billion", f"{who}'s stake at {lab}'s latest valuation", "USD billion",
            USD_BN, f"Stake × {lab}'s latest post-money valuation (dilution after the stake's date not applied).",
            "no stake or no valuation in the data")
    declare(f"{investor}_stake_value_to_investment_ratio", f"{who}'s stake value as a multiple of its money in",
            "ratio", MULTIPLE, f"{who}'s stake value ÷ the money it put into {lab}.",
            "no stake or no valuation in the data")
    declare(f"{of}_partner_cloud_spend_usd_billion", f"{lab}'s annual spend at {who}'s cloud", "USD billion",
            USD_BN, "The latest whole year's figure (best status on a tie), as reported or estimated.",
            "no annual spend figure in the data")
    declare(f"{of}_partner_cloud_spend_year", f"Year of {lab}'s cloud-spend figure", "calendar year", YEAR,
            "The calendar year the spend figure is for.", "no annual spend figure in the data")
    declare(f"{investor}_payback_year_central", f"{who}'s payback year, central case", "calendar year", YEAR,
            f"First year the cash channels repay {who}'s counted investment, middle of every assumption range.",
            NO_PAYBACK)
    declare(f"{investor}_payback_year_median", f"{who}'s payback year, Monte Carlo median", "calendar year", YEAR,
            "Median payback year over the Monte Carlo draws; missing where the median draw never pays back.",
            NO_PAYBACK)
    for pct in ("p10", "p90"):
        declare(f"{investor}_value_{pct}_usd_billion",
                f"Value to {who} at the horizon, {pct[1:]}th percentile", "USD billion, present value", USD_BN,
                f"Stake plus profit share plus cloud margin, discounted; {pct[1:]}th percentile of the draws "
                "(an assumption-driven scenario, not a forecast).", NOT_MODELLED)
    for pct in ("p10", "p50", "p90"):
        declare(f"{investor}_value_to_investment_{pct}_ratio",
                f"Value to {who} at the horizon as a multiple of its money in, {pct[1:]}th percentile", "ratio",
                MULTIPLE, f"The total present value at the horizon ÷ {who}'s money in; {pct[1:]}th percentile of "
                "the draws (rests on the assumption ranges).", NOT_MODELLED)
declare("microsoft_profit_share_until_recoup_percent", "Microsoft's share of OpenAI's profits until recoup",
        "percent", PERCENT, "The term the model uses (profit_share_source): the data's reported term, or the "
        "article's figure where chosen.", "no profit-share term in the data")
declare("microsoft_profit_share_payback_year", "Year Microsoft's profit share repays its investment",
        "calendar year", YEAR, "Central case, undiscounted: the chosen profit-share term's cumulative payments "
        "reach Microsoft's counted investment.", NO_PAYBACK)
for measure, words in (("funding", "disclosed funding"), ("revenue", "annualized revenue"),
                       ("valuation", "latest valuation")):
    declare(f"openai_anthropic_{measure}_ratio", f"OpenAI to Anthropic, {words}", "ratio", "{:.2f}×",
            f"OpenAI's {words} divided by Anthropic's, from figures no more than one quarter apart.",
            "the two figures lie more than one quarter apart")
declare("seed_claims_agreeing", "The seed article's partnership claims that hold", "claims", COUNT,
        "Of the article's claims on money in, valuations, ratios and terms, those the fact check finds to hold.")
declare("funding_data_end", "Funding data to", "date", DATE, "The latest date of a funding row this report reads.")
declare("runrate_data_end", "Run-rate data to", "date", DATE, "The latest date of a run-rate row this report reads.")

# --- 2. AWS vs Azure (aws_vs_azure.ipynb) -----------------------------------------------------------------
declare("revenue_data_end", "Cloud revenue data to", "date", DATE,
        "The latest calendar quarter end the cloud_revenue rows behind this report report on.")
declare("ttm_end_date", "Last four quarters end", "date", DATE,
        "End of the latest four calendar quarters for which AWS, Azure (derived) and Google Cloud all have "
        "revenue and the four quarters before: the window of the revenue and net new revenue figures.")
declare("growth_quarter_end_date", "Growth compared in the quarter to", "date", DATE,
        "The latest calendar quarter for which AWS, Azure and Google Cloud all reported year-on-year growth.")
for key, name, derived in (("aws", "AWS", ""), ("azure", "Azure", "_derived"), ("google_cloud", "Google Cloud", "")):
    how = ", derived from Microsoft's one annual figure and its growth rates" if derived else ", as reported"
    declare(f"{key}_latest_growth_percent", f"{name} growth year on year", "percent", PERCENT,
            f"{name}'s reported year-on-year revenue growth in the quarter to growth_quarter_end_date.")
    declare(f"{key}_ttm_revenue{derived}_usd_billion",
            f"{name} revenue, last four quarters" + (" (derived)" if derived else ""), "USD billion", USD_BN,
            f"{name}'s revenue over the four calendar quarters to ttm_end_date{how}.")
    declare(f"{key}_net_new_ttm{derived}_usd_billion",
            f"{name} net new revenue, last four quarters" + (" (derived)" if derived else ""), "USD billion", USD_BN,
            f"{name}'s revenue over the four quarters to ttm_end_date minus the four quarters before{how}.")
for key, name in (("aws", "AWS"), ("azure", "Azure")):
    declare(f"{key}_net_new_fy2025_usd_billion", f"{name} net new revenue, Microsoft's fiscal 2025", "USD billion",
            "${:,.2f} bn", f"{name}'s revenue in July 2024 to June 2025 minus the year before (same calendar quarters); "
            "Azure's by kit.rules.increment from its fiscal-year revenue and growth.")
for firm, words in (("synergy", "Synergy"), ("gartner", "Gartner"), ("canalys", "Canalys"), ("omdia", "Omdia")):
    declare(f"share_gap_{firm}_points", f"AWS's market-share lead over Microsoft, {words}",
            "percentage points", "{:.1f} points", f"{words}'s latest period with both shares: AWS minus Microsoft, "
            "in the firm's own market definition.", "no period with both shares from this firm")
NO_AI_POINTS = "no statement of AI's points of Azure growth with status reported in the data"
declare("azure_growth_from_ai_points", "AI's points of Azure growth, Microsoft's latest statement",
        "percentage points", "{:.0f} points", "Points of Azure's year-on-year growth Microsoft attributed to AI "
        "services in the latest quarter it stated them (rows with status reported).", NO_AI_POINTS)
declare("azure_growth_from_ai_quarter_end_date", "Quarter of Microsoft's latest AI-points statement", "date", DATE,
        "Calendar quarter end of the statement in azure_growth_from_ai_points.", NO_AI_POINTS)
declare("azure_growth_lead_over_aws_points", "Azure's growth lead over AWS in that quarter", "percentage points",
        "{:.1f} points", "Azure's minus AWS's reported year-on-year growth in the quarter of Microsoft's latest "
        "AI-points statement.", "no growth rate of both clouds for that quarter")
for lab, cloud_name in (("Anthropic", "AWS"), ("OpenAI", "Azure"), ("OpenAI", "AWS"), ("Anthropic", "Azure")):
    pair = f"{lab.lower()}_{cloud_name.lower()}"
    for end, words in (("low", "low end"), ("high", "high end")):
        declare(f"{pair}_commitment_usd_billion_{end}", f"{lab}'s compute commitments to {cloud_name}, {words}",
                "USD billion", USD_BN, f"{lab}'s stated commitments to buy {cloud_name} compute, added up; a range "
                "over conflicting readings of one announcement (never averaged).")
        declare(f"{pair}_commitment_yearly_usd_billion_{end}",
                f"{lab}'s {cloud_name} commitments per year, {words}", "USD billion a year", USD_BN,
                "Each commitment over its stated term (or over the assumed term range, if the run sets one), added; "
                "none without a term.", "no term stated")
        declare(f"{pair}_commitment_share_of_net_new_percent_{end}",
                f"{lab}'s {cloud_name} commitments per year against {cloud_name}'s net new revenue, {words}",
                "percent", PERCENT, f"The yearly equivalent as a percent of {cloud_name}'s net new revenue over the "
                "last four quarters (a comparison of size: the commitment runs from its announcement on).",
                "no term stated")
declare("crossover_year", "Year Azure's revenue passes AWS's (projection)", "calendar year", YEAR,
        "First calendar year of the projection in which Azure's (derived) revenue exceeds AWS's.",
        "no crossover by the projection's end year")
declare("crossover_share_of_draws_by_end_year_percent", "Monte Carlo draws with Azure past AWS by the end year",
        "percent of draws", PERCENT, "Spread of the growth assumptions, not the chance of an event.")

# --- 3. Alliance shifts (alliance_shifts.ipynb) -----------------------------------------------------------
declare("article_date", "Seed article published", "date", DATE, "The seed article's publication date (36Kr Europe).")
declare("events_data_end", "Alliance events to", "date", DATE,
        "The latest date an alliance event of this run reports on (the alliance_events table's data end).")
NO_COMMITMENT = "no compute commitment with a stated value by then"
HHI = "{:,.0f}"
for lab, partner, cloud in (("OpenAI", "Microsoft", "Azure"), ("Anthropic", "Amazon", "AWS")):
    key = f"{partner.lower()}_share_of_{lab.lower()}"
    for suffix, words in (("", "at the data's end"), ("_at_article_date", "at the seed article's date")):
        declare(f"{key}_compute_commitments_percent{suffix}",
                f"{cloud}'s share of {lab}'s valued compute commitments, {words}", "percent", PERCENT,
                f"Dollar share of {lab}'s compute commitments with a stated value placed with {cloud}, as announced "
                f"('up to' and multi-year amounts in full); missing while {cloud}'s own supply had no stated value.",
                NO_COMMITMENT)
        declare(f"{lab.lower()}_compute_hhi{suffix}",
                f"Concentration of {lab}'s valued compute commitments (Herfindahl index), {words}",
                "index points (10,000 = one supplier)", HHI,
                f"Sum of the squared percent shares of {lab}'s cloud suppliers in its valued compute commitments; "
                f"missing while {cloud}'s own supply had no stated value.", NO_COMMITMENT)
        declare(f"{key}_pledged_funding_percent{suffix}",
                f"{partner}'s share of {lab}'s pledged funding ('up to' ceilings counted in full), {words}",
                "percent", PERCENT,
                f"{partner}'s counted money over {lab}'s counted new money, with every 'up to' ceiling (letters of "
                "intent, milestone tranches) counted in full: what was pledged, not what was raised.",
                "no counted funding by then")
    declare(f"{key}_funding_percent_at_article_date",
            f"{partner}'s share of {lab}'s disclosed funding, at the seed article's date", "percent", PERCENT,
            f"{partner}'s counted money over {lab}'s counted new money, 'up to' ceilings left out (as in the "
            "partnership value report), on the rounds dated up to the article.",
            "no counted funding by then")
    declare(f"{lab.lower()}_cross_investments_since_article", f"Investments in {lab} by a rival cloud since the article",
            "events", COUNT, f"Investment events after the article in which a cloud other than {partner} invests in {lab}.")
    declare(f"{partner.lower()}_{lab.lower()}_exclusivity_changes_since_article",
            f"{partner}-{lab}: exclusivity changes since the article", "events", COUNT,
            f"Events of type exclusivity change between {partner} and {lab} after the article.")
declare("events_since_article", "Alliance events since the article", "events", COUNT,
        "Dated alliance events after the article's publication.")
for kind in ("investment", "exclusivity_change", "compute_deal", "chip_deal", "model_distribution", "restructuring"):
    declare(f"events_since_article_{kind}", f"… of which {kind.replace('_', ' ')}s", "events", COUNT,
            f"Events of type {kind.replace('_', ' ')} after the article's publication.")
for verdict in ("held", "partly_held", "not_held", "open"):
    declare(f"expectations_{verdict}", f"The article's expectations: {verdict.replace('_', ' ')}", "expectations",
            COUNT, f"Expectations of the article judged {verdict.replace('_', ' ')} on the evidence known at as_of "
            "(and graded at least min_grade).")
declare("expectations_on_reputable_evidence", "The article's expectations judged on reputable or better evidence",
        "expectations", COUNT, "Verdicts (not open) whose evidence source is graded primary, primary copy or reputable.")
NO_SPEND = "no spend figure in the data"
declare("openai_shift_azure_change_largest_figure_percent",
        "Change in Azure's annual revenue if OpenAI moves spend away, on the largest spend figure",
        "percent of annual revenue", "{:+.1f}%", "The moved share (openai_shift_share) of the largest OpenAI spend "
        "figure, against Azure's annual revenue (the figures disagree and are not averaged).", NO_SPEND)
declare("openai_shift_azure_change_smallest_figure_percent",
        "Change in Azure's annual revenue if OpenAI moves spend away, on the smallest spend figure",
        "percent of annual revenue", "{:+.1f}%", "The moved share (openai_shift_share) of the smallest OpenAI spend "
        "figure, against Azure's annual revenue.", NO_SPEND)
declare("anthropic_shift_aws_change_percent", "Change in AWS's annual revenue if Anthropic moves spend away",
        "percent of annual revenue", "{:+.1f}%", "The moved share (anthropic_shift_share) of Anthropic's AWS spend "
        "estimate, against AWS's last four quarters.", NO_SPEND)

# --- The seed article, fact-checked (seed_factcheck.ipynb) ------------------------------------------------
NO_WEAK_SHARE = "no sourced evidence in this run"
declare("claims", "Claims in the article", "claims", COUNT, "Every number the article states, one claim each.")
declare("claims_held", "Claims that held when the article appeared", "claims", COUNT,
        "Claims consistent with the article's own figures, confirmed by sources, or outdated (right when written).")
declare("claims_checked_against_sources", "Claims judged against sources", "claims", COUNT,
        "Claims confirmed, contradicted, outdated or depending on a definition: judged against independent "
        "sourced rows, not only against the article's own figures.")
for status, words in (("consistent", "consistent with the article's own figures"),
                      ("inconsistent", "inconsistent with the article's own figures"),
                      ("confirmed", "confirmed by sources"), ("contradicted", "contradicted by sources"),
                      ("outdated", "outdated by later figures"),
                      ("depends_on_definition", "holding under one definition, not another"),
                      ("unverifiable", "unverifiable with the data")):
    declare(f"claims_{status}", f"Claims {words}", "claims", COUNT,
            f"Claims whose status is “{status.replace('_', ' ')}”.")
for status in ("inconsistent", "contradicted", "outdated", "depends_on_definition"):
    words = status.replace("_", " ")
    declare(f"{status}_claim_ids", f"Claims: {words}", "claim ids", "{}",
            f"The ids of the claims whose status is “{words}”, each linked to its evidence.", "none")
declare("arithmetic_error_kinds", "Kinds of arithmetic error in the article", "kinds", COUNT,
        "Distinct kinds of error among the claims inconsistent with the article's own figures (misapplied "
        "growth rate, power of ten, a figure that does not follow).")
declare("evidence_rows", "Sourced evidence rows", "rows", COUNT,
        "Rows of the sourced tables the claims are checked against (the article's own figures left out).")
declare("evidence_weak_share_percent", "Sourced evidence from weak hosts", "percent of evidence rows",
        PERCENT, "Share of the sourced evidence rows whose source is graded weak.", NO_WEAK_SHARE)
declare("weak_only_claim_ids", "Claims judged on weak hosts only", "claim ids", "{}",
        "Claims judged against sources whose every sourced evidence row rests on a weak host.", "none")
declare("azure_net_new_fy2025_article_implied_usd_billion",
        "Azure's net new revenue in fiscal 2025, from the article's figures", "USD billion", "${:,.2f} bn",
        "The increase the article's Azure revenue and growth rate imply, value − value / (1 + growth); the "
        "article states another (claim S40).")
declare("aws_net_new_fy2025_article_implied_usd_billion",
        "AWS's net new revenue, July 2024 to June 2025, from the article's figures", "USD billion", "${:,.2f} bn",
        "The increase the article's AWS revenue and growth rate imply for Microsoft's fiscal 2025; the article "
        "states another (claim S43).")
declare("microsoft_investment_reading_usd_billion", "Microsoft's investment, the reading that fits the article",
        "USD billion", USD_BN, "The article's figure for Microsoft's investment, read at the scale its other "
        "figures fit (claim S20).")
