"""The reporting schema: projections of other services' facts, the drafts, the readers' tokens,
and the shared messaging tables.

Projections keep what a document needs and the event each row came from, so every figure of a
draft can be traced back to the event that carried it. Drafts are never changed: a new version
is a new row.
"""

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    false,
)

from minhbach.db.messaging_tables import JSON_TYPE, add_messaging_tables
from minhbach.tokens import token_table

SCHEMA = "reporting"
metadata = MetaData(schema=SCHEMA)
messaging = add_messaging_tables(metadata)

_CODE = 100

reader_tokens = token_table("reader_tokens", metadata)

# The newest version of each report (intake.report.submitted).
reports = Table(
    "reports",
    metadata,
    Column("report_id", Uuid, primary_key=True),
    Column("version_no", Integer, nullable=False),
    Column("event_id", Uuid, nullable=False),
    Column("unit_code", String(_CODE), nullable=False),
    Column("plan_year", Integer, nullable=False),
    Column("period", String(8), nullable=False),
    Column("reporter", String(32), nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("first_submitted_at", DateTime(timezone=True), nullable=False),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("tasks", JSON_TYPE, nullable=False),  # [TaskReport as JSON]
    Column("analysis", Text, nullable=False),
    Index("ix_reporting_reports_period", "plan_year", "period", "reporter"),
)

# The newest announced figure of each indicator (scoring.indicator.changed).
figures = Table(
    "figures",
    metadata,
    Column("indicator", Integer, primary_key=True),
    Column("readiness", Float, nullable=False),
    Column("signals", JSON_TYPE, nullable=False),
    Column("computed_at", DateTime(timezone=True), nullable=False),
    Column("event_id", Uuid, nullable=False),
    Column("event_at", DateTime(timezone=True), nullable=False),  # orders equal computed_at
)

# Every announced figure (scoring.indicator.changed): a draft compares the readiness with the
# previous period's and the same time last year's.
figure_history = Table(
    "figure_history",
    metadata,
    Column("event_id", Uuid, primary_key=True),
    Column("indicator", Integer, nullable=False),
    Column("readiness", Float, nullable=False),
    Column("signals", JSON_TYPE, nullable=False),
    Column("computed_at", DateTime(timezone=True), nullable=False),
    Column("event_at", DateTime(timezone=True), nullable=False),
    Index("ix_reporting_figure_history_at", "indicator", "computed_at"),
)

# The newest probe of each portal in each inspection round (portal.probe.finished).
probes = Table(
    "probes",
    metadata,
    Column("portal_unit_code", String(_CODE), primary_key=True),
    Column("round_key", String(16), primary_key=True),
    Column("probe_id", Uuid, nullable=False),
    Column("event_id", Uuid, nullable=False),
    Column("portal_url", Text, nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=False),
    Column("outcome", String(32), nullable=False),
    Column("checks", JSON_TYPE, nullable=False),
    Index("ix_reporting_probes_round", "round_key"),
)

# Documents found on portals (portal.document.found / changed), newest listing of each posting:
# a district document and the communes' copies share a document id, each portal its own row.
documents = Table(
    "documents",
    metadata,
    Column("document_id", Uuid, primary_key=True),
    Column("event_id", Uuid, nullable=False),
    Column("event_at", DateTime(timezone=True), nullable=False),
    Column("portal_unit_code", String(_CODE), primary_key=True),
    Column("url", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("section", String(_CODE), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("document_number", Text),
    Column("issued_on", Date),
    Column("first_seen_at", DateTime(timezone=True), nullable=False),
    Column("full_text_available", Boolean, nullable=False),
    # "No full text" established (no file linked, or checked and not there); false: there or
    # not known yet (unchecked, unreachable, rows stored before 0004): never accused.
    Column("no_full_text", Boolean, nullable=False, server_default=false()),
    Column("posted_on_time", Boolean),
    Column("not_directive", Boolean),
    Index("ix_reporting_documents_seen", "first_seen_at"),
)

# A person's correction of a document's kind made on this page (issue 19): who and when. The
# kind itself is portal-monitor's (it re-reads the document and publishes the change); this is
# the page's record of what was asked, shown until the corrected kind arrives and after.
kind_corrections = Table(
    "kind_corrections",
    metadata,
    Column("document_id", Uuid, primary_key=True),
    Column("kind", String(64), nullable=False),
    Column("previous_kind", String(64), nullable=False),
    Column("corrected_by", String(_CODE), nullable=False),  # the reader's unit code
    Column("corrected_at", DateTime(timezone=True), nullable=False),
    Column("note", Text),
)

# Every drafted version: what it was built from (`sources`: event ids), when, and the files.
drafts = Table(
    "drafts",
    metadata,
    Column("draft_id", Uuid, primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("period_key", String(80), nullable=False),
    Column("version_no", Integer, nullable=False),
    Column("trigger", String(32), nullable=False),
    Column("title", Text, nullable=False),
    Column("drafted_at", DateTime(timezone=True), nullable=False),  # the service clock
    Column("fingerprint", String(64), nullable=False),  # of the sources that decide a redraft
    Column("sources", JSON_TYPE, nullable=False),
    Column("missing_units", JSON_TYPE, nullable=False),
    Column("docx", LargeBinary, nullable=False),
    Column("docx_sha256", String(64), nullable=False),
    Column("pdf", LargeBinary),  # None: LibreOffice missing or the conversion failed
    Column("html", Text, nullable=False),
    Column("xlsx", LargeBinary),  # the appendix's tables; None: drafted before 0005
    UniqueConstraint("kind", "period_key", "version_no", name="uq_drafts_version"),
)
