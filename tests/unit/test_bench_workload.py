"""`make bench` is not part of `make test`: these checks keep its workload in step with the pages."""

from __future__ import annotations

from urllib.parse import parse_qsl

from bench.workload import QUERIES
from dashboard.pagespecs import PAGES


def test_every_page_has_a_workload_of_its_own_filters() -> None:
    assert set(QUERIES) == {spec.path for spec in PAGES}
    for spec in PAGES:
        keys = {param.key for param in spec.params}
        used = {key for query in QUERIES[spec.path] for key, _ in parse_qsl(query)}
        assert used <= keys, spec.path
        assert len(QUERIES[spec.path]) == 6, spec.path  # a first render and five filter changes
