"""The digest email: a pure function of its items, like every other email (notifications.emails).

Items are grouped by the family of their kind (subscriptions.kinds), families in table order,
each item one line with its link into Pioneer (notifications.presentation), oldest first.
"""

from __future__ import annotations

from dataclasses import dataclass

from members.models import EmailFrequency
from notifications.emails import UNKNOWN_FAMILY, RenderedEmail, email_render_template, layout_context
from notifications.presentation import kind_family, notification_link, notification_message
from subscriptions.kinds import FAMILIES

# What one email lists; the rest are counted ("and N more") and are in the feed.
DIGEST_ITEMS_SHOWN = 50
DIGEST_TEMPLATE = "emails/digest"


@dataclass(frozen=True)
class DigestItem:
    kind: str
    data: dict


def _groups(items: list[DigestItem]) -> list[dict]:
    by_family: dict[str, dict] = {}
    for item in items:
        family = kind_family(item.kind) or UNKNOWN_FAMILY
        group = by_family.setdefault(
            family.name, {"heading": family.digest_heading or family.eyebrow, "items": []}
        )
        group["items"].append(
            {
                "message": notification_message(item.kind, item.data),
                "link": notification_link(item.kind, item.data),
            }
        )
    order = {family.name: index for index, family in enumerate(FAMILIES)}
    return [by_family[name] for name in sorted(by_family, key=lambda name: order.get(name, len(order)))]


def digest_email_context(
    *,
    items: list[DigestItem],
    total: int,
    frequency: str,
    member_name: str,
    unsubscribe_url: str,
    preferences_url: str = "",
) -> dict:
    """`items` are the ones shown (at most DIGEST_ITEMS_SHOWN); `total` counts every one covered."""
    period = "daily" if frequency == EmailFrequency.DAILY else "weekly"
    layout = layout_context(
        member_name=member_name, unsubscribe_url=unsubscribe_url, preferences_url=preferences_url
    )
    first = notification_message(items[0].kind, items[0].data) if items else ""
    noun = "notification" if total == 1 else "notifications"
    return {
        **layout,
        "period": period,
        "total": total,
        "more": max(total - len(items), 0),
        "groups": _groups(items),
        "subject_line": f"Your {period} Pioneer digest: {total} new {noun}",
        "heading": f"{total} new {noun}",
        "eyebrow": f"{period.capitalize()} digest",
        "cta_url": layout["pioneer_url"],
        "cta_label": "Open Pioneer",
        "crumbs": [],
        "preheader": first if total == 1 else f"{first}, and {total - 1} more",
    }


def digest_email_render(
    *,
    items: list[DigestItem],
    total: int,
    frequency: str,
    member_name: str,
    unsubscribe_url: str,
    preferences_url: str = "",
) -> RenderedEmail:
    context = digest_email_context(
        items=items[:DIGEST_ITEMS_SHOWN],
        total=total,
        frequency=frequency,
        member_name=member_name,
        unsubscribe_url=unsubscribe_url,
        preferences_url=preferences_url,
    )
    return email_render_template(template=DIGEST_TEMPLATE, context=context)
