"""The project's wording, defined once for every output that shows it: the app's pages, the
printable summary and the public pages all take their sentences about numbers from here.

``dashboard.stats`` computes; this module says. Two registers sit side by side: the clinician's
(NNT and NNH with their 95% intervals, an interval through infinity written out) and the plain
one (people in every 100, "no clear difference" where the interval includes no difference).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dashboard import stats

NOTICE = (
    "Educational summary of published evidence, not medical advice. Ketamine and esketamine are "
    "prescription medicines given under medical supervision; talk to a clinician about your own care."
)
"""The notice on every page and every printout."""

NO_CLEAR_DIFFERENCE = "no clear difference"
WIDE_RATIO = "too few events to estimate the ratio well"
WIDE_RATIO_SPAN = 20.0
"""A ratio whose interval's upper limit is more than this many times its lower limit is called too
wide to read: the number is printed, and this note stands beside it."""


# --- numbers needed: the clinician's register ---------------------------------------------------


def _kinds(harm: bool) -> tuple[str, str]:
    """(the number a higher rate on the drug gives, the number a lower rate gives)."""
    return ("NNH", "NNT") if harm else ("NNT", "NNH")


def numbers_needed(found: stats.NumbersNeeded, higher_is: Sequence[str]) -> list[str]:
    """NNT or NNH with its 95% interval, in Altman's words: an interval that excludes no difference
    gives both limits as the same kind; one that includes it runs from one kind through infinity to
    the other (a cell never shows a negative or an infinite number)."""
    words = []
    for i, direction in enumerate(higher_is):
        d, lo, hi = found.difference[i], found.low[i], found.high[i]
        if math.isnan(d) or math.isnan(lo) or math.isnan(hi):
            words.append("")
            continue
        up, down = _kinds(direction == "harm")
        kind = up if d > 0 else down
        if lo > 0 or hi < 0:
            near, far = sorted((found.below[i], found.above[i]))
            words.append(f"{kind} {found.point[i]:,} (95% CI {near:,} to {far:,})")
            continue
        span = f"CI from {down} {found.below[i]:,} through infinity to {up} {found.above[i]:,}" if lo < 0 < hi else ""
        head = "no difference" if d == 0 else f"{kind} {found.point[i]:,}"
        words.append("; ".join(w for w in (head, span) if w))
    return words


def number_needed(difference: float, low: float, high: float, *, higher_is: str = "harm") -> str:
    """The clinician's words for one row."""
    found = stats.numbers_needed([difference], [low], [high])
    return numbers_needed(found, [higher_is])[0]


# --- people in every 100: the plain register -----------------------------------------------------


def per_100(difference: float, low: float = math.nan, high: float = math.nan, *, happens: str = "") -> str:
    """The difference as people in every 100 treated, e.g. "about 32 more in every 100 respond".

    Where the interval includes no difference the plain reading is "no clear difference", with the
    range the true difference may lie in; the point estimate alone would read as an effect."""
    people = stats.people_per_100(difference)
    if people is None:
        return ""
    verb = f" {happens}" if happens else ""
    if not (math.isnan(low) or math.isnan(high)) and low <= 0 <= high:
        fewer, more = stats.people_per_100(low), stats.people_per_100(high)
        return f"{NO_CLEAR_DIFFERENCE}: from about {fewer} fewer to {more} more in every 100{verb}"
    if people == 0:
        return f"about the same in every 100{verb}"
    return f"about {people} {'more' if difference > 0 else 'fewer'} in every 100{verb}"


def with_time_frame(words: str, counted: object) -> str:
    """A per-100 phrase with what exactly was counted ("at least once over the first 4 weeks")."""
    if not words or not isinstance(counted, str) or not counted.strip():
        return words
    return f"{words} ({counted.strip()})"


def ratio_note(low: float, high: float) -> str:
    """The plain note beside a ratio whose interval is too wide to read (empty otherwise)."""
    if math.isnan(low) or math.isnan(high) or low <= 0:
        return WIDE_RATIO if not math.isnan(high) and math.isinf(high) else ""
    return WIDE_RATIO if high / low > WIDE_RATIO_SPAN else ""


# --- the labels of computed columns ------------------------------------------------------------


@dataclass(frozen=True)
class Label:
    """A computed column's heading and the help a table shows for it."""

    title: str
    help: str = ""


