"""Plain-language meanings of the terms the pages use (developer-written text, no figures)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    term: str
    anchor: str
    meaning: str
    sources: tuple[str, ...] = ()
    """Source ids of sources.csv where a term's figures were read (most terms have none)."""


TERMS: tuple[Term, ...] = (
    Term(
        "AMPA receptor",
        "ampa",
        "A doorway on nerve cells that opens when glutamate arrives and carries fast signals. In the leading "
        "theory, ketamine's effect runs through more AMPA activity.",
    ),
    Term(
        "Arketamine, esketamine, racemic ketamine",
        "forms",
        "Ketamine comes in two mirror-image forms. Esketamine (the S form, sold as Spravato nasal spray) is one; "
        "arketamine (the R form) is the other. Racemic ketamine is the usual half-and-half mix, given by "
        "infusion.",
    ),
    Term(
        "BDNF (brain-derived neurotrophic factor)",
        "bdnf",
        "A protein that helps nerve cells survive, grow and form new connections.",
    ),
    Term(
        "Comparator and placebo",
        "comparator",
        "What a drug is tested against in a trial. A placebo looks like the drug but has no active ingredient, "
        "so side effects that are as common on placebo are probably not caused by the drug.",
    ),
    Term(
        "Confidence interval (95% CI)",
        "ci",
        "The range of values that fit the data reasonably well. A 95% interval is wide when a study is small "
        "or its results vary. If the interval for a difference includes zero, the study cannot tell the drug "
        "apart from its comparator.",
    ),
    Term(
        "Dendritic spines and synapses",
        "synapses",
        "A synapse is the contact point where two nerve cells pass a signal. Spines are tiny bumps on nerve-cell "
        "branches that hold most of these contacts.",
    ),
    Term(
        "Dissociation",
        "dissociation",
        "A passing feeling of being detached from one's body, surroundings or sense of time. It is common during "
        "and shortly after a dose and usually settles within a couple of hours.",
    ),
    Term("Dopamine", "dopamine", "A chemical messenger involved in motivation, reward and movement."),
    Term(
        "Dysgeusia, hypoesthesia, pollakiuria",
        "symptoms",
        "Medical words for a changed sense of taste, reduced feeling or numbness, and needing to pass urine "
        "more often.",
    ),
    Term(
        "GABA interneurons",
        "gaba",
        "Nerve cells that release GABA, the brain's main calming (inhibitory) messenger, and keep other cells in "
        "check.",
    ),
    Term("Glutamate", "glutamate", "The brain's main activating (excitatory) chemical messenger."),
    Term(
        "Meaningful change on the MADRS",
        "meaningful-change",
        "How big a change on the MADRS depression scale (0 to 60 points) matters is itself estimated, and the "
        "estimates differ. A statistical estimate from people on placebo put the smallest noticeable change at "
        "1.6 to 1.9 points. A review put the most likely values at 3 to 6 points. In the esketamine trials, a fall "
        "of 10 points in one person matched what patients felt as real improvement. The first two are about "
        "differences between groups; the last is about one person's change.",
        ("DUR08", "HENG21", "MCT20"),
    ),
    Term(
        "Metabolite",
        "metabolite",
        "What the body turns a drug into as it breaks it down; norketamine and hydroxynorketamine come from ketamine.",
    ),
    Term(
        "mTOR (mTORC1)",
        "mtor",
        "A switch inside cells that turns on the making of proteins, including those needed to build new synapses.",
    ),
    Term(
        "NMDA receptor",
        "nmda",
        "A doorway on nerve cells that opens when glutamate arrives and matters for learning and memory. "
        "Ketamine blocks it; how that block lifts mood is still debated.",
    ),
    Term(
        "NNT and NNH (number needed to treat or to harm)",
        "nnt-nnh",
        "How many people need the drug instead of the comparator for one more of them to benefit (NNT) or to "
        "have a given harm (NNH). Smaller means a bigger effect. Both come from the difference between the two "
        "groups' rates, so they share its uncertainty.",
    ),
    Term(
        "Off-label",
        "off-label",
        "Using an approved medicine for a purpose its official label does not list. IV ketamine for depression "
        "is off-label.",
    ),
    Term(
        "Open-label",
        "open-label",
        "A trial in which patients and their doctors know which treatment each person gets. Expectations can "
        "then colour the results, especially scores that patients or clinicians rate.",
    ),
    Term(
        "Opioid receptors",
        "opioid",
        "The targets of the body's own painkilling chemicals and of opioid drugs such as morphine.",
    ),
    Term(
        "Post hoc analysis",
        "post-hoc",
        "An analysis chosen after a trial's data were collected, not planned at the start. It can suggest "
        "ideas but is weaker evidence, because the choice of what to look at may follow the data.",
    ),
    Term(
        "REMS",
        "rems",
        "Risk Evaluation and Mitigation Strategy: a US safety programme that limits where and how a drug may "
        "be given. Esketamine may only be given in certified settings that watch the patient afterwards.",
    ),
    Term(
        "Response, remission and relapse",
        "response",
        "Ways trials count who got better. Response usually means the depression score fell by at least half. "
        "Remission means the score fell below a low cut-off, so few symptoms remain; each trial sets its own "
        "cut-off. Relapse means symptoms came back after a response or remission.",
    ),
    Term("Sedation", "sedation", "Drowsiness or reduced alertness caused by a drug."),
    Term("Serotonin", "serotonin", "A chemical messenger involved in mood, sleep and appetite."),
    Term(
        "Standardised mean difference (SMD)",
        "smd",
        "The difference between two groups' average scores divided by how much the scores vary, so that "
        "studies using different rating scales can be pooled. Hedges' g is one kind. It is not in points of any "
        "scale, so it is never drawn beside score changes.",
    ),
    Term(
        "Treatment-resistant depression (TRD)",
        "trd",
        "Depression that has not improved enough after adequate courses of standard antidepressants.",
    ),
)
