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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

import httpx
from sqlalchemy import insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from minhbach.calendar import TZ, format_vn_date
from minhbach.clock import Clock
from minhbach.db.session import transaction
from minhbach.events.catalogue import DraftReady
from minhbach.observability.logging import get_logger
from minhbach.plan import Plan
from minhbach.settings import Settings
from notifier import messages
from notifier.compose import message_id_for, one_line, set_subject
from notifier.db import draft_mails, notice_items, notices

log = get_logger(__name__)

DRAFT_STAGE = "draft"
DOCX_TYPE = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")


async def apply_draft(session: AsyncSession, event: DraftReady) -> None:
    """Remember the draft until its file is fetched (a repeated event changes nothing)."""
    await session.execute(
        pg_insert(draft_mails)
        .values(draft_id=event.draft_id, event=event.model_dump(mode="json"))
        .on_conflict_do_nothing()
    )


class FetchFailed(Exception):
    pass


@dataclass
class DraftMailer:
    sessions: async_sessionmaker[AsyncSession]
    plan: Plan
    settings: Settings
    clock: Clock
    transport: httpx.AsyncBaseTransport | None = None  # tests may route elsewhere
    on_recorded: Callable[[int], None] = lambda count: None

    async def record_waiting(self, batch: int = 20) -> int:
        """Fetch waiting drafts' files and record their notices; return how many drafts."""
        async with self.sessions() as session:
            rows = (
                await session.execute(
                    select(draft_mails.c.draft_id, draft_mails.c.event)
                    .where(draft_mails.c.state == "waiting")
                    .order_by(draft_mails.c.received_at)
                    .limit(batch)
                )
            ).all()
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
        async with transaction(self.sessions) as session:
            await session.execute(
                update(draft_mails)
                .where(draft_mails.c.draft_id == event.draft_id)
                .values(attempts=draft_mails.c.attempts + 1, last_error=error[:2000])
            )
        log.warning(
            "draft not fetched; next round retries", draft_id=str(event.draft_id), error=error
        )

    async def _record(self, event: DraftReady, docx: bytes) -> None:
        now = self.clock.now()
        async with transaction(self.sessions) as session:
            marked = await session.execute(
                update(draft_mails)
                .where(draft_mails.c.draft_id == event.draft_id, draft_mails.c.state == "waiting")
                .values(state="recorded", last_error=None)
                .returning(draft_mails.c.draft_id)
            )
            if marked.first() is None:
                return  # another replica recorded it
            for recipient in event.recipients:
                if not self.plan.has_unit(recipient):
                    log.warning("draft recipient not in the plan", unit=recipient)
                    continue
                await self._record_notice(session, event, recipient, docx, now)
        log.info(
            "draft mail recorded", draft_id=str(event.draft_id), recipients=list(event.recipients)
        )

    async def _record_notice(
        self, session: AsyncSession, event: DraftReady, recipient: str, docx: bytes, now: datetime
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
        await session.execute(
            insert(notices).values(
                notice_key=key,
                recipient_unit=recipient,
                recipient_email=unit.email,
                stage=DRAFT_STAGE,
                round_id=f"draft-{event.draft_id.hex}",  # 38 characters: the column holds 40
                message_id=message_id,
                subject=subject,
                message=data,
                state="pending",
                decided_at=now,
            )
        )
        await session.execute(
            insert(notice_items).values(
                recipient_unit=recipient,
                obligation_id=f"draft:{event.draft_id}",
                stage=DRAFT_STAGE,
                repeat_no=0,
                generation="",
                subject_unit=self.plan.roles.focal_unit,
                notice_key=key,
            )
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
