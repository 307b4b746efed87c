"""The plan's `drafting` section: how the focal unit's documents are headed, signed and sent.

Decree 30/2020/NĐ-CP (Phụ lục I) lays out an administrative document: the issuing body under its
superior body, "Số: .../<symbol>", the place and date line, the title and summary line, the body,
"Nơi nhận:" and the signature block. Everything that names the district, issuer, signer, symbols
and recipients is data here, so another district's file drafts its own documents.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from minhbach.plan.errors import PlanIssue

if TYPE_CHECKING:
    from minhbach.plan.models import Plan

_Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
_Code = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)]
# The part of a document number after the slash, e.g. "BC-VHTT" in "Số: 12/BC-VHTT".
_Symbol = Annotated[str, StringConstraints(pattern=r"^[A-ZĐ0-9&]+(-[A-ZĐ0-9&]+)*$", max_length=40)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DraftSigner(_Frozen):
    """The signature block: "KT. CHỦ TỊCH" over "PHÓ CHỦ TỊCH" over the name."""

    authority: _Text | None = None  # "KT. CHỦ TỊCH", "TL. ..." (absent when the head signs)
    title: _Text  # "TRƯỞNG PHÒNG", "PHÓ CHỦ TỊCH"
    name: _Text | None = None  # left blank for the signer to write in


class DraftedDocument(_Frozen):
    """One kind of document the focal unit issues: its symbol, title, recipients, signer."""

    symbol: _Symbol
    title: _Text  # "BÁO CÁO", "THÔNG BÁO"
    recipients: tuple[_Text, ...] = Field(min_length=1)  # the "Nơi nhận:" list, as written
    signer: DraftSigner


class Drafting(_Frozen):
    """What the focal unit's drafted documents say about who issues them, and who reads them."""

    superior_body: _Text  # upper line of the header, e.g. "UBND HUYỆN LỤC NAM"
    issuing_body: _Text  # e.g. "PHÒNG VĂN HÓA VÀ THÔNG TIN"
    place: _Text  # "Lục Nam, ngày ... tháng ... năm ..."
    readers: tuple[_Code, ...] = Field(min_length=1)  # units that may open the coordinator's page
    draft_recipients: tuple[_Code, ...] = Field(min_length=1)  # units e-mailed every draft
    draft_working_days_before_due: int = Field(ge=0, le=30)
    inspection_round: Literal["week", "month"]
    consolidated_report: DraftedDocument
    inspection_notice: DraftedDocument


def find_drafting_issues(plan: Plan) -> Iterable[PlanIssue]:
    """Readers and recipients must be units of the plan."""
    drafting = plan.drafting
    if drafting is None:
        return
    units = {u.code for u in plan.units}
    for field in ("readers", "draft_recipients"):
        for position, code in enumerate(getattr(drafting, field)):
            if code not in units:
                yield PlanIssue(
                    path=("drafting", field, position), message=f"unknown unit {code!r}"
                )
