"""`make bench`: each `bench_*.py` module here measures one service against a baseline run alongside."""
