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
for investor, lab in (("microsoft", "OpenAI"), ("amazon", "Anthropic")):
    who = investor.capitalize()
    declare(f"{investor}_share_of_{lab.lower()}_funding_percent", f"{who}'s share of {lab}'s disclosed funding",
            "percent", PERCENT, f"{who}'s own counted money over all new money {lab} raised in the counted rounds.")
    declare(f"{lab.lower()}_funding_usd_billion", f"{lab}'s disclosed funding", "USD billion", USD_BN,
            f"New money of every counted {lab} round (aggregates once, secondary sales and 'up to' ceilings out).")
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
                "(an assumption-driven scenario, not a forecast).")
declare("microsoft_profit_share_payback_year", "Year Microsoft's profit share repays its investment",
        "calendar year", YEAR, "Central case, undiscounted: the chosen profit-share term's cumulative payments "
        "reach Microsoft's counted investment.", NO_PAYBACK)
for measure, words in (("funding", "disclosed funding"), ("revenue", "annualized revenue"),
                       ("valuation", "latest valuation")):
    declare(f"openai_anthropic_{measure}_ratio", f"OpenAI to Anthropic, {words}", "ratio", "{:.2f}×",
            f"OpenAI's {words} divided by Anthropic's.")
declare("seed_claims_agreeing", "The seed article's partnership claims the data supports", "claims", COUNT,
        "Of the article's share and ratio claims, those the data reproduces.")

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
NO_COMMITMENT = "no compute commitment with a stated value by then"
for lab, partner, investor in (("openai", "Azure", "Microsoft"), ("anthropic", "AWS", "Amazon")):
    name = "OpenAI" if lab == "openai" else "Anthropic"
    for when, words in (("article", "at the article"), ("latest", "at the data's end")):
        declare(f"compute_hhi_{lab}_{when}", f"{name}'s compute concentration {words}",
                "Herfindahl index (10,000 = one supplier)", "{:,.0f}",
                f"Concentration of {name}'s valued compute commitments across clouds.", NO_COMMITMENT)
        declare(f"compute_partner_share_{lab}_{when}", f"{partner}'s share of {name}'s compute commitments {words}",
                "percent", PERCENT, f"Dollar share of {name}'s valued compute commitments placed with {partner}.",
                NO_COMMITMENT)
        declare(f"funding_partner_share_{lab}_{when}", f"{investor}'s share of {name}'s funding {words}",
                "percent", PERCENT, f"{investor}'s counted new money over all of {name}'s counted new money.",
                "no counted funding by then")
declare("events_since_article", "Alliance events since the article", "events", COUNT,
        "Dated alliance events after the article's publication.")
for kind in ("investment", "exclusivity_change", "compute_deal", "chip_deal", "model_distribution", "restructuring"):
    declare(f"events_since_article_{kind}", f"… of which {kind.replace('_', ' ')}s", "events", COUNT,
            f"Events of type {kind.replace('_', ' ')} after the article's publication.")
for verdict in ("held", "partly_held", "not_held", "open"):
    declare(f"expectations_{verdict}", f"The article's expectations: {verdict.replace('_', ' ')}", "expectations",
            COUNT, f"Expectations of the article judged {verdict.replace('_', ' ')} on the evidence known at as_of.")
NO_SPEND = "no spend figure in the data"
declare("scenario_azure_change_percent_min", "Azure revenue change if OpenAI moves spend, largest figure",
        "percent of annual revenue", "{:+.1f}%", "The moved share of the largest OpenAI spend figure, against "
        "Azure's annual revenue (the figures disagree and are not averaged).", NO_SPEND)
declare("scenario_azure_change_percent_max", "Azure revenue change if OpenAI moves spend, smallest figure",
        "percent of annual revenue", "{:+.1f}%", "The moved share of the smallest OpenAI spend figure, against "
        "Azure's annual revenue.", NO_SPEND)
declare("scenario_aws_change_percent", "AWS revenue change if Anthropic moves spend", "percent of annual revenue",
        "{:+.1f}%", "The moved share of Anthropic's AWS spend estimate, against AWS's last four quarters.", NO_SPEND)

# --- The seed article, fact-checked (seed_factcheck.ipynb) ------------------------------------------------
declare("claims", "Claims in the article", "claims", COUNT, "Every number the article states, one claim each.")
declare("claims_checked_against_sources", "Claims checked against sources", "claims", COUNT,
        "Claims confirmed, contradicted or outdated by independent sourced rows.")
for status, words in (("consistent", "consistent with the article's own figures"),
                      ("inconsistent", "inconsistent with the article's own figures"),
                      ("confirmed", "confirmed by sources"), ("contradicted", "contradicted by sources"),
                      ("outdated", "outdated by later figures"), ("unverifiable", "unverifiable with the data")):
    declare(f"claims_{status}", f"Claims {words}", "claims", COUNT, f"Claims whose status is {status}.")
for status in ("inconsistent", "contradicted", "outdated"):
    declare(f"{status}_claim_ids", f"{status.capitalize()} claims", "claim ids", "{}",
            f"The ids of the claims whose status is {status}, each linked to its evidence.", "none")
declare("azure_fy2025_increase_implied_usd_billion", "Azure's fiscal-2025 increase, from the article's figures",
        "USD billion", USD_BN, "75 − 75 / 1.34: the increase the article's revenue and growth imply (it says 25.5).")
declare("aws_ttm_increase_implied_usd_billion", "AWS's increase, from the article's figures", "USD billion", USD_BN,
        "The increase the article's AWS revenue and growth imply (it says 21).")
declare("microsoft_investment_reading_usd_billion", "Microsoft's investment, the reading that fits the article",
        "USD billion", USD_BN, "The article's figure for Microsoft's investment, read at the scale its other "
        "figures fit.")
