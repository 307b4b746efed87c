""".docx -> PDF with LibreOffice headless (`soffice --convert-to pdf`), off the event loop.

Each conversion runs in its own temporary directory with its own LibreOffice user profile
(`-env:UserInstallation`): two conversions at once would otherwise fight over one profile's lock,
and a crashed one would leave it locked. A conversion that outlives the timeout is killed.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import tempfile
from pathlib import Path


class PdfUnavailable(Exception):
    """No PDF: LibreOffice is missing, failed, or took too long (the .docx stands alone)."""


def find_soffice(configured: str = "") -> str | None:
    if configured:
        return shutil.which(configured)
    return shutil.which("soffice") or shutil.which("libreoffice")


async def docx_to_pdf(docx: bytes, soffice: str | None, timeout_seconds: float) -> bytes:
    if not soffice:
        raise PdfUnavailable("LibreOffice (soffice) not found")
    with tempfile.TemporaryDirectory(prefix="minhbach-pdf-") as tmp:
        work = Path(tmp)
        source = work / "draft.docx"
        source.write_bytes(docx)
        try:
            process = await _start(soffice, work, source)
        except OSError as exc:
            raise PdfUnavailable(f"LibreOffice could not start: {exc}") from exc
        try:
            async with asyncio.timeout(timeout_seconds):
                output, _ = await process.communicate()
        except TimeoutError:
            _kill(process)
            await process.wait()
            raise PdfUnavailable(f"LibreOffice took longer than {timeout_seconds:g} s") from None
        except asyncio.CancelledError:  # shutting down: LibreOffice must not outlive us
            _kill(process)
            raise
        target = work / "draft.pdf"
        if process.returncode != 0 or not target.exists():
            tail = output.decode("utf-8", errors="replace")[-500:]
            raise PdfUnavailable(f"LibreOffice failed ({process.returncode}): {tail}")
        return target.read_bytes()


async def _start(soffice: str, work: Path, source: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        soffice,
        f"-env:UserInstallation={(work / 'profile').as_uri()}",
        "--headless",
        "--norestore",
        "--nologo",
        "--convert-to",
        "pdf",
        "--outdir",
        str(work),
        str(source),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        start_new_session=True,
    )


def _kill(process: asyncio.subprocess.Process) -> None:
    with contextlib.suppress(ProcessLookupError):
        process.kill()
