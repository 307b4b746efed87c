"""What goes into the focal unit's documents and when a draft is due: pure functions over facts
taken from events (no I/O); `reporting.compose` turns them into documents."""
