"""What one probe needs: the plan's monitoring rules, the calendar, the fetcher, the database and
the event emitter (built once per worker, shared by every probe it makes)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from minhbach.calendar import WorkingCalendar
from minhbach.clock import Clock
from minhbach.db.session import Sessions
from minhbach.db.unit_of_work import UnitOfWork
from minhbach.messaging.outbox import Emit
from minhbach.plan import Plan, PortalMonitoring
from portal_monitor.domain.classify import Classifier
from portal_monitor.fetcher import Fetcher
from portal_monitor.robots_cache import RobotsCache


@dataclass
class ProbeDeps:
    plan: Plan
    monitoring: PortalMonitoring
    classifier: Classifier
    calendar: WorkingCalendar
    fetcher: Fetcher
    robots: RobotsCache
    sessions: Sessions
    emit: Emit
    clock: Clock
    fetch_retry_seconds: float
    probe_attempts: int
    probe_retry_seconds: float
    check_tls: bool = True
    # Files fetched per probe to check the full text: 3 keeps a first sweep within 0.8x of the
    # pages/s of one without checks (make bench); a backlog clears over the next probes.
    attachment_checks_per_probe: int = 3

    @property
    def unit_of_work(self) -> UnitOfWork:
        """One transaction per use case, its events emitted inside it."""
        return UnitOfWork(self.sessions, self.emit)

    @classmethod
    def build(cls, plan: Plan, **kwargs: Any) -> ProbeDeps:
        monitoring = plan.portal_monitoring
        if monitoring is None:
            raise ValueError("the plan has no portal_monitoring block")
        calendar = plan.working_calendar()
        calendar.add_working_days(plan.meta.effective_from, 1)  # load holiday tables now, once
        return cls(
            plan=plan,
            monitoring=monitoring,
            classifier=Classifier.from_monitoring(monitoring),
            calendar=calendar,
            **kwargs,
        )
