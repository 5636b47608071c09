"""The whole system as separate processes (see conftest.py), used only over HTTP and SMTP."""

from __future__ import annotations

import re
import time

import pytest
from substrateinterface import Keypair

from tests.e2e.services import emails_to

pytestmark = pytest.mark.e2e

JOYSTREAM_SS58_PREFIX = 126
ALICE = Keypair.create_from_uri("//Alice", ss58_format=JOYSTREAM_SS58_PREFIX)
BOB = Keypair.create_from_uri("//Bob", ss58_format=JOYSTREAM_SS58_PREFIX)
DELIVERY_TIMEOUT = 45

SIGNUP = """
mutation RegisterBackendMember(
  $id: Int!, $name: String!, $email: String!, $signature: String!, $timestamp: BigInt!
) {
  signup(memberId: $id, name: $name, email: $email, signature: $signature, timestamp: $timestamp)
}
"""
VERIFY_EMAIL = """
mutation ConfirmBackendEmail($token: String!) { verifyEmail(token: $token) { id email unverifiedEmail } }
"""
WATCH = """
mutation Watch($entityId: String!) {
  entitySubscription(kind: FORUM_THREAD_ENTITY_POST, entityId: $entityId, status: WATCH) { id status }
}
"""
NOTIFICATIONS = "query { notifications { id kind entityId emailStatus } }"


def sign_up(system, *, member_id: int, name: str, email: str, key: Keypair) -> str:
    """Sign up with a real signature of "<memberId>:<timestamp>"; verify the email through the
    link of the verification email; return the auth token."""
    timestamp = int(time.time() * 1000)
    signature = "0x" + key.sign(f"{member_id}:{timestamp}".encode()).hex()
    # The UI sends the timestamp as a string (BigInt).
    variables = {"id": member_id, "name": name, "email": email, "signature": signature}
    token = system.api(SIGNUP, {**variables, "timestamp": str(timestamp)})["signup"]
    assert token

    [verification] = system.wait(
        lambda: emails_to(system.mail_dir, email), timeout=DELIVERY_TIMEOUT, what=f"the email to {email}"
    )
    link = re.search(r"\S+emailVerificationToken=[\w.\-]+", verification.text).group(0)
    assert link.startswith("https://pioneer.e2e.test/#/settings?emailVerificationToken=")
    verified = system.api(VERIFY_EMAIL, {"token": link.rsplit("=", 1)[1]})["verifyEmail"]
    assert verified == {"id": member_id, "email": email, "unverifiedEmail": None}
    return token


def completed_sweeps(worker) -> int:
    return len(re.findall(r"Task notifications\.sweep_pending\[\S+\] succeeded", worker.log_tail(100_000)))


def mention(member_id: int, label: str) -> str:
    return f"[@{label}](#mention?member-id={member_id})"


