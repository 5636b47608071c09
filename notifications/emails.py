"""Email rendering: a pure function of a JSON-safe context, so delivery, `mockemail` and the
admin preview all produce exactly the same email.

Templates live in templates/emails/: `base.html` / `base.txt` is the layout, and
`notification.subject.txt`, `.txt` and `.html` fill it for every kind (a family of the kinds
table may name its own). Words and links come from notifications.presentation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template

from notifications.email_styles import ACCENT, EMAIL_CSS
from notifications.presentation import (
    account_lines,
    data_part,
    fill,
    fill_strict,
    notification_link,
    notification_message,
    notification_subject,
    people_links,
    settings_link,
)
from subscriptions.kinds import Family, kind_get

JOYSTREAM_URL = "https://www.joystream.org"
SUBJECT_MAX_LENGTH = 160
PREHEADER_MAX_LENGTH = 140
# A kind no longer in the table (a row from an older version): a plain email to Pioneer.
UNKNOWN_FAMILY = Family("unknown", eyebrow="Pioneer", cta_label="Open Pioneer", link="/", section="/")


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str
    headers: dict[str, str]


def _one_line(value: str, limit: int) -> str:
    value = re.sub(r"\s+", " ", value).strip()
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def greeting_name(member_name: str) -> str:
    """How the greeting names the member ("Hi there," without a name)."""
    return member_name or "there"


def layout_context(*, member_name: str, unsubscribe_url: str = "", preferences_url: str = "") -> dict:
    """What the base layout needs: greeting, footer links, unsubscribe link and the link to the
    member's preferences page (preferences.tokens.preferences_url)."""
    base = settings.PIONEER_URL.rstrip("/")
    return {
        "member_name": greeting_name(member_name),
        "pioneer_url": base,
        "council_url": f"{base}/#/council",
        "proposals_url": f"{base}/#/proposals",
        "forum_url": f"{base}/#/forum",
        "joystream_url": JOYSTREAM_URL,
        "settings_url": settings_link(),
        "unsubscribe_url": unsubscribe_url,
        "preferences_url": preferences_url,
        "css": EMAIL_CSS,
        "css_accent": ACCENT,
    }


def unsubscribe_headers(unsubscribe_url: str) -> dict[str, str]:
    """RFC 2369 + RFC 8058 one-click headers; empty when there is no link (e.g. verification)."""
    if not unsubscribe_url:
        return {}
    targets = [f"<{unsubscribe_url}>"]
    if settings.EMAIL_UNSUBSCRIBE_MAILTO:
        targets.append(f"<mailto:{settings.EMAIL_UNSUBSCRIBE_MAILTO}?subject=unsubscribe>")
    return {
        "List-Unsubscribe": ", ".join(targets),
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def email_render_template(*, template: str, context: dict) -> RenderedEmail:
    """Render `<template>.subject.txt`, `.txt` and `.html` over the base layout.

    The text parts are rendered without HTML escaping (they are not HTML); the HTML part
    escapes everything that came from members (titles, handles, excerpts).
    """
    subject = get_template(f"{template}.subject.txt").template.render(Context(context, autoescape=False))
    subject = _one_line(subject, SUBJECT_MAX_LENGTH)
    full = {**context, "subject": subject}
    text = get_template(f"{template}.txt").template.render(Context(full, autoescape=False))
    text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
    html = get_template(f"{template}.html").render(full)
    return RenderedEmail(
        subject=subject, text=text, html=html, headers=unsubscribe_headers(context.get("unsubscribe_url", ""))
    )


def _quoted(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines())


def notification_email_context(
    *, kind: str, data: dict, member_name: str, unsubscribe_url: str, preferences_url: str = ""
) -> dict:
    """Everything the notification templates use, from the kind's row of the table and the
    notification's stored display data."""
    spec = kind_get(kind)
    family = spec.family if spec else UNKNOWN_FAMILY
    excerpt = str(data_part(data, family.excerpt_part).get("excerpt") or "").strip()
    message = notification_message(kind, data)
    detail = fill(spec.detail, data) if spec else ""
    note = str(data_part(data, "note").get("text") or "").strip()
    crumbs = [crumb for template in family.crumbs if (crumb := fill_strict(template, data))]
    facts = [(label, value) for label, template in family.facts if (value := fill_strict(template, data))]
    return {
        **layout_context(
            member_name=member_name, unsubscribe_url=unsubscribe_url, preferences_url=preferences_url
        ),
        "kind": kind,
        "kind_label": spec.label if spec else kind,
        "subject_line": notification_subject(kind, data),
        "message": message,
        "heading": message,
        "author": data_part(data, "author").get("handle") or "",
        "crumbs": crumbs,
        "excerpt": excerpt,
        "excerpt_quoted": _quoted(excerpt),
        "detail": detail,
        "note": note,
        "people": people_links(data),
        "accounts": account_lines(data),
        "facts": facts,
        "cta_url": notification_link(kind, data),
        "cta_label": family.cta_label,
        "eyebrow": family.eyebrow,
        "template": family.template,
        "preheader": _one_line(excerpt or note or detail or message, PREHEADER_MAX_LENGTH),
    }


def notification_email_render(
    *, kind: str, data: dict, member_name: str, unsubscribe_url: str, preferences_url: str = ""
) -> RenderedEmail:
    """(kind, data, member name, unsubscribe URL, preferences URL) → (subject, text, html, headers)."""
    context = notification_email_context(
        kind=kind,
        data=data,
        member_name=member_name,
        unsubscribe_url=unsubscribe_url,
        preferences_url=preferences_url,
    )
    return email_render_template(template=context["template"], context=context)


def email_message_build(
    *, rendered: RenderedEmail, to: str, connection=None, message_class=EmailMultiAlternatives
) -> EmailMultiAlternatives:
    message = message_class(
        subject=rendered.subject,
        body=rendered.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=rendered.headers,
        connection=connection,
    )
    message.attach_alternative(rendered.html, "text/html")
    return message
