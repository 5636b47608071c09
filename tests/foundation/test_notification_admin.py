import pytest

from notifications.models import EmailStatus
from tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/notifications/notification/"


def test_requeue_gives_failed_emails_a_fresh_set_of_attempts(admin_client):
    failed = NotificationFactory(
        email_status=EmailStatus.FAILED, retry_count=3, last_error="550 no such user"
    )
    sent = NotificationFactory(email_status=EmailStatus.SENT)

    response = admin_client.post(
        CHANGELIST,
        {"action": "requeue_failed_emails", "_selected_action": [failed.id, sent.id]},
        follow=True,
    )

    assert "1 failed email(s) re-queued" in response.content.decode()
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert (failed.email_status, failed.retry_count, failed.last_error) == (EmailStatus.PENDING, 0, "")
    assert sent.email_status == EmailStatus.SENT  # only FAILED rows are touched


def test_notifications_are_read_only_in_the_admin(admin_client):
    notification = NotificationFactory()

    page = admin_client.get(f"{CHANGELIST}{notification.id}/change/").content.decode()

    assert admin_client.get(f"{CHANGELIST}add/").status_code == 403
    assert 'name="email_status"' not in page and 'name="kind"' not in page
