"""Fixed wording shared by the pages and the printable summary."""

NOTICE = (
    "Educational summary of published evidence, not medical advice. Ketamine and esketamine are "
    "prescription medicines given under medical supervision; talk to a clinician about your own care."
)
