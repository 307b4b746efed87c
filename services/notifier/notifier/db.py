"""The notifier schema: what it knows (obligations, portals, silences), what it decided to send
(notices and their items) and the shared messaging tables."""

from typing import Literal, get_args

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
    func,
    text,
)

from minhbach.db.messaging_tables import JSON_TYPE, add_messaging_tables

SCHEMA = "notifier"
metadata = MetaData(schema=SCHEMA)
messaging = add_messaging_tables(metadata)

# Notice states: pending -> sending -> sent; or -> dead after the last attempt; 'uncertain' when a
# crash left it 'sending' and the policy is "hold"; 'cancelled' when every obligation it names was
# fulfilled before it left. See docs/decisions (notifier exactly-once).
NoticeState = Literal["pending", "sending", "sent", "dead", "uncertain", "cancelled"]
NOTICE_STATES: tuple[str, ...] = get_args(NoticeState)

obligations = Table(
    "obligations",
    metadata,
    Column("obligation_id", String(200), primary_key=True),
    Column("unit_code", String(64), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("title", Text, nullable=False),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("task_code", String(20)),
    Column("period", String(20)),
    Column("document_url", Text),
    Column("fulfilled_at", DateTime(timezone=True)),
    Column("status", String(30), nullable=False),
    Column("event_at", DateTime(timezone=True), nullable=False),  # newest event applied
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("ix_obligations_open", "due_at", postgresql_where=text("fulfilled_at IS NULL")),
)

portals = Table(
    "portals",
    metadata,
    Column("unit_code", String(64), primary_key=True),
    Column("portal_url", Text, nullable=False),
    Column("last_probe_at", DateTime(timezone=True), nullable=False),
    Column("outcome", String(20), nullable=False),
    Column("unreachable_since", DateTime(timezone=True)),
    Column("unreachable_probes", Integer, nullable=False, server_default=text("0")),
)

silences = Table(
    "silences",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("unit_code", String(64)),
    Column("obligation_id", String(200)),
    Column("until", DateTime(timezone=True), nullable=False),
    Column("reason", Text, nullable=False),
    Column("created_by", String(100), nullable=False, server_default=""),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("removed_at", DateTime(timezone=True)),
    CheckConstraint(
        "(unit_code IS NULL) <> (obligation_id IS NULL)", name="ck_silences_one_target"
    ),
)

notices = Table(
    "notices",
    metadata,
    Column("notice_key", String(64), primary_key=True),
    Column("recipient_unit", String(64), nullable=False),
    Column("recipient_email", String(320), nullable=False),
    Column("stage", String(40), nullable=False),
    Column("round_id", String(40), nullable=False),
    Column("message_id", String(200), nullable=False),
    Column("subject", Text, nullable=False),
    Column("message", LargeBinary, nullable=False),  # the exact bytes sent (and re-sent)
    Column("state", String(20), nullable=False, server_default="pending"),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("claimed_at", DateTime(timezone=True)),  # database time, for the sending lease
    Column("last_error", Text),
    Column("decided_at", DateTime(timezone=True), nullable=False),  # the service clock
    Column("sent_at", DateTime(timezone=True)),  # the service clock
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    CheckConstraint(
        "state IN (" + ", ".join(f"'{s}'" for s in NOTICE_STATES) + ")",
        name="ck_notices_state",
    ),
    Index(
        "ix_notices_queue",
        "next_attempt_at",
        postgresql_where=text("state IN ('pending', 'sending')"),
    ),
    Index("ix_notices_recipient", "recipient_unit", "created_at"),
)

notice_items = Table(
    "notice_items",
    metadata,
    Column("recipient_unit", String(64), primary_key=True),
    Column("obligation_id", String(200), primary_key=True),
    Column("stage", String(40), primary_key=True),
    Column("repeat_no", Integer, primary_key=True),
    Column("generation", String(64), primary_key=True),
    Column("subject_unit", String(64), nullable=False),
    Column(
        "notice_key",
        String(64),
        ForeignKey(notices.c.notice_key, ondelete="CASCADE"),
        nullable=False,
    ),
    Index("ix_notice_items_notice", "notice_key"),
    Index("ix_notice_items_obligation", "obligation_id"),
)

# Drafts announced by reporting (`reporting.draft.ready`): 'waiting' until the .docx was fetched
# and one notice per recipient recorded ('recorded'); the notices then go like any other.
draft_mails = Table(
    "draft_mails",
    metadata,
    Column("draft_id", Uuid, primary_key=True),
    Column("event", JSON_TYPE, nullable=False),
    Column("state", String(20), nullable=False, server_default="waiting"),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("last_error", Text),
    Column("received_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("ix_draft_mails_waiting", "received_at", postgresql_where=text("state = 'waiting'")),
)
