"""One log line per ingest run and per delivery outcome, with counts and durations, at
APP_LOG_LEVEL (info by default), and no email address in any of them."""

from __future__ import annotations

import logging
import re

import pytest
from django.conf import settings

from notifications.delivery import notification_deliver
from notifications.samples import sample_data
from qn_ingest.services import ingest_run
from tests.factories import MemberFactory, NotificationFactory

pytestmark = pytest.mark.django_db
ADDRESS = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


@pytest.fixture(autouse=True)
def memory_email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_app_loggers_follow_app_log_level():
    for name in ("notifications", "qn_ingest", "members"):
        assert settings.LOGGING["loggers"][name]["level"] == settings.APP_LOG_LEVEL


def test_a_delivery_logs_one_line_with_outcome_kind_and_duration_but_no_address(caplog):
    member = MemberFactory(name="alice", email="alice.private@example.org")
    notification = NotificationFactory(
        member=member, kind="FORUM_POST_REPLY", data=sample_data("FORUM_POST_REPLY")
    )

    with caplog.at_level(logging.INFO, logger="notifications"):
        notification_deliver(notification_id=notification.id)

    [line] = [r.getMessage() for r in caplog.records if r.name == "notifications.delivery"]
    expected = rf"Email SENT: notification {notification.id} \(FORUM_POST_REPLY\), .* in \d+\.\d\ds"
    assert re.fullmatch(expected, line)
    assert not ADDRESS.search(line)


def test_an_ingest_run_logs_one_line_with_counts_and_duration(caplog, fake_query_node):
    data = fake_query_node.data
    data.member(1, handle="alice")
    MemberFactory(id=1, name="alice", email="alice.private@example.org")
    thread = data.thread(author=1, category=data.category("General"), title="Plan", event=False)
    data.post(thread=thread, author=data.member(2, handle="bob"), text="Reply")

    with caplog.at_level(logging.INFO, logger="qn_ingest"):
        ingest_run()

    lines = [r.getMessage() for r in caplog.records if r.name.startswith("qn_ingest")]
    assert len(lines) == 1
    assert re.search(r"1 events .* 1 notifications \(1 to email\) in \d+\.\d\ds", lines[0])
    assert not ADDRESS.search(lines[0])
