"""Telling a database outage from a failing statement: the first says nothing about the work
being done (retry it when the server is back), the second may (a poison event, a bug)."""

from __future__ import annotations

from typing import Final

# SQLSTATE classes of a server that is unreachable or going away: 08 connection exception,
# 57P01-57P03 admin shutdown, crash shutdown, cannot connect now (starting up, recovering).
OUTAGE_SQLSTATES: Final = ("08", "57P")


def database_unavailable(exc: BaseException) -> bool:
    """True when `exc`, or what caused it, says the database cannot be reached right now."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if _is_outage(current):
            return True
        orig = getattr(current, "orig", None)  # SQLAlchemy's DBAPIError wraps the driver's
        current = orig if isinstance(orig, BaseException) else current.__cause__
    return False


def _is_outage(exc: BaseException) -> bool:
    if getattr(exc, "connection_invalidated", False):
        return True
    # A refused or reset connection, a socket file gone while the server restarts.
    if isinstance(exc, OSError):
        return True
    sqlstate = getattr(exc, "sqlstate", None)
    if isinstance(sqlstate, str) and sqlstate.startswith(OUTAGE_SQLSTATES):
        return True
    # asyncpg's "connection was closed in the middle of operation" has no SQLSTATE.
    return type(exc).__name__ in ("ConnectionDoesNotExistError", "InterfaceError") and (
        "closed" in str(exc)
    )
