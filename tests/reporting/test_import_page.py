"""The upload page on the coordinator's site (no JavaScript): the focal unit sends the plan's
.docx and the unit .xlsx and sees the same summary and plan file as `minhbach plan import`;
bad files get the Vietnamese message; a unit that is not a reader is refused."""

from __future__ import annotations

import urllib.parse

import httpx
import yaml

from minhbach.plan import Plan, parse_plan
from minhbach.settings import Settings
from tests.reporting.conftest import running_reporting, vn
from tests.unit.plan_import.documents import seed_docx, seed_units, units_xlsx

PAGE = "/bao-cao-tong-hop/nhap-ke-hoach"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def test_the_focal_unit_uploads_the_two_files_and_gets_the_plan_file(
    settings: Settings, database_url: str, private_nats: str, seed: Plan
) -> None:
    docx, xlsx = seed_docx(), units_xlsx(seed_units())
    async with running_reporting(settings, database_url, private_nats, seed, vn(2024, 6, 3)) as rep:
        reader, unit = await rep.token("vhtt"), await rep.token("tckh")
        async with httpx.AsyncClient(base_url=rep.url, timeout=120) as http:
            form = await http.get(PAGE, headers={"Authorization": f"Bearer {reader}"})
            assert form.status_code == 200
            assert 'enctype="multipart/form-data"' in form.text and "<script" not in form.text

            files = {
                "ke_hoach": ("ke-hoach.docx", docx, DOCX),
                "don_vi": ("don-vi.xlsx", xlsx, XLSX),
            }
            answer = await http.post(
                PAGE,
                files=files,
                data={"giu_ma": "1"},
                headers={"Authorization": f"Bearer {reader}"},
            )
            assert answer.status_code == 200, answer.text[:2000]
            assert "Đơn vị đầu mối: Phòng Văn hóa và Thông tin (vhtt)" in answer.text
            assert "Không khác tệp kế hoạch cũ." in answer.text  # the running plan is the seed
            link = answer.text.split('id="tai-tep" download="ke-hoach-2024.yaml" href="')[1]
            text = urllib.parse.unquote(
                link.split('"')[0].removeprefix("data:text/yaml;charset=utf-8,")
            )
            plan = parse_plan(text, "uploaded.yaml")
            assert [t.code for t in plan.tasks] == [t.code for t in seed.tasks]
            assert yaml.safe_load(text)["units"][0]["code"] == "ubnd-huyen"

            bad = await http.post(
                PAGE,
                files={
                    "ke_hoach": ("ke-hoach.pdf", b"%PDF-1.7", "application/pdf"),
                    "don_vi": ("don-vi.xlsx", xlsx, XLSX),
                },
                headers={"Authorization": f"Bearer {reader}"},
            )
            assert bad.status_code == 422
            assert "“ke-hoach.pdf” không phải tệp Word (.docx)" in bad.text
            assert "Chưa tạo tệp kế hoạch nào." in bad.text

            refused = await http.post(
                PAGE, files=files, headers={"Authorization": f"Bearer {unit}"}
            )
            assert refused.status_code == 403
            nobody = await http.get(PAGE)
            assert nobody.status_code == 401
