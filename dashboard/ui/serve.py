"""``python -m dashboard.ui.serve [STREAMLIT OPTIONS]``: ``streamlit run app.py``, with the data read and
the pages prepared before the first visitor, and the public site's baker already running.

Streamlit runs the app's script only when a visitor's session starts, and has no start-up hook. Run
plainly, the first visitor after a start waits for everything a server does once: importing the page
modules (statsmodels alone takes about a second), reading and checking every table, and preparing each
page's data (several seconds on a million-row table). This does that work in the server's own process
before the server listens (so its health check answers only once it is ready), in the same process-wide
resource cache the sessions use: the first visitor's page is then built like anyone else's.

It also starts the baker (``resources.site_baker``, when ``DASHBOARD_SITE_DIR`` is set), which re-bakes
the public pages after a data swap; run plainly, a replica would bake them only once someone had opened
the app on it, while the landing page at ``/`` is what most visitors see first. ``make run`` and the
container image run the app this way."""

from __future__ import annotations

import gc
import logging
import sys
import time
from pathlib import Path

from streamlit.web import cli

from dashboard.pagespecs import PAGES
from dashboard.ui import main as app_main
from dashboard.ui import resources

APP = Path(__file__).resolve().parents[2] / "app.py"
log = logging.getLogger("dashboard")


def freeze_code() -> None:
    """Import every page's view module, then move everything the imports made (modules, classes,
    functions: several hundred thousand objects) out of the cyclic collector's reach. A full
    collection walked them all, 80-110 ms with every session waiting, in the middle of a visitor's
    run; after this it takes 2-17 ms. The tables are read after it, so a version swapped out is still
    collected like any other garbage."""
    for spec in PAGES:
        spec.views()
    gc.collect()
    gc.freeze()


def main(argv: list[str]) -> None:
    app_main.configure_logging()
    started = time.perf_counter()
    keeper = resources.housekeeper()
    freeze_code()
    resources.warm(PAGES)
    keeper.tidy()  # what reading and checking the tables freed goes back now, not up to 30 s later
    log.info("tables read and pages prepared in %.1f s", time.perf_counter() - started)
    resources.site_baker()
    sys.argv = ["streamlit", "run", str(APP), *argv]
    cli.main()


if __name__ == "__main__":
    main(sys.argv[1:])
