"""A plan year under faults (issue 20): the whole system runs one scenario twice on a fast
clock, once calm and once with a chaos driver killing services, NATS and PostgreSQL and making
the SMTP server misbehave; invariants compare the two ends. `make chaos` runs the year;
`tests/system/test_chaos.py` a short span within `make test`. Decision record 0019."""
