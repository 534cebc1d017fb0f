"""`make bench`: protocol-level load and data-scale benchmarks that write docs/performance.md."""
