"""Each public page's content as data: headings, plain paragraphs, findings with their icon arrays,
tables and links. Every number comes from the catalog through the app's own views
(``views.overview.headline_rows`` and ``views.headline``: the rows the Overview's headline uses)
and every sentence about a number from ``dashboard.wording``; the developer-written paragraphs here
carry no figures.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pandas as pd

from dashboard import wording
from dashboard.bake.icons import IconArray, icon_array
from dashboard.catalog import Catalog
from dashboard.glossary import TERMS
from dashboard.links import safe_url
from dashboard.pagespecs import BY_PATH, COMPARE, OVERVIEW, PageSpec
from dashboard.views import effects, headline, overview
from dashboard.views.headline import Picked

DRUGS = overview.HEADLINE_DRUGS


@dataclass(frozen=True)
class Source:
    source_id: str
    citation: str
    url: str | None


@dataclass(frozen=True)
class Finding:
    """One benefit or harm: both groups in people per 100, the difference, its uncertainty, the
    ratio last, the two icon arrays and where the numbers were read."""

    heading: str
    sentences: tuple[str, ...]
    icons: tuple[IconArray, ...]
    source: Source


@dataclass(frozen=True)
class Table:
    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Link:
    text: str
    href: str


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...] = ()
    findings: tuple[Finding, ...] = ()
    items: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    anchor: str = ""
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class Page:
    slug: str
    """File name without ``.html``."""
    title: str
    description: str
    intro: tuple[str, ...]
    sections: tuple[Section, ...]
    app_link: Link
    more: tuple[Link, ...] = field(default=())

    @property
    def file(self) -> str:
        return f"{self.slug}.html"


# --- links into the app ------------------------------------------------------------------------------


def app_href(base: str, spec: PageSpec, values: Mapping[str, Sequence[str]] | None = None) -> str:
    """The app's page with its filters in the query string (keys checked against the page's params)."""
    pairs: list[tuple[str, str]] = []
    for key, chosen in (values or {}).items():
        param = spec.param(key)  # raises on a key the page does not read
        pairs += [(key, v) for v in param.to_query(list(chosen) if not isinstance(chosen, str) else chosen)]
    root = base if base.endswith("/") else f"{base}/"
    path = "" if spec is OVERVIEW else spec.path
    return f"{root}{path}" + (f"?{urlencode(pairs)}" if pairs else "")


# --- sources and findings ----------------------------------------------------------------------------


def _source(sources: pd.DataFrame | None, source_id: object) -> Source:
    sid = str(source_id)
    if sources is None:
        return Source(sid, "", None)
    match = sources[sources["source_id"] == sid]
    if match.empty:
        return Source(sid, "", None)
    row = match.iloc[0]
    citation = row.get("citation")
    return Source(sid, citation if isinstance(citation, str) else "", safe_url(row.get("url")))


def _finding(row: pd.Series, sources: pd.DataFrame | None) -> Finding:
    drug, other = wording.rates(row)
    event = wording.what_happened(row)
    sentences = [
        wording.natural_frequency(row),
        wording.plain_difference(row),
        wording.uncertainty(row),
        wording.relative(row),
    ]
    name = wording.plain_drug(row.get("drug"))
    comparator = wording.plain_comparator(row.get("comparator"))
    heading = str(row["effect"]) if "effect" in row else str(row.get("outcome")).capitalize()
    return Finding(
        f"{heading}: {name} against {comparator}",
        tuple(s for s in sentences if s),
        (
            icon_array(drug, wording.icon_alt(drug, name, event), f"On {name}"),
            icon_array(other, wording.icon_alt(other, comparator, event), f"On {comparator}"),
        ),
        _source(sources, row.get("source_id")),
    )


def _rows(frame: pd.DataFrame) -> list[pd.Series]:
    return [row for _, row in frame.iterrows()]


@dataclass(frozen=True)
class Evidence:
    """The headline's rows per drug (placebo tier, then other treatments), with the sources."""

    placebo: dict[str, Picked]
    active: dict[str, Picked | None]
    sources: pd.DataFrame | None
    effects: pd.DataFrame | None


def evidence(catalog: Catalog) -> Evidence:
    frames = catalog.frames(OVERVIEW.tables)
    benefits, harms = overview.headline_rows(frames)
    return Evidence(
        {d: headline.placebo_rows(benefits, harms, d) for d in DRUGS},
        {d: headline.active_rows(benefits, harms, d) for d in DRUGS},
        frames["sources"],
        harms,
    )


