"""The HTML form's fields, both ways: posted fields to the API's payloads, and errors (named
by the API's field paths) back to the fields they are shown next to."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import Request

from intake.domain import FieldError, analysis_error, reason_error
from intake.models import MAX_TASKS
from minhbach.events.catalogue import TaskStatus

_TASK_FIELDS = ("task_code", "status", "work_done", "evidence", "difficulties", "proposals")
_EVIDENCE_ERROR = re.compile(r"^(tasks\[\d+\]\.evidence)\[(\d+)\]")


@dataclass(frozen=True)
class FormErrors:
    """Errors keyed by the form field they are shown next to; the rest go on top."""

    by_field: dict[str, list[str]]
    general: list[str]


EVIDENCE_FIELDS = ("task_code", "url", "document_number", "issued_on", "title", "note")


async def form_fields(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def report_payload(form: Mapping[str, str]) -> dict[str, Any]:
    try:
        count = max(0, min(int(form.get("task_count", "0")), MAX_TASKS))
    except ValueError:
        count = 0
    tasks = []
    for index in range(count):

        def field(name: str, index: int = index) -> str:
            return form.get(f"tasks-{index}-{name}", "")

        evidence: list[dict[str, str]] = [{"url": url} for url in _lines(field("evidence_urls"))]
        evidence += [{"document_number": n} for n in _lines(field("document_numbers"))]
        task: dict[str, Any] = {
            "task_code": field("task_code"),
            "work_done": field("work_done"),
            "evidence": evidence,
            "difficulties": field("difficulties"),
            "proposals": field("proposals"),
        }
        if field("status"):
            task["status"] = field("status")
        tasks.append(task)
    return {
        "plan_year": form.get("plan_year", ""),
        "period": form.get("period", ""),
        "reporter": form.get("reporter", "lead_units"),
        "tasks": tasks,
        "analysis": form.get("analysis", ""),
    }


def evidence_payload(form: Mapping[str, str]) -> dict[str, Any]:
    evidence = {
        key: form[key]
        for key in ("url", "document_number", "issued_on", "title")
        if form.get(key, "").strip()
    }
    return {
        "task_code": form.get("task_code", ""),
        "plan_year": form.get("plan_year", ""),
        "evidence": evidence,
        "note": form.get("note", ""),
    }


def early_plan_errors(payload: Mapping[str, Any]) -> list[FieldError]:
    """Missing reasons and analysis, checked on the raw form when it did not parse whole."""
    errors: list[FieldError] = []
    for index, task in enumerate(payload["tasks"]):
        if task.get("status") in STATUS_VALUES:
            status = TaskStatus(task["status"])
            errors += reason_error(f"tasks[{index}]", status, str(task.get("difficulties", "")))
    return errors + analysis_error(str(payload.get("analysis", "")))


STATUS_VALUES = frozenset(status.value for status in TaskStatus)


def form_errors(errors: Sequence[FieldError], tasks: Sequence[Mapping[str, Any]]) -> FormErrors:
    by_field: dict[str, list[str]] = {}
    general: list[str] = []
    for error in errors:
        key, message = error.field, error.message
        match = _EVIDENCE_ERROR.match(key)
        if match:
            key = match.group(1)
            message = f"{message} ({_evidence_text(tasks, key, int(match.group(2)))})"
        if key == "analysis" or _is_task_field(key):
            by_field.setdefault(key, []).append(message)
        else:
            general.append(message)
    return FormErrors(by_field, general)


def _is_task_field(key: str) -> bool:
    return re.fullmatch(r"tasks\[\d+\]\.(" + "|".join(_TASK_FIELDS) + ")", key) is not None


def _evidence_text(tasks: Sequence[Mapping[str, Any]], key: str, n: int) -> str:
    index = int(key[key.index("[") + 1 : key.index("]")])
    try:
        item = tasks[index]["evidence"][n]
    except (IndexError, KeyError):
        return "?"
    return str(item.get("url") or item.get("document_number") or "")


def values_from_version(tasks: Sequence[Mapping[str, Any]]) -> dict[int, dict[str, Any]]:
    return {index: dict(task) for index, task in enumerate(tasks)}


def display_values(task: Mapping[str, Any]) -> dict[str, str]:
    evidence = task.get("evidence", [])
    return {
        "status": str(task.get("status", "")),
        "work_done": str(task.get("work_done", "")),
        "evidence_urls": "\n".join(str(e["url"]) for e in evidence if e.get("url")),
        "document_numbers": "\n".join(
            str(e["document_number"]) for e in evidence if e.get("document_number")
        ),
        "difficulties": str(task.get("difficulties", "")),
        "proposals": str(task.get("proposals", "")),
    }
