"""Rendering a notification email once per event instead of once per member.

An event reaches many members with the same kind and the same display data; their emails
differ only in the member's name and two signed links (unsubscribe, preferences). A delivery
batch renders the templates once per (kind, data, which links exist) with a slot marker in
place of each of those three values, then fills the slots per member: HTML-escaped in the
HTML part, as they are in the text parts. The result is the very email
notifications.emails.notification_email_render makes. For the SMTP backend the MIME bytes
are prebuilt per event too (notifications.email_mime_prebuilt).
tests/emails/test_email_render_cache.py compares both with the plain path for every kind.
"""

from __future__ import annotations

import json
import secrets
import threading
from dataclasses import dataclass

from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.smtp import EmailBackend as SmtpEmailBackend
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.html import escape

from notifications.email_mime_prebuilt import MimeSkeleton, PrebuiltEmail
from notifications.emails import (
    RenderedEmail,
    email_message_build,
    greeting_name,
    notification_email_render,
    unsubscribe_headers,
)

# Per process: a member's data cannot guess it, so no excerpt or title can hold a slot marker.
_NONCE = secrets.token_hex(8)
_SLOTS = ("member_name", "unsubscribe_url", "preferences_url")
_MARKERS = {slot: f"pioneer-slot-{_NONCE}-{slot}" for slot in _SLOTS}
# The HTML part's markers (filled with escaped values) when the MIME bytes are prebuilt.
_HTML_MARKERS = {slot: f"pioneer-html-{_NONCE}-{slot}" for slot in _SLOTS}
_TO_MARKER = f"to-{_NONCE}@example.invalid"
# Events per cache: a batch rarely spans more than a few; the bound keeps memory flat anyway.
CACHE_MAX_EVENTS = 256


@dataclass
class _Skeleton:
    subject: str
    text: str
    html: str
    unsubscribe: bool
    mime: MimeSkeleton | None = None  # made on the first email sent over SMTP


def _fill(template: str, markers: dict[str, str], values: dict[str, str]) -> str:
    for slot, value in values.items():
        template = template.replace(markers[slot], value)
    return template


class NotificationEmailRenderCache:
    """notification_email_render with the per-event part rendered once (one cache per batch)."""

    def __init__(self) -> None:
        self._skeletons: dict[tuple, _Skeleton] = {}

    def render(
        self, *, kind: str, data: dict, member_name: str, unsubscribe_url: str, preferences_url: str = ""
    ) -> RenderedEmail:
        skeleton = self._skeleton(kind, data, unsubscribe_url, preferences_url)
        return self._filled(skeleton, _values(member_name, unsubscribe_url, preferences_url))

    def email(
        self,
        *,
        kind: str,
        data: dict,
        member_name: str,
        unsubscribe_url: str,
        preferences_url: str,
        to: str,
        connection=None,
    ) -> EmailMultiAlternatives:
        """The email to send to `to` over `connection`."""
        skeleton = self._skeleton(kind, data, unsubscribe_url, preferences_url)
        values = _values(member_name, unsubscribe_url, preferences_url)
        rendered = self._filled(skeleton, values)
        if not isinstance(connection, SmtpEmailBackend):
            return email_message_build(rendered=rendered, to=to, connection=connection)
        if skeleton.mime is None:
            skeleton.mime = _mime_skeleton(skeleton)
        html_values = {f"html:{slot}": escape(value) for slot, value in values.items()}
        prebuilt = skeleton.mime.fill(to=to, values={**values, **html_values})
        if prebuilt is None:
            return email_message_build(rendered=rendered, to=to, connection=connection)
        message = email_message_build(
            rendered=rendered, to=to, connection=connection, message_class=PrebuiltEmail
        )
        message.prebuilt = prebuilt
        return message

    def _skeleton(self, kind: str, data: dict, unsubscribe_url: str, preferences_url: str) -> _Skeleton:
        event = json.dumps(data, sort_keys=True, default=str)
        key = (kind, event, bool(unsubscribe_url), bool(preferences_url))
        skeleton = self._skeletons.get(key)
        if skeleton is None:
            if len(self._skeletons) >= CACHE_MAX_EVENTS:
                self._skeletons.clear()
            rendered = notification_email_render(
                kind=kind,
                data=data,
                member_name=_MARKERS["member_name"],
                # An empty link stays empty: the templates leave its line out.
                unsubscribe_url=_MARKERS["unsubscribe_url"] if unsubscribe_url else "",
                preferences_url=_MARKERS["preferences_url"] if preferences_url else "",
            )
            skeleton = self._skeletons[key] = _Skeleton(
                subject=rendered.subject,
                text=rendered.text,
                html=rendered.html,
                unsubscribe=bool(unsubscribe_url),
            )
        return skeleton

    @staticmethod
    def _filled(skeleton: _Skeleton, values: dict[str, str]) -> RenderedEmail:
        return RenderedEmail(
            subject=_fill(skeleton.subject, _MARKERS, values),
            text=_fill(skeleton.text, _MARKERS, values),
            html=_fill(skeleton.html, _MARKERS, {slot: escape(value) for slot, value in values.items()}),
            headers=unsubscribe_headers(values["unsubscribe_url"]),
        )


def _values(member_name: str, unsubscribe_url: str, preferences_url: str) -> dict[str, str]:
    return {
        "member_name": greeting_name(member_name),
        "unsubscribe_url": unsubscribe_url,
        "preferences_url": preferences_url,
    }


def _mime_skeleton(skeleton: _Skeleton) -> MimeSkeleton:
    """The event's MIME bytes with markers: text markers in the subject, text part and headers,
    HTML markers in the HTML part."""
    html = skeleton.html
    for slot in _SLOTS:
        html = html.replace(_MARKERS[slot], _HTML_MARKERS[slot])
    rendered = RenderedEmail(
        subject=skeleton.subject,
        text=skeleton.text,
        html=html,
        headers=unsubscribe_headers(_MARKERS["unsubscribe_url"] if skeleton.unsubscribe else ""),
    )
    markers = {
        **{_MARKERS[slot]: slot for slot in _SLOTS},
        **{_HTML_MARKERS[slot]: f"html:{slot}" for slot in _SLOTS},
    }
    # A marker in the subject would be encoded into it: no prebuilt bytes then.
    usable_subject = not any(marker in skeleton.subject for marker in markers)
    mime = MimeSkeleton(
        email_message_build(rendered=rendered, to=_TO_MARKER), to_marker=_TO_MARKER, markers=markers
    )
    mime.usable = mime.usable and usable_subject
    return mime


# --- One cache per thread, across batches ---------------------------------------------------
# A Celery task delivers one batch (50 emails) and an election's thousands of emails span many
# tasks: each worker thread keeps its cache from one task to the next, so that it renders an
# event once, not once per task. A changed setting (tests, override_settings) starts every
# thread's cache afresh: the rendering reads settings (the sender, the site's name and URL).
_this_thread = threading.local()
_settings_generation = 0


@receiver(setting_changed)
def _settings_changed(**kwargs) -> None:
    global _settings_generation
    _settings_generation += 1


def thread_render_cache() -> NotificationEmailRenderCache:
    """This thread's render cache, kept across delivery batches (CACHE_MAX_EVENTS events)."""
    cache = getattr(_this_thread, "cache", None)
    if cache is None or _this_thread.generation != _settings_generation:
        cache = _this_thread.cache = NotificationEmailRenderCache()
        _this_thread.generation = _settings_generation
    return cache
