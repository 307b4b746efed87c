"""What `schema` writes: decision 0013's two-tier schema (meta.level + meta.locality, kinds
province/central_agency/ward, copy_duties filtered to what the imported plan has)."""

from __future__ import annotations

from typing import Any

import yaml

from minhbach.plan import default_plan_path
from minhbach.plan_import import schema
from minhbach.plan_import.docx_reader import read_docx
from minhbach.plan_import.importer import read_draft
from minhbach.plan_import.resolve import resolve
from minhbach.plan_import.units import build_directory
from minhbach.plan_import.xlsx import read_units_xlsx
from minhbach.plan_import.yamlout import Noted
from tests.unit.plan_import.documents import table_docx, units_xlsx
from tests.unit.plan_import.test_other_layouts import (
    PROVINCE_BODY,
    PROVINCE_HEADER,
    PROVINCE_HEADING,
    PROVINCE_ROWS,
    PROVINCE_UNITS,
)


def plain(value: Any) -> Any:
    while isinstance(value, Noted):
        value = value.value
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def province_document(copy_duties: bool = False) -> dict[str, Any]:
    docx = table_docx(PROVINCE_BODY, PROVINCE_HEADER, PROVINCE_ROWS, heading=PROVINCE_HEADING)
    draft, header = read_draft(read_docx(docx, "kh.docx"))
    rows = read_units_xlsx(units_xlsx(PROVINCE_UNITS, parent=None), "dv.xlsx")
    directory = build_directory("dv.xlsx", rows)
    res = resolve(draft, directory, "kh.docx", header)
    policy = yaml.safe_load(default_plan_path().read_text(encoding="utf-8"))
    if copy_duties:  # a template whose copy duties name units this plan has and has not
        monitoring = dict(policy["portal_monitoring"])
        monitoring["copy_duties"] = [
            {
                "documents_of": ["ubnd-tinh"],
                "reposted_on": ["all_communes"],
                "tasks": ["1.1", "9.9"],
            },
            {"documents_of": ["ubnd-huyen"], "reposted_on": ["all_communes"], "tasks": ["1.1"]},
        ]
        policy["portal_monitoring"] = monitoring
    notes = schema.Notes([*draft.notes, *directory.notes, *res.notes])
    return plain(schema.plan_document(draft, directory, res, policy, False, notes))


def test_two_tier_writes_level_locality_and_its_kinds() -> None:
    data = province_document(copy_duties=True)
    meta = data["meta"]
    assert (meta["level"], meta["locality"], meta["province"]) == (
        "province",
        "Hưng Nam",
        "Hưng Nam",
    )
    assert "district" not in meta
    kinds = {u["code"]: u["kind"] for u in data["units"]}
    assert (kinds["ubnd-tinh"], kinds["thue-tinh"], kinds["phuong-dong-tien"]) == (
        "province",
        "central_agency",
        "ward",
    )
    groups = {g["code"]: g["kinds"] for g in data["unit_groups"]}
    assert "ward" in groups["all_communes"]
    assert data["portal_monitoring"]["copy_duties"] == [
        {"documents_of": ["ubnd-tinh"], "reposted_on": ["all_communes"], "tasks": ["1.1"]}
    ]
