"""Cross-service tests: several services together on the session's real servers. They use the
fixtures of the services' own test folders, shared here."""

from tests.notifier.conftest import smtp_server
from tests.reporting.conftest import private_nats
from tests.scoring.conftest import published, scoring_url

__all__ = ["private_nats", "published", "scoring_url", "smtp_server"]
