"""The allowed values of the tables' choice columns, and what some of them mean, in declared order
(facets offer values in this order)."""

SOURCE_KINDS = (
    "label",
    "regulatory",
    "trial",
    "post hoc analysis",
    "meta-analysis",
    "review",
    "consensus",
    "observational",
    "case series",
    "preclinical",
    "secondary summary",
    "news",
    "clinic article",
)
ENTITY_TYPES = (
    "receptor",
    "receptor population",
    "neurotransmitter",
    "neurotrophic factor",
    "signalling pathway",
    "structural change",
    "metabolite",
    "receptor system",
    "clinical outcome",
)
DIRECTIONS = ("block", "increase", "decrease", "modulate", "uncertain")
CONFIDENCE = ("established", "probable", "hypothesised", "contested")
EVIDENCE_IN = ("human", "animal", "human and animal")
DRUGS = ("esketamine", "racemic ketamine", "arketamine")
ROUTES = ("intranasal", "IV", "IM", "oral", "sublingual", "subcutaneous")
PURPOSES = ("depression", "anaesthesia")
DOSE_UNITS = ("mg/kg", "mg")
FACTOR_CATEGORIES = (
    "demographic",
    "organ function",
    "cardiovascular",
    "psychiatric history",
    "substance use",
    "reproductive",
    "co-medication",
    "pharmacogenetic",
    "clinical setting",
)
APPLIES_TO = ("esketamine", "racemic ketamine", "both")
EFFECT_DRUGS = ("esketamine", "racemic ketamine", "ketamine (any form)")
TIMEFRAMES = ("acute", "repeated use", "long-term")
BODY_SYSTEMS = (
    "psychiatric",
    "nervous system",
    "gastrointestinal",
    "ear and labyrinth",
    "cardiovascular",
    "respiratory",
    "skin",
    "renal and urinary",
    "general",
    "cognitive",
    "reproductive",
)
SEVERITIES = ("not graded", "mild to moderate", "serious")
STUDY_KINDS = (
    "RCT, blinded",
    "RCT, open-label",
    "post hoc or pooled analysis of RCTs",
    "label pool with comparator",
    "label pool without comparator",
    "meta-analysis",
    "observational",
    "secondary summary",
    "case series",
    "preclinical",
    "clinic article",
)
"""What kind of study (or label pool, or analysis) a row's figure comes from: the kind of evidence."""
RANDOMISED_KINDS = (
    "RCT, blinded",
    "RCT, open-label",
    "post hoc or pooled analysis of RCTs",
    "label pool with comparator",
    "meta-analysis",
)
"""Study kinds whose comparisons rest on randomisation: trials, analyses and meta-analyses of
randomised trials, and a label's pool of placebo-controlled trials. A label pool without a
comparator (e.g. the anaesthetic label's experience) is never a comparison, so never randomised;
observational studies, summaries, case series, animal studies and the clinic article are not either."""
BLINDING = ("double-blind", "single-blind", "open-label", "not applicable", "not stated")

IDENTIFIER = (
    r"(doi:10\.\d{4,9}/[^\s;]+|PMID \d{1,9}|PMCID PMC\d{1,9}|NCT\d{8}|NDA \d{6}"
    r"|DailyMed setid [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"
)
IDENTIFIERS_PATTERN = rf"^{IDENTIFIER}(; {IDENTIFIER})*$"
VERDICTS = ("not supported", "partly supported", "supported")
OUTCOMES_KINDS = ("response", "remission", "relapse", "score change")
HARM_OUTCOME = "adverse effect"
"""The outcome of an analysis that pools side-effect rows (side_effects.csv) rather than outcome rows."""
ANALYSIS_OUTCOMES = (*OUTCOMES_KINDS, HARM_OUTCOME)
HIGHER_IS = {
    "response": "benefit",
    "remission": "benefit",
    "relapse": "harm",
    "score change": "harm",
    HARM_OUTCOME: "harm",
}
"""What a higher value on the drug means for each kind of outcome (a score change is on a depression
scale: lower, a larger drop, is better)."""
MEASURES = ("proportion", "MD", "SMD", "Hedges g", "OR", "RR", "RD")
"""How an outcome row gives its result: a proportion on each arm, or one estimate between the arms
as the source reports it: a mean difference on the row's scale (MD), a standardised mean difference
(SMD, Hedges g), an odds ratio (OR), a risk ratio (RR) or a risk difference in percentage points (RD)."""
RATIOS = ("OR", "RR")
"""Measures that divide the arms (no effect is 1, not 0)."""
PRECAUTION_DRUGS = ("esketamine", "racemic ketamine")
PRECAUTION_TOPICS = (
    "contraindication",
    "boxed warning",
    "warning and precaution",
    "population",
    "interaction",
    "abuse and misuse",
    "monitoring",
    "limitation of use",
)
WARNING_TOPICS = ("contraindication", "boxed warning", "warning and precaution")
"""The topics that say who must not take a drug or what it warns of (the comparison lists these)."""
