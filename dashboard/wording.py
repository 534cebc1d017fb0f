"""The project's fixed wording, defined once for every output that shows it: the app's pages, the
printable summary and (later) the baked public pages all take their words from here."""

NOTICE = (
    "Educational summary of published evidence, not medical advice. Ketamine and esketamine are "
    "prescription medicines given under medical supervision; talk to a clinician about your own care."
)
"""The notice on every page and every printout."""
