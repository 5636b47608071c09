"""Email rendering: a pure function of a JSON-safe context, so delivery, `mockemail` and the
admin preview all produce exactly the same email.

Templates live in templates/emails/: `base.html` / `base.txt` is the layout, and each kind
family (notifications.presentation.kind_family) has `<family>.subject.txt`, `.txt` and
`.html`. Words and links come from notifications.presentation, never from the query node.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.template import Context
from django.template.loader import get_template

from notifications.presentation import (
    data_part,
    election_stage_name,
    kind_family,
    notification_link,
    notification_message,
    settings_link,
)
from subscriptions.kinds import NotificationKind

JOYSTREAM_URL = "https://www.joystream.org"
SUBJECT_MAX_LENGTH = 160
PREHEADER_MAX_LENGTH = 140

CTA_LABELS = {
    "forum_post": "View the post",
    "forum_thread": "Open the thread",
    "proposal_discussion": "Join the discussion",
    "election": "Go to the election",
}
EYEBROWS = {
    "forum_post": "Forum",
    "forum_thread": "Forum",
    "proposal_discussion": "Proposals",
    "election": "Council election",
}
ELECTION_TEXTS = {
    "announcing": "A new council election has begun. Members can now announce their candidacy "
    "for the next council; if you want to stand, announce before the period ends.",
    "voting": "Voting is open. Cast your vote for the candidates you want to see on the next council.",
    "revealing": "Voting has closed and the revealing period has started. If you voted, reveal "
    "your vote now so that it counts.",
}


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str
    headers: dict[str, str]


def _one_line(value: str, limit: int) -> str:
    value = re.sub(r"\s+", " ", value).strip()
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def layout_context(*, member_name: str, unsubscribe_url: str = "") -> dict:
    """What the base layout needs: greeting, footer links, unsubscribe link."""
    base = settings.PIONEER_URL.rstrip("/")
    return {
        "member_name": member_name or "there",
        "pioneer_url": base,
        "council_url": f"{base}/#/council",
        "proposals_url": f"{base}/#/proposals",
        "forum_url": f"{base}/#/forum",
        "joystream_url": JOYSTREAM_URL,
        "settings_url": settings_link(),
        "unsubscribe_url": unsubscribe_url,
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


def notification_email_context(*, kind: str, data: dict, member_name: str, unsubscribe_url: str) -> dict:
    """Everything the family templates use, from the notification's stored display data."""
    family = kind_family(kind)
    thread = data_part(data, "thread").get("title") or ""
    proposal = data_part(data, "proposal").get("title") or ""
    excerpt = str(data_part(data, "post").get("excerpt") or "").strip()
    message = notification_message(kind, data)
    stage = election_stage_name(kind, data) if family == "election" else ""
    category = data_part(data, "category").get("title") or ""
    # Where it happened, above the heading (the header already names Forum / Proposals).
    if family == "proposal_discussion":
        proposal_id = data_part(data, "proposal").get("id")
        crumbs = [f"Proposal #{proposal_id}" if proposal_id else ""]
    elif family == "election":
        crumbs = []
    else:
        crumbs = [category, thread]
    try:
        kind_label = NotificationKind(kind).label
    except ValueError:
        kind_label = kind
    return {
        **layout_context(member_name=member_name, unsubscribe_url=unsubscribe_url),
        "kind": kind,
        "kind_label": kind_label,
        "family": family,
        "message": message,
        "heading": message,
        "author": data_part(data, "author").get("handle") or "",
        "thread_title": thread,
        "proposal_title": proposal,
        "category_title": category,
        "crumbs": [crumb for crumb in crumbs if crumb],
        "excerpt": excerpt,
        "excerpt_quoted": _quoted(excerpt),
        "stage": stage,
        "election_text": ELECTION_TEXTS.get(stage, "A new council election period has started."),
        "cycle_id": data_part(data, "election").get("cycle_id") or "",
        "cta_url": notification_link(kind, data),
        "cta_label": CTA_LABELS[family],
        "eyebrow": EYEBROWS[family],
        "preheader": _one_line(excerpt or ELECTION_TEXTS.get(stage, message), PREHEADER_MAX_LENGTH),
    }


def notification_email_render(
    *, kind: str, data: dict, member_name: str, unsubscribe_url: str
) -> RenderedEmail:
    """(kind, data, member name, unsubscribe URL) → (subject, text, html, headers)."""
    context = notification_email_context(
        kind=kind, data=data, member_name=member_name, unsubscribe_url=unsubscribe_url
    )
    return email_render_template(template=f"emails/{context['family']}", context=context)
