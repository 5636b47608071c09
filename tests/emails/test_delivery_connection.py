"""A delivery pass sends its batch over one SMTP connection, and a failed send does not take
the rest of the batch down with it: the next email goes over a fresh connection."""

import smtplib

import pytest

from notifications.delivery import notifications_deliver_pending
from notifications.models import EmailStatus, Notification
from notifications.samples import sample_data
from tests.factories import MemberFactory, NotificationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def connections(monkeypatch):
    """How many SMTP connections were opened."""
    opened = []
    connect = smtplib.SMTP.connect

    def counting_connect(self, *args, **kwargs):
        opened.append(args)
        return connect(self, *args, **kwargs)

    monkeypatch.setattr(smtplib.SMTP, "connect", counting_connect)
    return opened


def pending_notifications(count: int) -> list[Notification]:
    return [
        NotificationFactory(
            member=MemberFactory(email=f"m{i}@example.org"), data=sample_data("FORUM_POST_MENTION")
        )
        for i in range(count)
    ]


def test_one_connection_carries_the_whole_batch(smtp_sink, connections):
    pending_notifications(5)
    summary = notifications_deliver_pending()
    assert summary.sent == 5
    assert len(smtp_sink.wait_for(5)) == 5
    assert len(connections) == 1


def test_after_a_refused_recipient_the_batch_goes_on_over_a_fresh_connection(smtp_sink, connections):
    refused, second, third = pending_notifications(3)
    smtp_sink.refusals = ["550 5.1.1 No such user"]  # the answer to the first RCPT only
    summary = notifications_deliver_pending()

    assert (summary.sent, summary.failed) == (2, 1)
    statuses = dict(Notification.objects.values_list("id", "email_status"))
    assert statuses == {
        refused.id: EmailStatus.FAILED,
        second.id: EmailStatus.SENT,
        third.id: EmailStatus.SENT,
    }
    assert len(connections) == 2
