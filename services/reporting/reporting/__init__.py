"""Reporting: drafts the focal unit's documents (the consolidated report to the chairman, the
notice after each portal inspection round) from events, and serves the coordinator's page."""