def _side(ev: Evidence, drug: str, side: str) -> Section:
    picked = ev.placebo[drug]
    rows = picked.benefits if side == "benefit" else picked.harms
    found = tuple(_finding(r, ev.sources) for r in _rows(rows))
    gap = () if found else (wording.plain_gap(side, drug),)
    word = "How often it helps" if side == "benefit" else "Side effects"
    return Section(f"{word}: {wording.plain_drug(drug)}", gap, found)


def _active(ev: Evidence, drug: str, side: str) -> Section | None:
    picked = ev.active[drug]
    if picked is None:
        return None
    rows = picked.benefits if side == "benefit" else picked.harms
    if rows.empty:
        return None
    return Section(
        f"{wording.plain_drug(drug).capitalize()} against another treatment",
        ("These studies tested it against another treatment, not a placebo.",),
        tuple(_finding(r, ev.sources) for r in _rows(rows)),
    )


# --- the pages ---------------------------------------------------------------------------------------

HOW_TO_READ = (
    "Each result below says how many people out of 100 had something happen. "
    "It gives the number for people on the drug and for people in the other group. "
    "The squares show the same numbers: each square is one person out of 100."
)


def index_page(ev: Evidence, base: str) -> Page:
    sections = []
    for drug in DRUGS:
        benefit, harm = _side(ev, drug, "benefit"), _side(ev, drug, "harm")
        sections.append(
            Section(
                f"{wording.plain_drug(drug).capitalize()}: help and harm side by side",
                (*benefit.paragraphs, *harm.paragraphs),
                (*benefit.findings, *harm.findings),
            )
        )
    topics = tuple(f"{p.title}" for p in TOPICS)
    return Page(
        "index",
        "Ketamine and esketamine for depression, in plain words",
        "What ketamine and esketamine are, how often they help, their side effects, and questions to ask.",
        (
            "Ketamine and esketamine are drugs that can help some people with hard-to-treat depression. "
            "This site sums up what trials found, in plain words.",
            HOW_TO_READ,
        ),
        (*sections, Section("More on this site", items=topics)),
        Link("See the full evidence in the interactive dashboard", app_href(base, OVERVIEW)),
        tuple(Link(p.title, p.file) for p in TOPICS),
    )


def what_page(base: str) -> Page:
    return Page(
        "what-they-are",
        "What ketamine and esketamine are",
        "Ketamine and esketamine: what they are, how they differ, and what is known about how they work.",
        (
            "Ketamine is an old drug. Doctors have used it for a long time to put people to sleep for surgery.",
            "In low doses, it can ease depression within hours or days. Most other drugs for depression take weeks.",
        ),
        (
            Section(
                "Two forms of one drug",
                (
                    "Ketamine comes in two mirror-image forms. Esketamine is one of them. It is sold as a nasal "
                    "spray called Spravato.",
                    "Racemic ketamine is the usual mix of both forms. For depression it is most often given as a "
                    "slow drip into a vein. In this site we call it ketamine.",
                ),
            ),
            Section(
                "Who it is for",
                (
                    "It is mostly tried when depression has not got better after other drugs. Doctors call this "
                    "treatment-resistant depression.",
                    "Esketamine is approved for this in many countries. Ketamine is approved for surgery, so its "
                    "use for depression is off-label. That means a doctor uses it for a purpose the label does "
                    "not list.",
                ),
            ),
            Section(
                "How it works",
                (
                    "It blocks the NMDA receptor, a switch on nerve cells. This may set off a short burst of "
                    "glutamate, a chemical messenger in the brain.",
                    "Experts are still not sure how this eases depression. The label for esketamine says the way "
                    "it works is not known.",
                ),
            ),
        ),
        Link("See how they act, with sources, in the interactive dashboard", app_href(base, BY_PATH["mechanisms"])),
    )


def _regimen_table(catalog: Catalog, drug: str) -> Table | None:
    frame = catalog.frame("dosing_regimens")
    if frame is None:
        return None
    rows = frame[(frame["drug"] == drug) & (frame["purpose"] == "depression")]
    cols = ("label", "route", "frequency", "monitoring", "source_id")

    def cell(v: object) -> str:
        return "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)

    return Table(
        f"How {wording.plain_drug(drug)} is given in labels and trials",
        ("Schedule", "Route", "How often", "Monitoring", "Source"),
        tuple(tuple(cell(r[c]) for c in cols) for _, r in rows.iterrows()),
    )


def _precaution_table(catalog: Catalog, drug: str) -> Table | None:
    frame = catalog.frame("precautions")
    if frame is None:
        return None
    rows = frame[frame["drug"] == drug]
    return Table(
        f"What the labels say to watch for: {wording.plain_drug(drug)}",
        ("Kind", "Who", "What it says", "Source"),
        tuple((str(r["topic"]), str(r["population"]), str(r["says"]), str(r["source_id"])) for _, r in rows.iterrows()),
    )


