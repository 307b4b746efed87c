"""The file-level steps behind the commands and the upload page: read the files, import, and
write nothing unless the whole import succeeded."""

from __future__ import annotations

from pathlib import Path

from minhbach.plan import default_plan_path
from minhbach.plan_import import messages
from minhbach.plan_import.docx_reader import read_docx
from minhbach.plan_import.errors import ImportFailure
from minhbach.plan_import.importer import ImportResult, import_plan
from minhbach.plan_import.xlsx import read_units_xlsx


def import_bytes(
    docx: bytes,
    docx_name: str,
    xlsx: bytes,
    xlsx_name: str,
    base_text: str | None = None,
) -> ImportResult:
    """Import from the files' contents; without a base plan, the deployment policy starts from
    the shipped plan (its KIỂM TRA notes say so)."""
    document = read_docx(docx, docx_name)
    rows = read_units_xlsx(xlsx, xlsx_name)
    if base_text is None:
        policy, from_base = default_plan_path().read_text(encoding="utf-8"), False
    else:
        policy, from_base = base_text, True
    return import_plan(document, xlsx_name, rows, policy, from_base)


def import_files(docx: Path, units: Path, base: Path | None) -> ImportResult:
    def read(path: Path) -> bytes:
        try:
            return path.read_bytes()
        except OSError as error:
            reason = error.strerror or str(error)
            raise ImportFailure(messages.cannot_read(str(path), reason)) from None

    base_text = None
    if base is not None:
        try:
            base_text = base.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise ImportFailure(messages.cannot_read(str(base), str(error))) from None
    return import_bytes(read(docx), docx.name, read(units), units.name, base_text)


def check_count(text: str) -> int:
    return text.count("KIỂM TRA:")
