"""What the delivery-batch tests (test_delivery_batches.py, test_delivery_order.py) share."""

from notifications.models import Notification
from notifications.samples import sample_data
from tests.factories import MemberFactory, NotificationFactory


class ProcessDied(BaseException):
    """Stands for the process dying inside the provider call: no `except Exception` handles
    it, so nothing after the send runs and the claimed rows keep their lease."""


def pending_notifications(count: int) -> list[Notification]:
    data = sample_data("FORUM_POST_REPLY")
    return [
        NotificationFactory(member=MemberFactory(), kind="FORUM_POST_REPLY", data=data) for _ in range(count)
    ]


def statuses(notifications: list[Notification]) -> list[tuple[str, int]]:
    rows = Notification.objects.in_bulk([n.id for n in notifications])
    return [(rows[n.id].email_status, rows[n.id].retry_count) for n in notifications]
