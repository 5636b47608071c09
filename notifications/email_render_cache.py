"""Rendering a notification email once per event instead of once per member.

An event reaches many members with the same kind and the same display data; their emails
differ only in the member's name and two signed links (unsubscribe, preferences). A delivery
batch renders the templates once per (kind, data, which links exist) with a slot marker in
place of each of those three values, then fills the slots per member: HTML-escaped in the
HTML part, as they are in the text parts. The result is the very email
notifications.emails.notification_email_render makes (tests/emails/test_email_render_cache.py
compares the two for every kind).
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass

from django.utils.html import escape

from notifications.emails import RenderedEmail, greeting_name, notification_email_render, unsubscribe_headers

# Per process: a member's data cannot guess it, so no excerpt or title can hold a slot marker.
_NONCE = secrets.token_hex(8)
_SLOTS = ("member_name", "unsubscribe_url", "preferences_url")
_MARKERS = {slot: f"pioneer-slot-{_NONCE}-{slot}" for slot in _SLOTS}
# Events per cache: a batch rarely spans more than a few; the bound keeps memory flat anyway.
CACHE_MAX_EVENTS = 256


@dataclass(frozen=True)
class _Skeleton:
    subject: str
    text: str
    html: str


def _fill(template: str, values: dict[str, str]) -> str:
    for slot, value in values.items():
        template = template.replace(_MARKERS[slot], value)
    return template


class NotificationEmailRenderCache:
    """notification_email_render with the per-event part rendered once (one cache per batch)."""

    def __init__(self) -> None:
        self._skeletons: dict[tuple, _Skeleton] = {}

    def render(
        self, *, kind: str, data: dict, member_name: str, unsubscribe_url: str, preferences_url: str = ""
    ) -> RenderedEmail:
        event = json.dumps(data, sort_keys=True, default=str)
        key = (kind, event, bool(unsubscribe_url), bool(preferences_url))
        skeleton = self._skeletons.get(key)
        if skeleton is None:
            if len(self._skeletons) >= CACHE_MAX_EVENTS:
                self._skeletons.clear()
            skeleton = self._skeletons[key] = self._skeleton(kind, data, unsubscribe_url, preferences_url)
        values = {
            "member_name": greeting_name(member_name),
            "unsubscribe_url": unsubscribe_url,
            "preferences_url": preferences_url,
        }
        return RenderedEmail(
            subject=_fill(skeleton.subject, values),
            text=_fill(skeleton.text, values),
            html=_fill(skeleton.html, {slot: escape(value) for slot, value in values.items()}),
            headers=unsubscribe_headers(unsubscribe_url),
        )

    @staticmethod
    def _skeleton(kind: str, data: dict, unsubscribe_url: str, preferences_url: str) -> _Skeleton:
        rendered = notification_email_render(
            kind=kind,
            data=data,
            member_name=_MARKERS["member_name"],
            # An empty link stays empty: the templates leave its line out.
            unsubscribe_url=_MARKERS["unsubscribe_url"] if unsubscribe_url else "",
            preferences_url=_MARKERS["preferences_url"] if preferences_url else "",
        )
        return _Skeleton(subject=rendered.subject, text=rendered.text, html=rendered.html)
