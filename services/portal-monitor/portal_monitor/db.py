"""The portal-monitor schema: its tables and the shared messaging tables."""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
    false,
)

from minhbach.db.messaging_tables import JSON_TYPE, add_messaging_tables

SCHEMA = "portal_monitor"
metadata = MetaData(schema=SCHEMA)
messaging = add_messaging_tables(metadata)

TS = DateTime(timezone=True)

# One row per monitored portal: its schedule (computed from this row and the clock, never from a
# process staying up), its lease while a replica probes it, and what the home page last showed.
portal_state = Table(
    "portal_state",
    metadata,
    Column("unit_code", String(64), primary_key=True),
    Column("portal_url", Text, nullable=False),
    Column("next_probe_at", TS, nullable=False),
    Column("leased_until", TS),
    Column("failed_attempts", Integer, nullable=False, default=0),
    Column("last_probe_at", TS),
    Column("last_outcome", String(20)),
    Column("home_links", JSON_TYPE),
    Column("latency_ms", Float),
    Column("monitoring_since", TS),  # the first probe: documents issued before have unknown timing
    Index("ix_portal_state_due", "next_probe_at"),
)

# ETag / Last-Modified of pages fetched conditionally (home pages, first pages of sections).
http_validators = Table(
    "http_validators",
    metadata,
    Column("url", Text, primary_key=True),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("updated_at", TS, nullable=False),
)

# What each section showed at the last full read; reused when its first page answers 304.
section_state = Table(
    "section_state",
    metadata,
    Column("unit_code", String(64), primary_key=True),
    Column("section", String(64), primary_key=True),
    Column("status", String(20), nullable=False),
    Column("item_count", Integer, nullable=False, default=0),
    Column("newest_on", Date),
    Column("http_status", Integer),
    Column("links", JSON_TYPE),
    Column("directive_items", JSON_TYPE),
    Column("page_problems", JSON_TYPE),
    Column("updated_at", TS, nullable=False),
)

# One row per document, deduplicated across pages and portals (canonical URL, else number+date).
documents = Table(
    "documents",
    metadata,
    Column("document_id", Uuid, primary_key=True),
    Column("canonical_url", Text, nullable=False, unique=True),
    Column("fingerprint", Text),
    Column("url", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("section", String(64), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("matched_rule", String(64)),
    Column("document_type", String(64)),
    Column("document_type_rule", String(80)),
    Column("legal_normative", Boolean),
    Column("document_number", String(80)),
    Column("issued_on", Date),
    Column("issuer", Text),
    Column("summary", Text),
    Column("attachment_url", Text),
    # its own page is not read yet (the probe's budget ran out, or it did not answer)
    Column("detail_pending", Boolean, nullable=False, server_default=false()),
    Column("first_seen_at", TS, nullable=False),
    Column("first_unit_code", String(64), nullable=False),
    Column("updated_at", TS, nullable=False),
    Index("ix_documents_fingerprint", "fingerprint"),
)

# A person's correction of a document's kind (issue 19), by canonical URL: applied to every
# probe's reading of it (kept across re-probes) and exportable as labelled examples.
kind_corrections = Table(
    "kind_corrections",
    metadata,
    Column("canonical_url", Text, primary_key=True),
    Column("kind", String(40), nullable=False),
    Column("previous_kind", String(40)),
    Column("previous_rule", String(64)),
    Column("corrected_by", Text, nullable=False),
    Column("note", Text),
    Column("corrected_at", TS, nullable=False),
)

# Where each document is posted: one row per (document, portal, section), first seen when.
postings = Table(
    "postings",
    metadata,
    Column(
        "document_id",
        Uuid,
        ForeignKey(f"{SCHEMA}.documents.document_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("unit_code", String(64), primary_key=True),
    Column("section", String(64), primary_key=True),
    Column("url", Text, nullable=False),
    Column("first_seen_at", TS, nullable=False),
    Column("publication_due_at", TS),
    Column("posted_on_time", Boolean),
    Column("not_directive", Boolean),
    Column("attachment_url", Text),  # this portal's own file (a copy has its own)
    Column("posting_time_known", Boolean, nullable=False, server_default="true"),
    Index("ix_postings_unit", "unit_code"),
    Index("ix_postings_attachment", "attachment_url"),
    Index("ix_postings_url", "url"),
)

# Each attachment URL fetched once (bounded) to check the full text is really there.
attachments = Table(
    "attachments",
    metadata,
    Column("url", Text, primary_key=True),
    Column("status", String(20), nullable=False),
    Column("http_status", Integer),
    Column("content_type", Text),
    Column("size_bytes", BigInteger),
    Column("sha256", String(64)),
    Column("checked_at", TS, nullable=False),
)

# Every finished probe with its checks (the evidence behind `portal.probe.finished`).
probes = Table(
    "probes",
    metadata,
    Column("probe_id", Uuid, primary_key=True),
    Column("unit_code", String(64), nullable=False),
    Column("started_at", TS, nullable=False),
    Column("finished_at", TS, nullable=False),
    Column("outcome", String(20), nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("latency_ms", Float),
    Column("tls_days_left", Integer),
    Column("checks", JSON_TYPE, nullable=False),
    Column("pages_fetched", Integer, nullable=False, default=0),
    Column("pages_not_modified", Integer, nullable=False, default=0),
    Index("ix_probes_unit_finished", "unit_code", "finished_at"),
)
