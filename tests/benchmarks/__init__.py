"""`make bench`: each `bench_*.py` here measures one part against a baseline run alongside it."""
