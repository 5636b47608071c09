"""Suppressions and provider events in the Django admin."""

from datetime import UTC, datetime

import pytest

from members.models import EmailSuppressionReason
from notifications.models import EmailEvent
from tests.factories import MemberFactory, NotificationFactory

pytestmark = pytest.mark.django_db
MEMBERS = "/admin/members/member/"


@pytest.fixture
def members():
    reasons = {"bounced": EmailSuppressionReason.BOUNCED, "complained": EmailSuppressionReason.COMPLAINED}
    return {
        name: MemberFactory(name=name, email_suppressed_reason=reasons.get(name, ""))
        for name in (*reasons, "fine")
    }


def listed(response) -> set[str]:
    return {str(member.name) for member in response.context["cl"].result_list}


def test_members_can_be_filtered_by_suppression(admin_client, members):
    assert listed(admin_client.get(MEMBERS, {"suppressed": "any"})) == {"bounced", "complained"}
    assert listed(admin_client.get(MEMBERS, {"suppressed": "COMPLAINED"})) == {"complained"}
    assert listed(admin_client.get(MEMBERS)) == {"bounced", "complained", "fine"}


def test_lifting_a_suppression_asks_for_confirmation_first(admin_client, members):
    selected = [members["bounced"].id, members["fine"].id]
    action = {"action": "lift_email_suppression", "_selected_action": selected}

    # when: the action is chosen, a confirmation page names what would be lifted
    page = admin_client.post(MEMBERS, action)
    assert page.status_code == 200
    text = page.content.decode()
    assert "bounced@example.org" in text and "fine@example.org" not in text
    assert 'name="confirm" value="yes"' in text
    members["bounced"].refresh_from_db()
    assert members["bounced"].email_suppressed_reason == EmailSuppressionReason.BOUNCED

    # when: confirmed
    done = admin_client.post(MEMBERS, {**action, "confirm": "yes"}, follow=True)

    # then
    assert "Email suppression lifted for 1 member(s)." in done.content.decode()
    members["bounced"].refresh_from_db()
    members["complained"].refresh_from_db()
    assert members["bounced"].email_deliverable and members["bounced"].email_deliverable_since is not None
    assert not members["complained"].email_deliverable  # not selected


def test_a_notification_page_shows_its_email_history(admin_client):
    notification = NotificationFactory(provider_message_id="<msg-1@mg.example.org>")
    for event_type, description in (("delivered", "250 OK"), ("opened", ""), ("complained", "")):
        EmailEvent.objects.create(
            esp_name="Mailgun",
            event_key=f"token-{event_type}",
            event_type=event_type,
            notification=notification,
            recipient="alice@example.org",
            occurred_at=datetime(2026, 1, 1, tzinfo=UTC),
            description=description,
        )

    page = admin_client.get(f"/admin/notifications/notification/{notification.id}/change/").content.decode()

    assert "email history (provider events)" in page.lower()
    for text in ("delivered", "opened", "complained", "250 OK", "&lt;msg-1@mg.example.org&gt;"):
        assert text in page
