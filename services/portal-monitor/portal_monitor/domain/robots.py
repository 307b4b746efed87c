"""robots.txt per RFC 9309: groups by user-agent, longest match wins, `allow` wins a tie, `*` and
`$` in paths; plus the common `Crawl-delay` extension. Pure: text in, a policy out.

What a fetch status means (RFC 9309 section 2.3.1) is decided here too: 2xx parse, 4xx allow
everything, 5xx or unreachable disallow everything for now (the caller retries later)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

MAX_ROBOTS_BYTES = 500 * 1024  # RFC 9309: parse at least 500 KiB; ignore the rest


@dataclass(frozen=True)
class _Rule:
    allow: bool
    path: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class RobotsPolicy:
    rules: tuple[_Rule, ...] = ()
    crawl_delay: float | None = None
    disallow_all: bool = False  # robots.txt unreachable: nothing may be fetched for now
    reason: str = "parsed"

    def allows(self, url: str) -> bool:
        if self.disallow_all:
            return False
        parts = urlsplit(url)
        target = _normalise_path(parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        if target == "/robots.txt":
            return True
        best: _Rule | None = None
        for rule in self.rules:
            if rule.pattern.match(target) is None:
                continue
            longer = best is None or len(rule.path) > len(best.path)
            tie_allow = best is not None and len(rule.path) == len(best.path) and rule.allow
            if longer or tie_allow:
                best = rule
        return best is None or best.allow


ALLOW_ALL = RobotsPolicy(reason="no robots.txt (4xx): everything allowed")
DISALLOW_ALL = RobotsPolicy(disallow_all=True, reason="robots.txt unreachable: wait and retry")


def policy_for_status(status: int | None, body: str, user_agent: str) -> RobotsPolicy:
    """The policy a robots.txt fetch implies (status None: unreachable)."""
    if status is None or status >= 500:
        return DISALLOW_ALL
    if 400 <= status < 500:
        return ALLOW_ALL
    if 200 <= status < 300:
        return parse_robots(body, user_agent)
    return DISALLOW_ALL  # redirects are followed by the caller; anything else: be careful


@dataclass
class _Group:
    agents: list[str] = field(default_factory=list)
    rules: list[_Rule] = field(default_factory=list)
    crawl_delay: float | None = None


def parse_robots(text: str, user_agent: str) -> RobotsPolicy:
    """The rules of the group that names our product token (else the `*` group)."""
    groups = _groups(text[:MAX_ROBOTS_BYTES])
    token = _product_token(user_agent)
    mine = [g for g in groups if any(a != "*" and a == token for a in g.agents)]
    chosen = mine or [g for g in groups if "*" in g.agents]
    rules = tuple(rule for group in chosen for rule in group.rules)
    delays = [g.crawl_delay for g in chosen if g.crawl_delay is not None]
    return RobotsPolicy(rules=rules, crawl_delay=max(delays) if delays else None)


def _product_token(user_agent: str) -> str:
    return user_agent.split("/", 1)[0].split()[0].casefold() if user_agent.strip() else "*"


def _groups(text: str) -> list[_Group]:
    groups: list[_Group] = []
    current: _Group | None = None
    last_was_agent = False
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        key, value = (part.strip() for part in line.split(":", 1))
        key = key.casefold()
        if key == "user-agent":
            if current is None or not last_was_agent:
                current = _Group()
                groups.append(current)
            current.agents.append(value.casefold())
            last_was_agent = True
            continue
        last_was_agent = False
        if current is None:
            continue
        if key in ("allow", "disallow") and value:
            current.rules.append(_rule(key == "allow", value))
        elif key == "crawl-delay":
            current.crawl_delay = _number(value)
    return groups


def _rule(allow: bool, path: str) -> _Rule:
    path = _normalise_path(path)
    anchored = path.endswith("$")
    body = path[:-1] if anchored else path
    regex = ".*".join(re.escape(piece) for piece in body.split("*"))
    return _Rule(allow, path, re.compile(regex + ("$" if anchored else "")))


def _normalise_path(path: str) -> str:
    """Compare paths percent-decoded (RFC 9309 2.2.2 matches octets, either encoding)."""
    return unquote(path)


def _number(value: str) -> float | None:
    try:
        number = float(value)
    except ValueError:
        return None
    return number if number >= 0 else None
