"""``python -m dashboard.ui.serve [STREAMLIT OPTIONS]``: ``streamlit run app.py`` with the public site's
baker already running.

Streamlit runs the app's script only when a visitor's session starts, and has no start-up hook. Run
plainly, a replica would bake the public pages (and re-bake them after a data swap) only once someone
had opened the app on it, while the landing page at ``/`` is what most visitors see first. This starts
the baker (``resources.site_baker``, when ``DASHBOARD_SITE_DIR`` is set) in the server's own process
before the server, in the same process-wide resource cache the sessions use, so they find it running
and no second one starts. The container image runs the app this way."""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.web import cli

from dashboard.ui import resources

APP = Path(__file__).resolve().parents[2] / "app.py"


def main(argv: list[str]) -> None:
    resources.site_baker()
    sys.argv = ["streamlit", "run", str(APP), *argv]
    cli.main()


if __name__ == "__main__":
    main(sys.argv[1:])
