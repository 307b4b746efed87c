"""A copy duty covers only the source portal's own documents (issue 19): a national text the
district portal re-posts (its number's symbol names a body that is no local government's, as
the plan's `issuers` say) owes no copy on the communes' portals; the district's own still do."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from minhbach.events.catalogue import DocumentFound, PortalDocument
from minhbach.plan import default_plan_path, load_plan
from minhbach.plan.portal import symbol_parts
from scoring.domain.facts import document_fact
from scoring.domain.obligations import ObligationRules

PLAN = load_plan(default_plan_path())


def test_symbol_parts_and_reposted_texts_follow_the_plans_issuers() -> None:
    assert symbol_parts("42/2022/NĐ-CP") == ("nđ", "cp")
    assert symbol_parts("143/2025/QH15") == ("qh",)
    assert symbol_parts("1310/UBND-KT") == ("ubnd", "kt")
    assert symbol_parts(None) == () and symbol_parts("Kế hoạch") == ()
    monitoring = PLAN.portal_monitoring
    assert monitoring is not None
    for national in ("42/2022/NĐ-CP", "18/2025/QĐ-TTg", "143/2025/QH15", "56/2024/TT-BTC"):
        assert monitoring.reposted_text(national), national
    for own in ("15/KH-UBND", "1310/UBND-KT", "14/2024/NQ-HĐND", "07/CT-UBND", None, "9/XYZ"):
        assert not monitoring.reposted_text(own), own


def _doc(number: str | None) -> PortalDocument:
    return PortalDocument(
        document_id=uuid.uuid4(),
        portal_unit_code="ubnd-huyen",
        url=f"http://127.0.0.1/ubnd-huyen/{uuid.uuid4().hex}",
        title="Văn bản về cung cấp thông tin trên môi trường mạng",
        section="legal_documents",
        kind="legal_normative",
        document_number=number,
        issued_on=date(2024, 6, 3),
        first_seen_at=datetime(2024, 6, 4, tzinfo=UTC),
    )


def _copies(number: str | None) -> int:
    rules = ObligationRules(PLAN).postings
    doc = document_fact(DocumentFound(document=_doc(number), occurred_at=datetime.now(UTC)))
    return sum(1 for o in rules.document_obligations(doc) if o.obligation_id.startswith("copy:"))


def test_a_national_decree_the_district_reposts_owes_no_copies_its_own_text_does() -> None:
    assert _copies("14/2024/QĐ-UBND") == 25  # 23 communes and 2 towns
    assert _copies("42/2022/NĐ-CP") == 0
    assert _copies("18/2025/QĐ-TTg") == 0
