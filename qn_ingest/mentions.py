"""Pioneer markdown mentions: who a text mentions, and the text as a plain excerpt.

Pioneer writes `[@Label](#mention?member-id=42)` for a member and
`[@Label](#mention?role=ROLE)` for a role. Text comes from anyone on chain, so
everything here tolerates malformed input: a mention we cannot read mentions nobody.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qs

from qn_ingest.events import Roles

# The target may carry a prefix (a full Pioneer URL) before "#mention?"; labels cannot
# nest brackets, which keeps the pattern linear on hostile input.
MENTION_PATTERN = re.compile(r"\[@?(?P<label>[^\[\]\n]*)\]\([^()\s]*#mention\?(?P<query>[^()\s]*)\)")
# ASCII digits only (int() also reads other scripts' digits, which Pioneer does not show as a
# mention); at most MAX_MEMBER_ID, the largest id Member can store: a larger one is nobody,
# and handing it to the database would overflow (SQLite raises).
MEMBER_ID_PATTERN = re.compile(r"[0-9]{1,19}")
MAX_MEMBER_ID = 2**63 - 1
EXCERPT_MAX_LENGTH = 300


def _mention_queries(text: str) -> list[dict[str, list[str]]]:
    return [parse_qs(match["query"]) for match in MENTION_PATTERN.finditer(text or "")]


def role_member_ids(role: str, roles: Roles) -> frozenset[int]:
    """Members holding ROLE now; an unknown role mentions nobody."""
    active_workers = roles.workers
    if role == "dao":
        return roles.council_member_ids | {worker.member_id for worker in active_workers}
    if role == "council":
        return roles.council_member_ids
    if role == "leads":
        return frozenset(worker.member_id for worker in active_workers if worker.is_lead)
    if role.startswith("workers_") and len(role) > len("workers_"):
        group = role.removeprefix("workers_")
        return frozenset(worker.member_id for worker in active_workers if worker.group_id == group)
    if role.startswith("lead_") and len(role) > len("lead_"):
        group = role.removeprefix("lead_")
        return frozenset(w.member_id for w in active_workers if w.is_lead and w.group_id == group)
    return frozenset()


def mentioned_member_ids(text: str, roles: Roles) -> frozenset[int]:
    """Every member the text mentions, directly or through a role; a set, so twice counts once."""
    mentioned: set[int] = set()
    for query in _mention_queries(text):
        for value in query.get("member-id", []):
            if MEMBER_ID_PATTERN.fullmatch(value) and int(value) <= MAX_MEMBER_ID:
                mentioned.add(int(value))
        for role in query.get("role", []):
            mentioned |= role_member_ids(role, roles)
    return frozenset(mentioned)


def _first_group(match: re.Match[str]) -> str:
    # A function rather than the template r"\1": re expands a template through Python code on
    # every match, a function call is a tenth of that.
    return match[1]


# Markdown reduced to what a reader sees, applied in order (images before links, since
# an image is a link with a leading "!"); the runs of whitespace become single spaces after.
_PLAIN_TEXT_RULES: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"```.*?```", re.DOTALL), " "),
    (re.compile(r"<[^<>\n]{1,200}>"), " "),
    (re.compile(r"!\[([^\[\]\n]*)\]\([^()\n]*\)"), _first_group),
    (re.compile(r"\[([^\[\]\n]*)\]\([^()\n]*\)"), _first_group),
    (re.compile(r"^\s{0,3}(?:#{1,6}|>+|[-*+]|\d{1,9}[.)])\s+", re.MULTILINE), ""),
    (re.compile(r"(\*\*|__|~~|\*|`)"), ""),
)


def _render_mention(match: re.Match[str]) -> str:
    return f"@{match['label'].strip()}"


def markdown_plain_text(text: str, max_length: int = EXCERPT_MAX_LENGTH) -> str:
    """A short plain-text excerpt: mentions as @Label, markdown syntax removed, at most max_length chars."""
    plain = MENTION_PATTERN.sub(_render_mention, text or "")
    for pattern, replacement in _PLAIN_TEXT_RULES:
        plain = pattern.sub(replacement, plain)
    # Whitespace runs to one space, ends stripped: what re.sub(r"\s+", " ") then strip() gave
    # (str.split and re's \s know the same whitespace), without a call per run.
    plain = " ".join(plain.split())
    if len(plain) <= max_length:
        return plain
    return plain[: max_length - 1].rstrip() + "…"
