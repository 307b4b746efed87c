"""The plan's `drafting` section: how the focal unit's documents are headed, signed and sent.

Decree 30/2020/NĐ-CP (Phụ lục I) lays out an administrative document: the issuing body under its
superior body, "Số: .../<symbol>", the place and date line, the title and summary line, the body,
"Nơi nhận:" and the signature block. Everything that names the government, issuer, signer, symbols
and recipients is data here, so another plan's file drafts its own documents.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from minhbach.plan.types import Code, Frozen, TaskCode, Text

# The part of a document number after the slash, e.g. "BC-VHTT" in "Số: 12/BC-VHTT".
_Symbol = Annotated[str, StringConstraints(pattern=r"^[A-ZĐ0-9&]+(-[A-ZĐ0-9&]+)*$", max_length=40)]


class DraftSigner(Frozen):
    """The signature block: "KT. CHỦ TỊCH" over "PHÓ CHỦ TỊCH" over the name."""

    authority: Text | None = None  # "KT. CHỦ TỊCH", "TL. ..." (absent when the head signs)
    title: Text  # "TRƯỞNG PHÒNG", "PHÓ CHỦ TỊCH"
    name: Text | None = None  # left blank for the signer to write in


class DraftedDocument(Frozen):
    """One kind of document: its symbol, title, recipients, signer and who issues it (default
    the focal unit under the plan's header; `issuer` another unit, e.g. the portal's editorial
    board at the province's office, with its own header lines)."""

    symbol: _Symbol
    title: Text  # "BÁO CÁO", "THÔNG BÁO"
    recipients: tuple[Text, ...] = Field(min_length=1)  # the "Nơi nhận:" list, as written
    signer: DraftSigner
    issuer: Code | None = None  # a unit; None: the focal unit
    superior_body: Text | None = None  # header lines of this document (default: the plan's)
    issuing_body: Text | None = None


class InspectionNoticeDocument(DraftedDocument):
    """The notice after an inspection round, naming the plan's inspection task."""

    task: TaskCode  # the plan's task of inspecting the portals ("6.4" in the seed)


class Drafting(Frozen):
    """What the focal unit's drafted documents say about who issues them, and who reads them."""

    superior_body: Text  # upper line of the header: the government the focal unit is under
    issuing_body: Text  # the focal unit, e.g. "PHÒNG VĂN HÓA VÀ THÔNG TIN"
    place: Text  # "Lục Nam, ngày ... tháng ... năm ..."
    readers: tuple[Code, ...] = Field(min_length=1)  # units that may open the coordinator's page
    draft_recipients: tuple[Code, ...] = Field(min_length=1)  # units e-mailed every draft
    draft_working_days_before_due: int = Field(ge=0, le=30)
    inspection_round: Literal["week", "month", "quarter"]
    consolidated_report: DraftedDocument
    inspection_notice: InspectionNoticeDocument

    def issuer_of(self, document: DraftedDocument, focal_unit: str) -> str:
        """The unit code that issues `document`."""
        return document.issuer or focal_unit

    def header_of(self, document: DraftedDocument) -> tuple[str, str]:
        """(superior body, issuing body) of `document`'s header."""
        return (
            document.superior_body or self.superior_body,
            document.issuing_body or self.issuing_body,
        )
