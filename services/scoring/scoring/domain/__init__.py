"""Scoring's pure rules: what it keeps of each event (`facts`), what is owed (`obligations`),
how ready each indicator is (`readiness`), what a rebuild derives (`derive`), each unit's record
(`records`) and which change announces an event (`changes`, which builds them). No I/O: the
service reads and writes through `scoring.store` and asks these what to write and to announce."""