COLUMNS: dict[str, Label] = {
    "source": Label("Source", "Open this row's source on the Sources page."),
    "source_url": Label("Source link", "The source itself (DOI, PubMed, registry or label page)."),
    "source_kind": Label("Source kind", "What sort of source the row cites."),
    "events_per_arm": Label(
        "Patients: drug vs comparator",
        "People with the outcome / people in the group, on the drug and on the comparator. "
        "≈ marks counts worked out from the printed rate and group size.",
    ),
    "difference_ci": Label(
        "Difference, points (95% CI)",
        "Drug minus comparator, in percentage points, with its 95% confidence interval (Newcombe's method).",
    ),
    "ratio_ci": Label(
        "Relative risk (95% CI)", "Rate on the drug divided by the rate on the comparator, with its 95% CI."
    ),
    "number_needed": Label(
        "Number needed (95% CI)",
        "How many people treated for one more to have the outcome (NNH: harm; NNT: benefit), rounded up to whole "
        "people, with its 95% CI. An interval through infinity means the data fit both more and fewer: there is "
        "no clear difference.",
    ),
    "per_100": Label(
        "In every 100 treated",
        'The difference in plain words; "no clear difference" where the 95% interval includes no difference.',
    ),
    "evidence": Label(
        "Kind of evidence", "The kind of study the figure comes from (not of the source it was read in)."
    ),
    "interval_note": Label("About the interval", "Why a row has no interval, or how its counts were worked out."),
    "panel": Label("Scale or measure", "The unit the difference is in: points of one scale, or standard deviations."),
    "estimate_ci": Label(
        "Difference (95% CI)",
        "Drug minus comparator in the unit the cell names, with the 95% interval as the source prints it.",
    ),
    "favours": Label(
        "Which way",
        "Read from the 95% interval: lower scores are better, so an interval wholly below 0 favours the drug; "
        "one that includes 0 shows no clear difference.",
    ),
    "rd_pct": Label("Difference (points)"),
    "rd_low_pct": Label("Difference, lower 95% limit"),
    "rd_high_pct": Label("Difference, upper 95% limit"),
    "rr": Label("Relative risk"),
    "rr_low": Label("Relative risk, lower 95% limit"),
    "rr_high": Label("Relative risk, upper 95% limit"),
}
"""Every column the views compute, as a table heads it."""


# --- the Overview's headline: benefit beside harm -------------------------------------------------

HEADLINE_RULE = (
    "How these figures are chosen: benefit and harm are paired only within one kind of comparator, "
    "placebo-controlled trials first (midazolam counts as an active placebo), then trials against another "
    "treatment, each under its own heading. Only randomised evidence is used; a primary trial comes before a "
    "pooled or post hoc analysis, and the harm comes from the same study where the tables have one. Against "
    "other treatments every study is listed, whichever way its result goes. A row without group sizes shows "
    "its rates without an interval."
)
TIER_HEADINGS = {"placebo": "Against placebo", "active": "Against another treatment"}
_SIDES = {"benefit": "benefit (response or remission)", "harm": "side-effect"}
_TABLES = {"benefit": "outcomes", "harm": "side-effects"}


def unavailable_table(table: str, what: str) -> str:
    """What a page leaves out while a table is unavailable: never worded as "no row"."""
    return f"The {table} table is unavailable right now, so {what} cannot be shown."


def no_controlled(side: str, drug: str, unavailable: bool, *, tier: str = "placebo") -> str:
    """Why one side of a headline is empty, in words that cannot be read as "no harm"."""
    if unavailable:
        return f"The {_TABLES[side]} table is unavailable right now, so no {_SIDES[side]} figure is shown."
    against = "placebo-controlled" if tier == "placebo" else "randomised, against another treatment,"
    return (
        f"No {against} {_SIDES[side]} figure for {drug} in these tables. This is a gap in the data, "
        f"not evidence of no {'effect' if side == 'benefit' else 'harm'}."
    )


Row = Mapping[str, Any]
"""A table row (a pandas Series reads as one)."""


def _pct(value: Any) -> str:
    return f"{float(value):g}%"


def _needed(row: Row) -> str:
    """The number needed with its interval, "no clear difference" where the interval includes none,
    or why a row has no interval."""
    words, low, high = row.get("number_needed") or "", row.get("rd_low_pct"), row.get("rd_high_pct")
    if not words:
        return f"No interval: {row.get('interval_note') or 'no group sizes'}"
    if isinstance(low, float) and isinstance(high, float) and low <= 0 <= high:
        return f"{NO_CLEAR_DIFFERENCE.capitalize()} ({words})"
    return str(words)


