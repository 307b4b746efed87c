"""The notifier's pure rules: the ladder (who is told what, when) and the events a sent notice
makes. No I/O."""
