"""The ``neurotransmitters.csv`` table: its columns, key, rules and references."""

from __future__ import annotations

from dashboard.columns import (
    choice,
    source_ref,
    source_refs,
    text,
)
from dashboard.filters import Search
from dashboard.pagespec import OneChart, PageSpec, TablePage, chart_choice, facet
from dashboard.schema.spec import Reference, table
from dashboard.schema.values import CONFIDENCE, DIRECTIONS, ENTITY_TYPES, EVIDENCE_IN

NEUROTRANSMITTERS = table(
    "neurotransmitters",
    "Neurotransmitters and mechanism",
    "One thing ketamine acts on: a receptor, transmitter, neurotrophic factor, pathway or metabolite.",
    {
        "entity": text("What ketamine acts on.", max_length=200, unique=True),
        "entity_type": choice("Kind of entity.", ENTITY_TYPES),
        "normal_role": text("What it does without the drug (textbook background)."),
        "ketamine_action": text("What ketamine does to it, with the key finding."),
        "direction": choice("Direction of ketamine's effect.", DIRECTIONS),
        "time_course": text("When the effect appears and how long it lasts.", required=False),
        "confidence": choice("How sure the evidence is.", CONFIDENCE),
        "evidence_in": choice("Whether the evidence comes from humans, animals or both.", EVIDENCE_IN),
        "leads_to": text(
            "Next step in the proposed chain of action (an entity of this table).",
            max_length=200,
            required=False,
            optional=True,
        ),
        "source_id": source_ref(),
        "more_source_ids": source_refs(),
    },
    order=20,
    key=("entity",),
    references=(Reference("leads_to", "neurotransmitters", "entity"),),
)

MECHANISM_CHART = OneChart(
    chart_choice(("the chain of action", "entity by entity")), ("mechanism-chain", "mechanism-matrix")
)
MECHANISMS = PageSpec(
    "mechanisms",
    "Mechanisms",
    ":material/neurology:",
    ("neurotransmitters", "sources"),
    (
        Search("q", ("entity", "normal_role", "ketamine_action", "time_course", "source_id")),
        facet(NEUROTRANSMITTERS, "type", "entity_type", "Entity type"),
        facet(NEUROTRANSMITTERS, "direction", "direction", "Direction"),
        facet(NEUROTRANSMITTERS, "confidence", "confidence", "Confidence"),
        facet(NEUROTRANSMITTERS, "evidence", "evidence_in", "Evidence in"),
        MECHANISM_CHART.choice,
    ),
    heading="Mechanisms: what ketamine acts on",
    required=("neurotransmitters",),
    order=20,
    view="mechanisms",
    table_page=TablePage(
        table="neurotransmitters",
        intro=(
            "Ketamine blocks NMDA glutamate receptors; how that lifts mood is not settled. The leading model runs "
            "from a block on inhibitory interneurons, through a brief glutamate surge and AMPA receptor activation, "
            "to BDNF and mTOR signalling and new synapses. Much of it rests on animal work: the *Evidence in* and "
            "*Confidence* columns say how sure each step is."
        ),
        noun="entities",
        columns=(
            *("entity", "entity_type", "direction", "confidence", "evidence_in", "ketamine_action", "time_course"),
            *("normal_role", "leads_to", "source", "source_url", "more_source_ids"),
        ),
        summary=(
            *("entity", "entity_type", "direction", "confidence", "evidence_in", "ketamine_action", "time_course"),
            "source_id",
        ),
        alt="Neurotransmitters, receptors and pathways ketamine acts on, with sources.",
        chart=MECHANISM_CHART,
    ),
)