def _when(row: Row, fallback: str) -> str:
    counted = row.get("counted")
    return counted.strip() if isinstance(counted, str) and counted.strip() else fallback


def _kind(row: Row) -> str:
    """The kind of evidence in brackets ("RCT, open-label", "post hoc or pooled analysis of RCTs")."""
    kind = row.get("evidence")
    return f" ({kind})" if isinstance(kind, str) and kind else ""


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def benefit_line(row: Row) -> str:
    """One benefit figure: what was counted, both arms' rates, the number needed, the study."""
    what = _capital(_when(row, f"{row.get('outcome')} at {row.get('timepoint')}"))
    arms = f"{_pct(row.get('drug_pct'))} on {row.get('drug')} vs {_pct(row.get('comparator_pct'))}"
    return f"{what}: {arms} on {row.get('comparator')}. {_needed(row)}. {row.get('study')}{_kind(row)}."


def harm_line(row: Row) -> str:
    """One harm figure: both arms' rates, the number needed, the comparison it comes from."""
    frame = f"{row.get('timeframe')} effect"
    what = f"{row.get('effect')}, {_when(row, frame)}"
    arms = f"{_pct(row.get('incidence_pct'))} on {row.get('drug')} vs {_pct(row.get('comparator_pct'))}"
    return f"{what}: {arms} on {row.get('comparator')}. {_needed(row)}. {row.get('comparison')}{_kind(row)}."


# --- estimates a source reports (score changes, standardised differences, ratios) ---------------

REPORTED = "estimate and interval as the source reports them (not recomputed)"
NOT_REPORTED = "no difference reported"
NAMED = {"SMD": "SMD", "Hedges g": "Hedges g", "OR": "OR", "RR": "RR"}
"""Measures without a unit: the estimate is preceded by the measure's name."""


def _signed(x: float) -> str:
    return f"{x:+.2f}".replace("-", "−")


def _plain(x: float) -> str:
    return f"{x:.2f}"


def reported(d: float, lo: float, hi: float, measure: str, scale: str | None = None) -> str:
    """The estimate a source reports, with its interval and its unit from the row: points of its
    scale for a mean difference, percentage points for a risk difference, the measure's name for
    a standardised difference or a ratio (never "scale points" for an SMD)."""
    if math.isnan(d):
        return ""
    number = _plain if measure in ("OR", "RR") else _signed
    interval = (
        f" ({number(lo)} to {number(hi)})" if not (math.isnan(lo) or math.isnan(hi)) else " (no interval printed)"
    )
    if measure == "MD":
        return f"{number(d)}{interval} {scale + ' points' if scale else 'points on the scale'}"
    if measure == "RD":
        return f"{number(d)}{interval} percentage points"
    return f"{NAMED.get(measure, measure)} {number(d)}{interval}"


# --- score changes: the difference between the arms' mean scores --------------------------------

SCORE_DIRECTION = (
    "On every depression scale here a lower score means fewer symptoms, so a difference below 0 "
    "(drug minus comparator) favours the drug."
)
FAVOURS_DRUG = "favours the drug"
FAVOURS_COMPARATOR = "favours the comparator"
NO_INTERVAL = "no interval printed"
STANDARDISED = {
    "SMD": "SMD, in standard deviations",
    "Hedges g": "Hedges g, in standard deviations",
}
SCORE_AXIS = "← favours drug | favours comparator →"


def score_panel(measure: str, scale: str | None) -> str:
    """The unit of one panel of the score-change chart, shared by its estimates: points of one
    scale for a mean difference; standard deviations for a standardised one, never points."""
    if measure == "MD":
        return f"{scale} points (mean difference)" if scale else "Points of an unnamed scale (mean difference)"
    return STANDARDISED.get(measure, measure)


def score_heading(panel: str) -> str:
    """A score-change panel's heading: its unit and the direction."""
    return f"{panel}: below 0 favours the drug"


def favours(d: float, low: float, high: float) -> str:
    """Which way a score difference points, read from its 95% interval (lower is better)."""
    if math.isnan(d):
        return ""
    if math.isnan(low) or math.isnan(high):
        return NO_INTERVAL
    if high < 0:
        return FAVOURS_DRUG
    if low > 0:
        return FAVOURS_COMPARATOR
    return NO_CLEAR_DIFFERENCE