def test_a_member_signs_up_watches_a_thread_and_gets_both_emails(system):
    # given: the chain knows Alice (controller //Alice) and Bob, and a thread Alice does not own
    qn = system.query_node
    qn.member(id=1, handle="alice", controller_account=ALICE.ss58_address)
    qn.member(id=2, handle="bob", controller_account=BOB.ss58_address)
    qn.category(id="100", title="Governance")
    qn.thread(id="110", author="2", category="100", title="Budget for Q3", text="Let's plan", event=False)
    qn.thread(id="120", author="2", category="100", title="Validator news", text="News", event=False)

    token = sign_up(system, member_id=1, name="alice", email="alice@e2e.test", key=ALICE)
    assert system.api(WATCH, {"entityId": "110"}, token=token)["entitySubscription"]["status"] == "WATCH"

    # when: Bob posts in the watched thread, and mentions Alice in another one
    events_before = qn.event_count()
    qn.post(id="111", thread="110", author="2", text="Here is the draft budget")
    qn.post(id="121", thread="120", author="2", text=f"{mention(1, 'alice')} what do you think?")
    system.wait(lambda: qn.event_count() == events_before + 2, timeout=10, what="the posts are published")

    # then: both emails arrive with the exact links, and the feed lists both as SENT
    def alice_post_emails():
        mails = [m for m in emails_to(system.mail_dir, "alice@e2e.test") if "forum/thread" in m.text]
        return mails if len(mails) >= 2 else None

    mails = system.wait(alice_post_emails, timeout=DELIVERY_TIMEOUT, what="two notification emails to Alice")
    assert len(mails) == 2
    by_subject = {("Budget for Q3" in m.subject, "Validator news" in m.subject): m for m in mails}
    watched, mentioned = by_subject[(True, False)], by_subject[(False, True)]
    assert "https://pioneer.e2e.test/#/forum/thread/110?post=111" in watched.text
    assert "https://pioneer.e2e.test/#/forum/thread/110?post=111" in watched.html
    assert "https://pioneer.e2e.test/#/forum/thread/120?post=121" in mentioned.text
    assert "https://pioneer.e2e.test/#/forum/thread/120?post=121" in mentioned.html

    def feed_all_sent():
        feed = system.api(NOTIFICATIONS, token=token)["notifications"]
        return feed if len(feed) == 2 and all(n["emailStatus"] == "SENT" for n in feed) else None

    feed = system.wait(feed_all_sent, timeout=DELIVERY_TIMEOUT, what="both notifications SENT in the feed")
    assert {(n["kind"], n["entityId"]) for n in feed} == {
        ("FORUM_THREAD_ENTITY_POST", "111"),
        ("FORUM_POST_MENTION", "121"),
    }


def test_every_email_arrives_exactly_once_when_the_worker_is_killed_mid_delivery(system):
    # given: Carol (controller //Bob) signed up; the SMTP server is slow to accept
    qn = system.query_node
    qn.member(id=3, handle="carol", controller_account=BOB.ss58_address)
    qn.member(id=4, handle="dan", controller_account="j4dan")
    qn.category(id="390", title="Lounge")
    token = sign_up(system, member_id=3, name="carol", email="carol@e2e.test", key=BOB)
    system.set_mail_hold(1.5)
    post_ids = [f"3{n}1" for n in range(5)]
    for n, post_id in enumerate(post_ids):
        qn.thread(id=f"3{n}0", author="4", category="390", title=f"Topic {n}", event=False)
        qn.post(id=post_id, thread=f"3{n}0", author="4", text=f"{mention(3, 'carol')} see topic {n}")

    # when: the worker is killed while it is handing an email to the SMTP server
    holding = system.mail_dir / "holding"
    system.wait(lambda: any(holding.iterdir()), timeout=DELIVERY_TIMEOUT, what="a delivery in flight")
    system.processes.kill(system.worker)
    statuses = [n["emailStatus"] for n in system.api(NOTIFICATIONS, token=token)["notifications"]]
    assert "PENDING" in statuses, "the kill must leave emails pending"
    system.set_mail_hold(0)
    system.start_worker()

    # then: every email arrives, and none twice, also after the sweeper has run again
    def carol_post_emails():
        mails = [m for m in emails_to(system.mail_dir, "carol@e2e.test") if "forum/thread" in m.text]
        return mails if len(mails) >= len(post_ids) else None

    system.wait(carol_post_emails, timeout=DELIVERY_TIMEOUT, what="all five emails to Carol")

    def all_sent():
        feed = system.api(NOTIFICATIONS, token=token)["notifications"]
        return len(feed) == len(post_ids) and all(n["emailStatus"] == "SENT" for n in feed)

    system.wait(all_sent, timeout=DELIVERY_TIMEOUT, what="all of Carol's notifications SENT")
    sweeps_before = completed_sweeps(system.worker)
    system.wait(
        lambda: completed_sweeps(system.worker) > sweeps_before, timeout=20, what="the sweeper runs again"
    )
    links = sorted(
        re.search(r"/#/forum/thread/\d+\?post=\d+", m.text).group(0)
        for m in emails_to(system.mail_dir, "carol@e2e.test")
        if "forum/thread" in m.text
    )
    assert links == sorted(f"/#/forum/thread/{p[:-1]}0?post={p}" for p in post_ids)
