"""What a notification says and where it leads, from its stored display data.

The single place that turns `Notification.data` into words and Pioneer links, used by the
in-app feed and the emails alike: pure functions of (kind, data, base URL). The words and
link patterns themselves are declared with each kind in subscriptions.kinds.

`data` (written by the ingest) holds, depending on the event:
  {"event_type": "...", "author": {"id": 1, "handle": "alice"},
   "thread": {"id": "5", "title": "..."}, "category": {"id": "3", "title": "..."},
   "post": {"id": "55", "excerpt": "plain text, at most 300 chars"},
   "proposal": {"id": "9", "title": "..."},
   "election": {"stage": "ANNOUNCING" | "VOTING" | "REVEALING", "cycle_id": "4"},
   "watched": {"id": "3"}}  # entity kinds only: the watched thread/category/proposal that matched
Rows imported or written by an operator may hold anything: every part is optional.
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings

from subscriptions.kinds import Family, kind_get

# What a message says when the data lacks a part (an old or imported row).
FIELD_DEFAULTS = {
    "who": "Someone",
    "thread": "a thread",
    "category": "a category",
    "proposal": "a proposal",
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
    return fields


class _WithDefaults(dict):
    def __missing__(self, key: str) -> str:
        return FIELD_DEFAULTS.get(key, "")


class _Quoted(dict):
    """The fields as URL path parts, quoted when a link uses them (most are never used, and an
    excerpt is long): the feed builds a link for every row it returns."""

    def __getitem__(self, key: str) -> str:
        value = self.get(key)
        return "" if value is None else quote(value, safe="")


def kind_family(kind: str) -> Family | None:
    spec = kind_get(kind)
    return spec.family if spec else None


def fill(template: str, data: dict) -> str:
    """A template of the kinds table with the data's fields, defaults for missing ones."""
    return template.format_map(_WithDefaults(display_fields(data)))


def fill_strict(template: str, data: dict) -> str | None:
    """The template filled, or None when one of its fields is missing (a crumb or fact to leave out)."""
    try:
        return template.format_map(display_fields(data))
    except KeyError:
        return None


def notification_link(kind: str, data: dict, base_url: str | None = None) -> str:
    base = _base(base_url)
    family = kind_family(kind)
    if family is None:
        return f"{base}/"
    return base + family.link.format_map(_Quoted(display_fields(data)))


def settings_link(base_url: str | None = None) -> str:
    return f"{_base(base_url)}/#/settings"


def notification_message(kind: str, data: dict) -> str:
    """One line for the feed, e.g. "alice replied to your post in Thread title"."""
    spec = kind_get(kind)
    return fill(spec.message, data) if spec else f"New activity: {kind}"


def notification_subject(kind: str, data: dict) -> str:
    spec = kind_get(kind)
    return fill(spec.subject or spec.message, data) if spec else notification_message(kind, data)
