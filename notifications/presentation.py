"""What a notification says and where it leads, from its stored display data.

The single place that turns `Notification.data` into words and Pioneer links, used by the
in-app feed and the emails alike: pure functions of (kind, data, base URL). The words and
link patterns themselves are declared with each kind in subscriptions.kinds.

`data` (written by the ingest) holds, depending on the event:
  {"event_type": "...", "author": {"id": 1, "handle": "alice"},
   "thread": {"id": "5", "title": "..."}, "category": {"id": "3", "title": "..."},
   "post": {"id": "55", "excerpt": "plain text, at most 300 chars"},
   "proposal": {"id": "9", "title": "..."},
   "status": {"name": "Approved", "change": "Deciding → Gracing",      # proposal status changes
              "outcome": "was approved and is now in its grace period", "error": "..."},
   "vote": {"name": "Approve", "round": 1, "excerpt": "the rationale, as plain text"},
   "election": {"stage": "ANNOUNCING" | "VOTING" | "REVEALING", "cycle_id": "4"},
   "council": {"id": "12"}, "candidacy": {"id": "8", "change": "announced their candidacy"},
   "people": [{"id": 7, "handle": "carol"}],  # members the email lists, each linked to their page
   "note": {"text": "..."},  # a sentence the email shows under the heading (a failed round)
   "accounts": [{"address": "j4W7rV…", "label": "Ledger"}],  # this member's accounts concerned
                                                            # (the ones with a vote to reveal)
   "watched": {"id": "3"}}  # entity kinds only: the watched thread/category/proposal that matched
Rows imported or written by an operator may hold anything: every part is optional.
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings

from members.account_addresses import address_short
from subscriptions.kinds import Family, kind_get

# What a message says when the data lacks a part (an old or imported row).
FIELD_DEFAULTS = {
    "who": "Someone",
    "thread": "a thread",
    "category": "a category",
    "proposal": "a proposal",
    "status": "a new status",
    "status_outcome": "has a new status",
    "vote": "a vote",
    "group": "a working group",
    "opening": "an opening",
    "applicant": "Someone",
    "hired_handles": "new workers",
    "lead": "someone",
    "worker": "A worker",
    "budget_change": "an amount",
    "budget_new": "a new amount",
    "spending_amount": "an amount",
    "accounts": "your account",
}
NAME_KEYS = ("title", "handle", "name")


def _base(base_url: str | None) -> str:
    return (base_url or settings.PIONEER_URL).rstrip("/")


def data_part(data: dict, key: str) -> dict:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def watched_entity_id(data: dict) -> str | None:
    """The watched thread, category or proposal an entity-kind notification came from."""
    value = data_part(data, "watched").get("id")
    return str(value) if value is not None else None


def display_fields(data: dict) -> dict[str, str]:
    """The flat fields the kinds table's templates use: for each part of the data, `<part>`
    (its title, handle or name), `<part>_id` and `<part>_<key>`; `who` is the author's handle.
    Empty values are left out, so that a template's default or omission applies."""
    fields: dict[str, str] = {}
    for part, value in data.items():
        if not isinstance(value, dict):
            continue
        for key, item in value.items():
            if isinstance(item, str | int) and not isinstance(item, bool) and str(item) != "":
                fields[f"{part}_{key}"] = str(item)
        name = next((str(value[key]) for key in NAME_KEYS if value.get(key) not in (None, "")), None)
        if name is not None:
            fields[part] = name
    if "author_handle" in fields:
        fields["who"] = fields["author_handle"]
    names = account_names(data)
    if names:
        fields["accounts"] = _joined(names)
    return fields


def _joined(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _accounts(data: dict) -> list[dict]:
    accounts = data.get("accounts")
    if not isinstance(accounts, list):
        return []
    return [a for a in accounts if isinstance(a, dict) and isinstance(a.get("address"), str) and a["address"]]


def account_names(data: dict) -> list[str]:
    """How the feed names each account of the data's `accounts` list: its label, else the
    address shortened; odd entries are skipped."""
    return [str(a.get("label") or "").strip() or address_short(a["address"]) for a in _accounts(data)]


def account_lines(data: dict) -> list[tuple[str, str]]:
    """(label or "", full address) for each account of the data's `accounts` list: the email
    shows the whole address, so the member can find the key in their wallet."""
    return [(str(a.get("label") or "").strip(), a["address"]) for a in _accounts(data)]


class _WithDefaults(dict):
    def __missing__(self, key: str) -> str:
        return FIELD_DEFAULTS.get(key, "")


class _Quoted(dict):
    """The fields as URL path parts, quoted when a link uses them (most are never used, and an
    excerpt is long): the feed builds a link for every row it returns. A missing one raises
    KeyError, as a plain dict would."""

    def __getitem__(self, key: str) -> str:
        return quote(super().__getitem__(key), safe="")


def kind_family(kind: str) -> Family | None:
    spec = kind_get(kind)
    return spec.family if spec else None


def fill(template: str, data: dict, *, fields: dict | None = None) -> str:
    """A template of the kinds table with the data's fields (`fields`, when the caller has
    display_fields(data) already), defaults for missing ones."""
    return template.format_map(_WithDefaults(display_fields(data) if fields is None else fields))


def fill_strict(template: str, data: dict) -> str | None:
    """The template filled, or None when one of its fields is missing (a crumb or fact to leave out)."""
    try:
        return template.format_map(display_fields(data))
    except KeyError:
        return None


def notification_link(
    kind: str, data: dict, base_url: str | None = None, *, fields: dict | None = None
) -> str:
    """`fields`: display_fields(data) when the caller has them already (the feed shares them
    between a row's message and link)."""
    base = _base(base_url)
    family = kind_family(kind)
    if family is None:
        return f"{base}/"
    try:
        return base + family.link.format_map(_Quoted(display_fields(data) if fields is None else fields))
    except KeyError:  # the data lacks an id the link needs (e.g. an imported row)
        return base + family.section


def member_link(member_id: int | str, base_url: str | None = None) -> str:
    """A member's page in Pioneer."""
    return f"{_base(base_url)}/#/members/{quote(str(member_id), safe='')}"


def people_links(data: dict, base_url: str | None = None) -> list[tuple[str, str]]:
    """(handle, member page) for each member of the data's `people` list; odd entries are skipped."""
    people = data.get("people")
    if not isinstance(people, list):
        return []
    return [
        (str(person.get("handle") or f"Member {person['id']}"), member_link(person["id"], base_url))
        for person in people
        if isinstance(person, dict) and str(person.get("id", "")).isdigit()
    ]


def settings_link(base_url: str | None = None) -> str:
    return f"{_base(base_url)}/#/settings"


def notification_message(kind: str, data: dict, *, fields: dict | None = None) -> str:
    """One line for the feed, e.g. "alice replied to your post in Thread title". `fields`: as
    for notification_link."""
    spec = kind_get(kind)
    if spec is None:
        return f"New activity: {kind}"
    return fill(spec.message_for(data.get("event_type")), data, fields=fields)


def notification_subject(kind: str, data: dict) -> str:
    spec = kind_get(kind)
    return fill(spec.subject, data) if spec and spec.subject else notification_message(kind, data)