# --- which comparisons a chart shows; one finding of a regimen -----------------------------------


def drawn(comparisons: Sequence[str], *, chosen: bool, others: int, randomised: bool) -> str:
    """Which comparisons a section's charts show, and how to see others."""
    names = "; ".join(comparisons)
    if chosen:
        return f"Comparisons shown (chosen in the Comparison filter): {names}."
    more = f" {others} other comparison(s) match: choose them in the Comparison filter." if others else ""
    if randomised:
        return f"Showing the largest randomised comparison: {names}.{more}"
    return f"No randomised comparison matches the filters; showing: {names}.{more}"


def finding(row: Row, rate: str) -> str:
    """One benefit or harm row in words: what, the two rates, the difference and the number needed."""
    what = row.get("effect") if "effect" in row else f"{row.get('study')}, {row.get('outcome')}, {row.get('timepoint')}"
    drug, comparator = row.get(rate), row.get("comparator_pct")
    given = isinstance(drug, float) and isinstance(comparator, float) and not math.isnan(drug + comparator)
    rates = f"{drug:g}% vs {comparator:g}%" if given else ""
    parts = [rates, row.get("difference_ci") or "", row.get("number_needed") or "", row.get("interval_note") or ""]
    return f"{what}: " + "; ".join(str(p) for p in parts if p)


# --- the public pages: natural frequencies, one denominator (IPDAS; Trevena 2013, Zipkin 2014) ---

NOTICE_PLAIN = (
    "This site explains published research. It is not medical advice. Talk to your own doctor about your care."
)
"""The notice in plain words, beside ``NOTICE`` (which every page also carries)."""

PLAIN_EFFECTS = {
    "dissociation": "felt detached (dissociation)",
    "dizziness": "felt dizzy",
    "nausea": "felt sick (nausea)",
    "sedation": "felt very sleepy (sedation)",
    "vertigo": "felt the room spin (vertigo)",
    "headache": "had a headache",
    "vomiting": "vomited",
    "anxiety": "felt anxious",
    "increased blood pressure": "had a rise in blood pressure",
    "dysgeusia": "had a changed sense of taste (dysgeusia)",
    "hypoesthesia": "felt numb (hypoesthesia)",
}
PLAIN_BENEFITS = {
    "response": "got much better (a response)",
    "remission": "got well (remission)",
}
PLAIN_DRUGS = {"racemic ketamine": "ketamine"}


def plain_drug(drug: object) -> str:
    return PLAIN_DRUGS.get(str(drug), str(drug))


def plain_comparator(comparator: object) -> str:
    """What the other group got, in a few common words ("placebo", "ECT")."""
    text = str(comparator)
    low = text.lower()
    if "midazolam" in low:
        return "midazolam (a sleep drug used as a placebo)"
    if "placebo" in low or "saline" in low:
        return "placebo"
    if "ect" in low.split() or low.startswith("ect"):
        return "ECT (electric shock treatment)"
    if "quetiapine" in low:
        return "quetiapine (another drug)"
    return text.split("+")[0].split("(")[0].strip() or text


def what_happened(row: Row) -> str:
    """The event in plain words: a benefit by its outcome, a harm by its effect."""
    if "effect" in row and isinstance(row.get("effect"), str):
        effect = str(row["effect"])
        return PLAIN_EFFECTS.get(effect.lower(), f"had {effect[:1].lower()}{effect[1:]}")
    return PLAIN_BENEFITS.get(str(row.get("outcome")), str(row.get("outcome")))


def _about(pct: float) -> int:
    return math.floor(float(pct) + 0.5)


def rates(row: Row) -> tuple[float, float]:
    """(drug rate, comparator rate), in percent, of a benefit or a harm row."""
    drug = row.get("incidence_pct") if "incidence_pct" in row else row.get("drug_pct")
    return float(drug), float(row.get("comparator_pct"))  # type: ignore[arg-type]


def natural_frequency(row: Row) -> str:
    """Both groups' rates as people in every 100, with the row's own time frame from ``counted``:
    "About 41 in 100 people on esketamine, and 9 in 100 on placebo, felt detached (dissociation) at
    least once over ..."."""
    drug, other = rates(row)
    return (
        f"About {_about(drug)} in 100 people on {plain_drug(row.get('drug'))}, and {_about(other)} in 100 on "
        f"{plain_comparator(row.get('comparator'))}, {_event(row)}."
    )


