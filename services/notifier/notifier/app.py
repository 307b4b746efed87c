"""The notifier service: reminders, overdue notices and escalations by e-mail."""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Query

from minhbach.app import service_app
from minhbach.db.unit_of_work import UnitOfWork
from minhbach.events.catalogue import DraftReady, ObligationChanged, ProbeFinished
from minhbach.messaging.retention import delete_in_batches
from minhbach.runtime import Runtime
from minhbach.services import service
from notifier import operations
from notifier import service as use_cases
from notifier.db import NoticeState, messaging, notices
from notifier.drafts import DraftMailer
from notifier.hooks import DeliveryHooks
from notifier.service import Notifier
from notifier.store import deliveries

SPEC = service("notifier")


def build_notifier(runtime: Runtime, hooks: DeliveryHooks | None = None) -> Notifier:
    return Notifier(
        sessions=runtime.sessions,
        emit=runtime.emit,
        plan=runtime.plan,
        settings=runtime.settings,
        clock=runtime.clock,
        hooks=hooks or DeliveryHooks(),
        drafts=DraftMailer(
            UnitOfWork(runtime.sessions, runtime.emit),
            runtime.plan,
            runtime.settings,
            runtime.clock,
        ),
    )


def setup(runtime: Runtime, app: FastAPI) -> None:
    """Subscribers (obligations, portal probes), the sending-round loop and read-only routes."""
    notifier = build_notifier(runtime)
    app.state.notifier = notifier

    uow = notifier.uow
    subscribe = runtime.consumer.subscribe
    subscribe(runtime.broker, ObligationChanged, uow.applying(use_cases.apply_obligation))
    # Consecutive unreachable probes are counted: their order matters.
    subscribe(runtime.broker, ProbeFinished, uow.applying(use_cases.apply_probe), ordered=True)
    subscribe(runtime.broker, DraftReady, uow.applying(use_cases.apply_draft))

    async def sending_rounds(runtime: Runtime) -> None:
        await notifier.run_forever()

    runtime.background.append(sending_rounds)
    runtime.purges["notices"] = partial(
        delete_in_batches,
        runtime.sessions,
        notices,
        deliveries.expired_notices(timedelta(days=runtime.settings.notifier_notice_retention_days)),
        "notice_key",
    )  # their items go with them (ON DELETE CASCADE)
    app.include_router(_routes(runtime))


def _routes(runtime: Runtime) -> APIRouter:
    router = APIRouter(prefix="/notices", tags=["notices"])
    uow = UnitOfWork(runtime.sessions, runtime.emit)

    @router.get("")
    async def notices(
        state: NoticeState | None = None, limit: Annotated[int, Query(ge=1, le=1000)] = 100
    ) -> list[dict[str, Any]]:
        """Recent notices (newest first), e.g. `?state=dead` for the ones given up on."""
        return await operations.list_notices(uow, [state] if state else [], limit)

    return router


create_app = service_app(SPEC, messaging, setup)