def how_page(catalog: Catalog, base: str) -> Page:
    tables = {d: tuple(t for t in (_regimen_table(catalog, d), _precaution_table(catalog, d)) if t) for d in DRUGS}
    return Page(
        "how-given",
        "How ketamine and esketamine are given and checked",
        "How the nasal spray and the drip are given, how people are watched, and who should not use them.",
        (
            "Both drugs are given in a clinic, with staff close by. You do not take them home.",
            "The tables below list each schedule and what the labels say. Each row names its source.",
        ),
        (
            Section(
                "Esketamine nasal spray",
                (
                    "You spray it into your nose yourself while staff watch. It is given with a drug for "
                    "depression taken by mouth.",
                    "Staff check your blood pressure before and after each dose. They watch you until you are "
                    "ready to leave. You should not drive until the next day, after a night's sleep.",
                ),
                tables=tables["esketamine"],
            ),
            Section(
                "Ketamine drip",
                (
                    "It is given as a slow drip into a vein. The dose depends on your body weight.",
                    "Staff check your blood pressure, heart and breathing during the drip and for a while after.",
                ),
                tables=tables["racemic ketamine"],
            ),
        ),
        Link(
            "See every dosing schedule in the interactive dashboard",
            app_href(base, BY_PATH["dosing"], {"drug": ["esketamine", "racemic ketamine"]}),
        ),
    )


def help_page(ev: Evidence, base: str) -> Page:
    sections: list[Section] = []
    for drug in DRUGS:
        sections.append(_side(ev, drug, "benefit"))
        active = _active(ev, drug, "benefit")
        if active:
            sections.append(active)
    return Page(
        "how-often-they-help",
        "How often ketamine and esketamine help",
        "How many people in every 100 got better on ketamine or esketamine, and on placebo, in trials.",
        (
            "Some people get better on any treatment, even a dummy one. So what matters is how many more get "
            "better on the drug than in the other group.",
            HOW_TO_READ,
        ),
        tuple(sections),
        Link(
            "See every result in the interactive dashboard",
            app_href(base, BY_PATH["outcomes"], {"outcome": ["response", "remission"]}),
        ),
    )


def _common_effects(ev: Evidence, drug: str) -> Section:
    harms = ev.effects
    shown: list[Finding] = []
    if harms is not None:
        told = set(ev.placebo[drug].harms.get("effect", pd.Series(dtype=str)).astype(str))
        mine = harms[(harms["drug"] == drug).to_numpy() & ~harms["effect"].astype(str).isin(told).to_numpy()]
        top = effects.headline_effects(mine) if not mine.empty else mine
        shown = [_finding(r, ev.sources) for r in _rows(headline.with_evidence(top))]
        if not shown:
            return _uncompared(harms, drug, ev.sources)
    return Section(f"Common side effects: {wording.plain_drug(drug)}", (), tuple(shown))


def _uncompared(harms: pd.DataFrame, drug: str, sources: pd.DataFrame | None) -> Section:
    """The most common effects a source counted without a comparison group (one group's rate)."""
    rated = harms[
        (harms["drug"] == drug).to_numpy()
        & harms["incidence_pct"].notna().to_numpy()
        & harms["comparator_pct"].isna().to_numpy()
        & (harms["timeframe"] == "acute").to_numpy()
    ]
    top = rated.sort_values("incidence_pct", ascending=False, kind="stable").head(4)
    name = wording.plain_drug(drug)
    found = tuple(
        Finding(
            f"{r['effect']}: {name}, no comparison group",
            (wording.single_frequency(r),),
            (
                icon_array(
                    float(r["incidence_pct"]),
                    wording.icon_alt(r["incidence_pct"], name, wording.what_happened(r)),
                    f"On {name}",
                ),
            ),
            _source(sources, r.get("source_id")),
        )
        for r in _rows(top)
    )
    paragraphs = (wording.NO_COMPARISON,) if found else (wording.plain_gap("harm", drug),)
    return Section(f"Common side effects: {name}", paragraphs, found)


def effects_page(ev: Evidence, base: str) -> Page:
    sections: list[Section] = []
    for drug in DRUGS:
        sections.append(_side(ev, drug, "harm"))
        sections.append(_common_effects(ev, drug))
        active = _active(ev, drug, "harm")
        if active:
            sections.append(active)
    return Page(
        "side-effects",
        "Side effects of ketamine and esketamine, and how often they happen",
        "How many people in every 100 had each side effect on ketamine or esketamine, and on placebo.",
        (
            "Most side effects start during the dose and fade within a few hours. Some people in the other "
            "group have them too, so compare the two numbers.",
            HOW_TO_READ,
        ),
        tuple(sections),
        Link(
            "See every side effect in the interactive dashboard",
            app_href(base, BY_PATH["side-effects"], {"timeframe": ["acute"], "drug": ["esketamine"]}),
        ),
    )