def _event(row: Row) -> str:
    """What happened and when, the time frame as the row's ``counted`` says it."""
    if "effect" in row:
        when = _when(row, "")
        if when and not when.startswith(("at ", "over ", "during ", "in ", "within ")):
            when = f"(counted as {when})"
        return f"{what_happened(row)} {when}".rstrip()
    outcome = str(row.get("outcome"))
    counted = _when(row, f"{outcome} at {row.get('timepoint')}")
    return f"had {'a ' if outcome == 'response' else ''}{counted[:1].lower()}{counted[1:]}"


NO_COMPARISON = (
    "This study had no comparison group. So we cannot tell how many of these people had it because of the drug."
)


def single_frequency(row: Row) -> str:
    """One group's rate as people in every 100, where the source has no comparison group."""
    drug = float(row.get("incidence_pct"))  # type: ignore[arg-type]
    return f"About {_about(drug)} in 100 people on {plain_drug(row.get('drug'))} {_event(row)}."


def plain_difference(row: Row) -> str:
    """The difference between the groups in people per 100, from the two rates."""
    drug, other = rates(row)
    gap = _about(drug) - _about(other)
    if gap == 0:
        return "That is about the same number in each group."
    more = "more" if gap > 0 else "fewer"
    return f"That is about {abs(gap)} {more} people in every 100 on {plain_drug(row.get('drug'))}."


def uncertainty(row: Row) -> str:
    """The 95% interval of the difference in words; why there is none where the row has none."""
    low, high = row.get("rd_low_pct"), row.get("rd_high_pct")
    if not isinstance(low, float) or not isinstance(high, float) or math.isnan(low) or math.isnan(high):
        return "The study did not give the size of each group, so we cannot say how sure this number is."
    lo, hi = _about(low), _about(high)
    if low <= 0 <= high:
        return (
            f"The true number could be as low as {abs(lo)} {'fewer' if lo < 0 else 'more'} or as high as {hi} more "
            "in every 100. So there may be no real difference."
        )
    if lo < 0:
        return f"The true number could be as low as {abs(hi)} fewer or as high as {abs(lo)} fewer in every 100."
    return f"The true number could be as low as {lo} more or as high as {hi} more in every 100."


def relative(row: Row) -> str:
    """The ratio, after the absolute numbers: "People on esketamine were about 4.6 times as likely."""
    drug, other = rates(row)
    if other <= 0 or drug <= 0:
        return ""
    ratio = drug / other
    return (
        f"Put another way, people on {plain_drug(row.get('drug'))} were about {ratio:.1f} times as likely to have this."
    )


def icon_alt(pct: float, drug: object, event: str) -> str:
    """The text alternative of one icon array."""
    return f"{_about(pct)} of 100 squares filled: people on {drug} who {event}."


def plain_gap(side: str, drug: str) -> str:
    what = "how often it helps" if side == "benefit" else "how often side effects happen"
    return (
        f"These tables have no fair test against placebo of {what} for {plain_drug(drug)}. "
        "That is a gap in the data. It does not mean there is no effect."
        if side == "benefit"
        else f"These tables have no fair test against placebo of {what} for {plain_drug(drug)}. "
        "That is a gap in the data. It does not mean there is no harm."
    )


VERDICTS_PLAIN = {
    "not supported": "The evidence does not back this up.",
    "partly supported": "The evidence backs up part of this.",
    "supported": "The evidence backs this up.",
}


def claim_counts(verdicts: Sequence[str]) -> str:
    """How many of the article's claims the evidence backs, in words."""
    total = len(verdicts)
    parts = [f"{sum(v == key for v in verdicts)} {key}" for key in VERDICTS_PLAIN if any(v == key for v in verdicts)]
    return f"We checked {total} claims from the article. Here is how they came out: {', '.join(parts)}."


def evidence_date(as_of: str | None, version: str) -> str:
    return f"Evidence checked up to {as_of or 'an unknown date'}. Data version {version}."


# --- pooled analyses: the summary of findings --------------------------------------------------

