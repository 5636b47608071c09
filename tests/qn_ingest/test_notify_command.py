"""`manage.py notify` (docs/api-contract.md, "Commands") against the fake query node."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from notifications.models import EmailStatus, Notification
from qn_ingest.management.commands.notify import Command
from qn_ingest.models import IngestCursor
from tests.factories import MemberFactory, NotificationFactory


@pytest.fixture
def three_posts(fake_query_node, db):
    data = fake_query_node.data
    MemberFactory(id=1, name="alice")
    alice, bob = data.member(1, handle="alice"), data.member(2, handle="bob")
    thread = data.thread(author=alice, category=data.category("Lobby"), event=False)
    return [data.post(thread=thread, author=bob, text=str(i), block=10 + i).event.id for i in range(3)]


def test_notify_prints_a_line_per_page_and_a_summary(three_posts, settings):
    settings.INGEST_PAGE_SIZE = 2
    out = StringIO()

    call_command("notify", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0] == "page 1: block 11 reached, 2 events, 2 notifications"
    assert lines[1] == "page 2: block 12 reached, 1 events, 1 notifications"
    assert lines[2].startswith("Ingest done: block 12 reached, 3 events, 3 notifications (3 to email)")
    assert lines[-1].startswith("Delivery done: ")
    assert Notification.objects.count() == 3


def test_notify_exits_non_zero_with_one_line_when_the_query_node_is_down(
    transactional_db, fake_query_node, settings, capsys
):
    # transactional_db: run_from_argv closes the database connections when it ends
    fake_query_node.data.election_stage("VOTING")
    settings.QUERY_NODE_MAX_ATTEMPTS = 2
    fake_query_node.fail_always("500")

    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(["manage.py", "notify"])

    assert exited.value.code != 0
    err = capsys.readouterr().err
    # (the retry warnings are log records; the reason itself is one line)
    reasons = [line for line in err.splitlines() if line.startswith("CommandError:")]
    assert len(reasons) == 1, err
    assert "cannot read the query node" in reasons[0] and "after 2 attempts" in reasons[0]
    assert "Traceback" not in err
    assert not IngestCursor.objects.exists()


def test_notify_still_delivers_waiting_emails_when_the_query_node_is_down(
    transactional_db, fake_query_node, settings, capsys
):
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    settings.QUERY_NODE_MAX_ATTEMPTS = 1
    waiting = NotificationFactory(member=MemberFactory(id=5, name="eve"), email_status=EmailStatus.PENDING)
    fake_query_node.fail_always("500")

    with pytest.raises(SystemExit):
        Command().run_from_argv(["manage.py", "notify"])

    waiting.refresh_from_db()
    assert waiting.email_status == EmailStatus.SENT
    assert "Delivery done: 1 attempted, 1 sent" in capsys.readouterr().out


def test_notify_help_describes_the_command():
    assert "STARTING_BLOCK" in Command.help and "PENDING" in Command.help