def article_page(catalog: Catalog, base: str) -> Page:
    claims = catalog.frame("claims")
    sources = catalog.frame("sources")
    if claims is None:
        return Page(
            "clinic-article",
            "What a clinic article claims, against the evidence",
            "Claims from a clinic's article on ketamine, checked against trials and drug labels.",
            ("The table of claims is not available right now.",),
            (),
            Link("See the claims in the interactive dashboard", app_href(base, OVERVIEW)),
        )
    ordered = overview.claims_in_order(claims)
    items = tuple(f"{r['topic']}: {wording.VERDICTS_PLAIN.get(str(r['verdict']), '')}" for _, r in ordered.iterrows())
    table = Table(
        "Each claim and what the evidence says",
        ("Topic", "The article says", "Verdict", "The evidence says", "Source"),
        tuple(
            (str(r["topic"]), str(r["article_says"]), str(r["verdict"]), str(r["evidence_says"]), str(r["source_id"]))
            for _, r in ordered.iterrows()
        ),
    )
    cited = tuple(_source(sources, sid) for sid in dict.fromkeys(ordered["source_id"].astype(str)))
    return Page(
        "clinic-article",
        "What a clinic article claims, against the evidence",
        "Claims from a clinic's article on ketamine, checked one by one against trials and drug labels.",
        (
            "A clinic put out an article about ketamine. We checked what it says against trials and drug labels.",
            wording.claim_counts(ordered["verdict"].astype(str).tolist()),
        ),
        (
            Section("The claims in short", items=items),
            Section("The claims in full", tables=(table,), sources=cited),
        ),
        Link("See the claims beside the trials in the interactive dashboard", app_href(base, OVERVIEW)),
    )


QUESTIONS = (
    "Is my depression the kind these drugs were tested for?",
    "Which one would you suggest for me, and why?",
    "How many people like me get better, and how soon would we know if it works for me?",
    "What side effects might I have, and how long do they last?",
    "What checks will you do before, during and after each dose?",
    "Is my blood pressure safe for this?",
    "Could it affect my other drugs or health problems?",
    "How will I get home after each dose?",
    "How often would I need to come in, and for how long?",
    "What will it cost, and will my insurance pay?",
    "What are my other choices, such as other drugs, talk therapy or ECT?",
)


def questions_page(base: str) -> Page:
    return Page(
        "questions",
        "Questions to ask a clinician about ketamine or esketamine",
        "Questions to take to your doctor when you talk about ketamine or esketamine for depression.",
        (
            "You may want to take these questions to your doctor. Tick the ones that matter most to you.",
            "There is no wrong question. A good doctor will be glad to talk them through.",
        ),
        (Section("Questions to ask", items=QUESTIONS),),
        Link("Compare schedules side by side in the interactive dashboard", app_href(base, COMPARE)),
    )


def glossary_page(catalog: Catalog, base: str) -> Page:
    sources = catalog.frame("sources")
    return Page(
        "glossary",
        "Glossary: the words these pages use",
        "Plain meanings of the medical and research words used on this site.",
        ("Here is what the harder words on this site mean.",),
        tuple(
            Section(t.term, (t.meaning,), anchor=t.anchor, sources=tuple(_source(sources, sid) for sid in t.sources))
            for t in TERMS
        ),
        Link("See the glossary in the interactive dashboard", app_href(base, BY_PATH["glossary"])),
    )


@dataclass(frozen=True)
class Topic:
    slug: str
    title: str

    @property
    def file(self) -> str:
        return f"{self.slug}.html"


TOPICS = (
    Topic("what-they-are", "What ketamine and esketamine are"),
    Topic("how-given", "How they are given and checked"),
    Topic("how-often-they-help", "How often they help"),
    Topic("side-effects", "Side effects and how often they happen"),
    Topic("clinic-article", "What a clinic article claims"),
    Topic("questions", "Questions to ask a clinician"),
    Topic("glossary", "Glossary"),
)


def build_pages(catalog: Catalog, base: str = "/") -> list[Page]:
    ev = evidence(catalog)
    return [
        index_page(ev, base),
        what_page(base),
        how_page(catalog, base),
        help_page(ev, base),
        effects_page(ev, base),
        article_page(catalog, base),
        questions_page(base),
        glossary_page(catalog, base),
    ]
