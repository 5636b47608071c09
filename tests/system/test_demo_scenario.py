"""The `make demo` script reaches both demo members, each through several rules, and its emails
land as files, as in var/demo/mail."""

from __future__ import annotations

from email import message_from_string
from email.header import decode_header, make_header
from pathlib import Path

from members.services import initial_memberships_parse, members_upsert_initial
from notifications.delivery import notifications_deliver_pending
from notifications.models import EmailStatus, Notification
from pioneer.runner import DEMO_MEMBERS
from qn_ingest.fake_chain import FakeChainNode
from qn_ingest.fake_node.demo_scenario import build_world, script
from qn_ingest.fake_node.scenarios import SCENARIOS
from qn_ingest.services import ingest_run

ELECTION_KINDS = {"ELECTION_ANNOUNCING_STARTED", "ELECTION_VOTING_STARTED", "ELECTION_REVEALING_STARTED"}
# Django's file backend writes each message, then a line of 79 dashes.
FILE_MAIL_SEPARATOR = "\n" + "-" * 79 + "\n"


def _unfolded(header: str) -> str:
    return " ".join(str(make_header(decode_header(header))).split())


def mail_in(directory: Path) -> list[tuple[str, str]]:
    """(recipient, subject) of every email the file backend wrote to `directory`."""
    messages = [
        message_from_string(chunk)
        for path in sorted(directory.iterdir())
        for chunk in path.read_text().split(FILE_MAIL_SEPARATOR)
        if chunk.strip()
    ]
    return [(message["To"], _unfolded(message["Subject"])) for message in messages]


def test_demo_is_a_registered_scenario():
    assert "demo" in SCENARIOS


def test_the_demo_script_notifies_both_demo_members_by_email(db, fake_query_node, settings, tmp_path):
    # given: the demo world, the demo members registered as `make demo` does
    members_upsert_initial(memberships=initial_memberships_parse(DEMO_MEMBERS))
    data = fake_query_node.data
    world = build_world(data)

    # when: every scripted action happens, then one ingest runs
    for action in script(data, world):
        action()
    summary = ingest_run()

    # then
    kinds = {
        member_id: set(Notification.objects.filter(member_id=member_id).values_list("kind", flat=True))
        for member_id in (1, 2)
    }
    # alice voted: the revealing stage reaches her as a voter
    assert kinds[1] == {
        "FORUM_POST_REPLY",
        "FORUM_THREAD_CREATOR",
        "FORUM_THREAD_MENTION",
        "PROPOSAL_DISCUSSION_MENTION",
        "ELECTION_REVEALING_VOTER",
        "ELECTION_COUNCIL_ELECTED_ME",
    } | ELECTION_KINDS - {"ELECTION_REVEALING_STARTED"}
    assert (
        kinds[2]
        == {
            "FORUM_POST_MENTION",
            "PROPOSAL_DISCUSSION_CREATOR",
            "FORUM_THREAD_CONTRIBUTOR",
            "FORUM_POST_REPLY",
            "WG_OPENING_WORKER",
            "WG_APPLICATION_WORKER",
            "WG_BUDGET_UPDATE_WORKER",
            "WG_SPENDING_WORKER",
            "ELECTION_COUNCIL_ELECTED",
        }
        | ELECTION_KINDS
    )
    assert summary.notifications == Notification.objects.count()
    assert set(Notification.objects.values_list("email_status", flat=True)) == {EmailStatus.PENDING}

    # and when the delivery pass runs with the demo's file backend, the working-group and
    # council emails are among the files an operator finds in var/demo/mail
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    assert notifications_deliver_pending().sent == Notification.objects.count()
    mail = mail_in(tmp_path)
    assert len(mail) == Notification.objects.count()
    assert ("bob@example.org", "New opening in your group Forum: Forum moderator, weekend shifts") in mail
    assert ("bob@example.org", "The budget of your group Forum changed by +25,000 JOY") in mail
    assert ("alice@example.org", "Congratulations: you were elected to the council") in mail
    assert ("bob@example.org", "Council election: a new council has been elected") in mail


def test_the_demo_shows_deadline_reminders_with_a_chain_that_follows_its_blocks(
    db, fake_query_node, settings
):
    # given: the demo world and members, and a fake chain whose head is the demo's newest block,
    # as `make demo` runs them
    members_upsert_initial(memberships=initial_memberships_parse(DEMO_MEMBERS))
    data = fake_query_node.data
    world = build_world(data)
    with FakeChainNode(head=lambda: data.head) as chain:
        settings.CHAIN_RPC_URL = chain.url

        # when: an ingest runs after every scripted action (beat runs it every few seconds)
        for action in script(data, world):
            action()
            ingest_run()

    # then: bob, who did not vote, is reminded to vote; alice, who voted, to reveal
    reminders = Notification.objects.filter(event_id__startswith="reminder:")
    assert sorted(reminders.values_list("member_id", "kind")) == [
        (1, "ELECTION_REVEALING_LAST_DAY_VOTER"),
        (2, "ELECTION_VOTING_LAST_DAY"),
    ]
    assert set(reminders.values_list("email_status", flat=True)) == {EmailStatus.PENDING}