SOF_HEADING = "Summary of findings: pooled analyses"
SOF_INTRO = (
    "Each line pools trials that compared the same thing at the same time (random effects, "
    "DerSimonian-Laird; the HKSJ interval beside it is the safer one when there are few trials). "
    "Which rows pool together, and why, is declared in analyses.csv. Certainty follows GRADE: a domain "
    "is rated only from a published assessment or by a stated rule, and the overall certainty only when "
    "all five domains are rated."
)
SOF_NONE = "No pooled analysis matches this selection: the rows below are single trials."
SOF_NOT_APPLICABLE = "not applicable (mean difference)"
SOF_HKSJ_NARROWER = "narrower than the standard interval because the trials agree closely; read the wider one"
SENSITIVITY_LABELS = {
    "all": "all pooled rows",
    "rct-only": "randomised trials only (post hoc and secondary figures left out)",
    "low-rob": "trials at low risk of bias only",
    "leave-one-out": "each trial left out in turn",
}
POST_HOC = "includes post hoc or secondary-summary figures"


def _estimate(x: float, measure: str) -> str:
    if measure == "RR":
        return _plain(x)
    if measure == "RD":
        return _signed(100 * x)
    return _signed(x)


def pooled_estimate(measure: str, scale: str | None, estimate: float, low: float, high: float) -> str:
    """A pooled estimate with its 95% interval, in its unit: RR 1.35 (1.10 to 1.66); +12.00 (3.00 to
    21.00) percentage points; −3.85 (−5.79 to −1.91) MADRS points."""
    body = f"{_estimate(estimate, measure)} (95% CI {_estimate(low, measure)} to {_estimate(high, measure)})"
    if measure == "RR":
        return f"RR {body}"
    if measure == "RD":
        return f"{body} percentage points"
    return f"{body} {scale + ' points' if scale else 'points on the scale'}"


def interval_only(measure: str, low: float, high: float) -> str:
    return f"{_estimate(low, measure)} to {_estimate(high, measure)}"


def per_1000(comparator: int, drug: int, low: int, high: int) -> tuple[str, str]:
    """The assumed comparator risk and the corresponding drug risk per 1,000, with its interval."""
    return f"{comparator} per 1,000", f"{drug} per 1,000 (95% CI {low} to {high})"


def participants(total: int | None, k: int, known: tuple[int, int] = (0, 0)) -> str:
    """Participants (studies), or as much as the dataset knows: never a partial sum read as the whole."""
    studies = f"{k} {'study' if k == 1 else 'studies'}"
    if total is not None:
        return f"{total:,} ({studies})"
    if known[1]:
        return f"{known[0]:,} in the {known[1]} of {k} studies with group sizes in the dataset ({studies})"
    return f"group sizes not in the dataset ({studies})"


def heterogeneity(i2: float, tau2: float) -> str:
    return f"I² {i2:.0f}%, tau² {tau2:.3g}"


def certainty_line(overall: str, missing: Sequence[str]) -> str:
    if missing:
        return f"not rated: no published rating of {', '.join(missing)}"
    return overall


def domain_reason(domain: str, rating: str, basis: str, reason: str) -> str:
    why = f"; {reason}" if reason else ""
    return f"{domain}: {rating} ({basis}{why})"


def sensitivity_line(label: str, result: str) -> str:
    return f"{label}: {result}"


def left_out(study: str, result: str) -> str:
    return f"without {study}: {result}"


def alone(study: str) -> str:
    return f"{study} alone"


SOF_CARD = "Pooled comparison"
SOF_DETAILS = "Heterogeneity, prediction interval, why this certainty, risk of bias"


def missing_rows(ids: Sequence[str]) -> str:
    return f"rows not in the table served now, left out: {', '.join(ids)}"


ROB_NOT_ASSESSED = "no published risk-of-bias assessment in the dataset"


def rob_phrase(tool: str, source: str, domains: int, counts: Sequence[tuple[str, int]], overall: str | None) -> str:
    """One study's published judgements by one tool: how many domains at each level, and the overall."""
    levels = " and ".join(f"{judgement} in {n}" for judgement, n in counts)
    whole = f"overall {overall}" if overall else "no overall judgement published"
    return f"{tool}, {source}: {levels} of {domains} domains, {whole}"


def harm_outcome(effect: str) -> str:
    """A pooled side effect's outcome label: the effect, marked as a harm."""
    return f"{effect} (harm: fewer is better)"


POOLED_HEADING = "Pooled across trials"


def pooled_headline(f: Any) -> str:
    """One pooled analysis for the Overview: what, the pooled estimate, how many trials, the certainty."""
    head = f.relative
    if f.comparator_risk != SOF_NOT_APPLICABLE:
        head = f"{f.relative}: {f.drug_risk} against {f.comparator_risk} with the comparator"
    return f"{f.title}: {head}; {f.participants}; certainty {f.certainty}."
