"""E-mailing reporting's drafts to the coordinator, the .docx attached.

`reporting.draft.ready` carries where the file is and its SHA-256, not the file. Each sending
round fetches the files of drafts still waiting from reporting's API (with the service token
both share), checks the hash, and records one notice per recipient, with the exact bytes to send,
in the transaction that marks the draft done. From there the notice goes the way every notice
goes (claim, send, 'sent'), so a crash or a redelivery sends no e-mail twice: the notice key is
derived from the draft and the recipient, and the notice item's key is unique.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

import httpx

from minhbach.calendar import TZ, format_vn_date
from minhbach.clock import Clock
from minhbach.db.unit_of_work import Outcome, Session, UnitOfWork
from minhbach.events.catalogue import DraftReady
from minhbach.observability.logging import get_logger
from minhbach.plan import Plan
from minhbach.settings import Settings
from notifier import messages
from notifier.compose import message_id_for, one_line, set_subject
from notifier.store import drafts as store

log = get_logger(__name__)

DRAFT_STAGE = "draft"
DOCX_TYPE = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")


class FetchFailed(Exception):
    pass


@dataclass
class DraftMailer:
    uow: UnitOfWork
    plan: Plan
    settings: Settings
    clock: Clock
    transport: httpx.AsyncBaseTransport | None = None  # tests may route elsewhere
    on_recorded: Callable[[int], None] = lambda count: None

    async def record_waiting(self, batch: int = 20) -> int:
        """Fetch waiting drafts' files and record their notices; return how many drafts."""

        async def waiting(session: Session) -> Outcome[Sequence[Any]]:
            return Outcome(await store.waiting_drafts(session, batch))

        rows = await self.uow.run(waiting)
        done = 0
        for row in rows:
            event = DraftReady.model_validate(row.event)
            try:
                docx = await self._fetch(event)
            except FetchFailed as exc:
                await self._failed(event, str(exc))
                continue
            await self._record(event, docx)
            done += 1
        if done:
            self.on_recorded(done)
        return done

    async def _fetch(self, event: DraftReady) -> bytes:
        token = self.settings.reporting_service_token
        if not token:
            raise FetchFailed("MINHBACH_REPORTING_SERVICE_TOKEN is not set")
        try:
            async with httpx.AsyncClient(
                base_url=self.settings.reporting_url, timeout=30, transport=self.transport
            ) as http:
                response = await http.get(
                    event.docx_path, headers={"Authorization": f"Bearer {token}"}
                )
        except httpx.HTTPError as exc:
            raise FetchFailed(f"reporting unreachable: {exc!r}") from exc
        if response.status_code != 200:
            raise FetchFailed(f"reporting answered {response.status_code}")
        if hashlib.sha256(response.content).hexdigest() != event.docx_sha256:
            raise FetchFailed("the file fetched is not the version announced (SHA-256 differs)")
        return response.content

    async def _failed(self, event: DraftReady, error: str) -> None:

        async def failed(session: Session) -> Outcome[None]:
            await store.draft_failed(session, event.draft_id, error)
            return Outcome(None)

        await self.uow.run(failed)
        log.warning(
            "draft not fetched; next round retries", draft_id=str(event.draft_id), error=error
        )

    async def _record(self, event: DraftReady, docx: bytes) -> None:
        now = self.clock.now()

        async def record(session: Session) -> Outcome[bool]:
            if not await store.mark_recorded(session, event.draft_id):
                return Outcome(False)  # another replica recorded it
            for recipient in event.recipients:
                if not self.plan.has_unit(recipient):
                    log.warning("draft recipient not in the plan", unit=recipient)
                    continue
                await self._record_notice(session, event, recipient, docx, now)
            return Outcome(True)

        if not await self.uow.run(record):
            return
        log.info(
            "draft mail recorded", draft_id=str(event.draft_id), recipients=list(event.recipients)
        )

    async def _record_notice(
        self, session: Session, event: DraftReady, recipient: str, docx: bytes, now: datetime
    ) -> None:
        key = hashlib.sha256(f"draft:{event.draft_id}:{recipient}".encode()).hexdigest()
        unit = self.plan.unit(recipient)
        message_id = message_id_for(key, self.settings.mail_from)
        subject, data = compose_draft_mail(
            event,
            unit.name,
            unit.email,
            docx,
            self.settings,
            message_id,
            now,
            chairman=self.plan.chairman.name,
        )
        await store.record_draft_notice(
            session,
            key=key,
            recipient=recipient,
            recipient_email=unit.email,
            stage=DRAFT_STAGE,
            round_id=f"draft-{event.draft_id.hex}",  # 38 characters: the column holds 40
            message_id=message_id,
            subject=subject,
            message=data,
            obligation_id=f"draft:{event.draft_id}",
            subject_unit=self.plan.roles.focal_unit,
            now=now,
        )


def compose_draft_mail(
    event: DraftReady,
    recipient_name: str,
    recipient_email: str,
    docx: bytes,
    settings: Settings,
    message_id: str,
    now: datetime,
    *,
    chairman: str,
) -> tuple[str, bytes]:
    """The e-mail: a Vietnamese text body and the draft as a .docx attachment."""
    subject = messages.draft_subject(str(event.kind), event.version_no, chairman)
    page = f"{settings.public_reporting_url}/bao-cao-tong-hop/du-thao/{event.draft_id}"
    drafted = event.drafted_at.astimezone(TZ)
    body = messages.DRAFT_BODY.format(
        name=one_line(recipient_name),
        title=one_line(event.title),
        version=event.version_no,
        drafted=f"{drafted:%H:%M} {format_vn_date(drafted.date())}",
        missing=messages.draft_missing(len(event.missing_units)),
        page=page,
    )
    msg = EmailMessage(policy=policy.SMTP)
    set_subject(msg, subject)
    msg["From"] = settings.mail_from
    msg["To"] = Address(display_name=one_line(recipient_name), addr_spec=recipient_email)
    msg["Date"] = format_datetime(now.astimezone(TZ))
    msg["Message-ID"] = message_id
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-Minhbach-Stage"] = DRAFT_STAGE
    msg["X-Minhbach-Draft"] = str(event.draft_id)
    msg.set_content(body, charset="utf-8", cte="8bit")
    msg.add_attachment(docx, *DOCX_TYPE, filename=event.docx_filename)
    return subject, msg.as_bytes()
