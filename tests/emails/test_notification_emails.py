"""Every kind's email as delivered: subject, exact link, greeting, unsubscribe header and footer."""

import pytest
from django.core import mail

from notifications.delivery import DeliveryOutcome, notification_deliver
from notifications.emails import notification_email_render
from notifications.models import EmailStatus
from notifications.presentation import kind_family
from notifications.samples import sample_data
from notifications.unsubscribe import unsubscribe_token_decode
from subscriptions.kinds import NotificationKind
from tests.emails.conftest import PIONEER_URL, PUBLIC_URL
from tests.factories import MemberFactory, NotificationFactory

THREAD_LINK = f"{PIONEER_URL}/#/forum/thread/412"
EXPECTED = {
    "forum_post": ("Storage provider rewards for Q3", f"{THREAD_LINK}?post=5120"),
    "forum_thread": ("Storage provider rewards for Q3", THREAD_LINK),
    "proposal_discussion": (
        "Fund the Pioneer 2.1 release",
        f"{PIONEER_URL}/#/proposals/preview/285?post=3091",
    ),
    **{
        family: ("Fund the Pioneer 2.1 release", f"{PIONEER_URL}/#/proposals/preview/285")
        for family in ("proposal", "proposal_vote", "proposal_council")
    },
    "council": ("council", f"{PIONEER_URL}/#/council"),
    "election_candidacy": ("bedeho announced their candidacy", f"{PIONEER_URL}/#/election"),
    "wg_opening": ("Storage", f"{PIONEER_URL}/#/working-groups/openings/storageWorkingGroup-21"),
    "working_group": ("Storage", f"{PIONEER_URL}/#/working-groups/storage"),
}
STAGES = {
    "ELECTION_ANNOUNCING_STARTED": "announcing",
    "ELECTION_VOTING_STARTED": "voting",
    "ELECTION_REVEALING_STARTED": "revealing",
    "ELECTION_REVEALING_VOTER": "reveal your vote",
}
FOOTER_LINKS = (
    f"{PIONEER_URL}/#/council",
    f"{PIONEER_URL}/#/proposals",
    f"{PIONEER_URL}/#/forum",
    "https://www.joystream.org",
    f"{PIONEER_URL}/#/settings",
)


def expected_for(kind: str) -> tuple[str, str]:
    if kind in STAGES:
        return STAGES[kind], f"{PIONEER_URL}/#/election"
    return EXPECTED[kind_family(kind).name]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", NotificationKind.values)
def test_each_kind_is_delivered_as_a_complete_email(kind):
    # given
    member = MemberFactory(name="Ada Lovelace", email="ada@example.org")
    notification = NotificationFactory(member=member, kind=kind, data=sample_data(kind), entity_id="7")
    title, link = expected_for(kind)

    # when
    outcome = notification_deliver(notification_id=notification.id)

    # then
    assert outcome == DeliveryOutcome.SENT
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.SENT and notification.sent_at is not None
    [message] = mail.outbox
    assert message.to == ["ada@example.org"]
    assert title in message.subject
    html = message.alternatives[0][0]
    assert message.alternatives[0][1] == "text/html"
    for body in (message.body, html):
        assert link in body
        assert "Hi Ada Lovelace," in body
        for footer_link in FOOTER_LINKS:
            assert footer_link in body
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith(f"<{PUBLIC_URL}/unsubscribe/") and unsubscribe.endswith(">")
    unsubscribe_url = unsubscribe[1:-1]
    assert unsubscribe_url in message.body and unsubscribe_url in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    claim = unsubscribe_token_decode(unsubscribe_url.rsplit("/", 1)[1])
    assert (claim.member_id, claim.kind) == (member.id, kind)


def test_member_content_is_escaped_in_html_and_kept_verbatim_in_text(settings):
    data = {
        "author": {"handle": "mallory"},
        "thread": {"id": "1", "title": "<script>alert(1)</script> & more"},
        "post": {"id": "2", "excerpt": "a <b>bold</b> claim"},
    }
    email = notification_email_render(
        kind="FORUM_POST_ALL", data=data, member_name="<Eve>", unsubscribe_url=f"{PUBLIC_URL}/unsubscribe/x"
    )
    assert "<script>" not in email.html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in email.html
    assert "&lt;Eve&gt;" in email.html
    assert "<script>alert(1)</script> & more" in email.subject
    assert "Hi <Eve>," in email.text and "> a <b>bold</b> claim" in email.text


def test_html_needs_no_external_resources():
    email = notification_email_render(
        kind="FORUM_POST_MENTION",
        data=sample_data("FORUM_POST_MENTION"),
        member_name="Ada",
        unsubscribe_url=f"{PUBLIC_URL}/unsubscribe/x",
    )
    assert "<link" not in email.html and "<img" not in email.html and "<style" not in email.html
    assert 'role="presentation"' in email.html
    # the preheader carries the post excerpt, hidden from the body
    assert "display:none" in email.html and "Thanks for the detailed write-up" in email.html


def test_mailto_unsubscribe_is_added_when_configured(settings):
    settings.EMAIL_UNSUBSCRIBE_MAILTO = "unsubscribe@example.org"
    email = notification_email_render(
        kind="ELECTION_VOTING_STARTED",
        data={},
        member_name="Ada",
        unsubscribe_url=f"{PUBLIC_URL}/unsubscribe/x",
    )
    assert email.headers["List-Unsubscribe"] == (
        f"<{PUBLIC_URL}/unsubscribe/x>, <mailto:unsubscribe@example.org?subject=unsubscribe>"
    )
    assert email.subject == "Council election: the voting period has started"


def test_long_titles_give_a_one_line_subject():
    data = {"thread": {"id": "1", "title": "word\nbreak " * 40}, "author": {"handle": "bob"}}
    email = notification_email_render(
        kind="FORUM_THREAD_ALL", data=data, member_name="Ada", unsubscribe_url=""
    )
    assert "\n" not in email.subject and len(email.subject) <= 160
