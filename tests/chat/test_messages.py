"""What a chat message says: the same words and link as the email, member text kept inert."""

from chat.messages import chat_message_for
from notifications.emails import notification_email_context
from notifications.samples import sample_data


def test_title_paragraph_and_link_are_the_emails():
    data = sample_data("ELECTION_VOTING_STARTED")
    message = chat_message_for("ELECTION_VOTING_STARTED", data)
    email = notification_email_context(
        kind="ELECTION_VOTING_STARTED", data=data, member_name="a", unsubscribe_url=""
    )
    assert message.title == email["subject_line"]
    assert message.body.startswith(email["detail"][:40])
    assert message.body.endswith(f"[Open in Pioneer]({email['cta_url']})")


def test_member_text_cannot_format_link_or_ping():
    data = {
        "author": {"id": 2, "handle": "mallory"},
        "thread": {"id": "5", "title": "@everyone look"},
        "post": {"id": "9", "excerpt": "# [click](https://evil.example) *now* @here <@123>"},
    }
    message = chat_message_for("FORUM_POST_MENTION", data)
    paragraph = message.body.split("\n\n")[0]
    assert paragraph == "\\# \\[click\\](https://evil.example) \\*now\\* @\u200bhere \\<@123\\>"
    assert "@everyone" not in message.title


def test_a_long_excerpt_is_one_short_paragraph():
    data = {"post": {"id": "1", "excerpt": "word " * 200}, "thread": {"id": "2", "title": "T"}}
    paragraph = chat_message_for("FORUM_POST_ALL", data).body.split("\n\n")[0]
    assert len(paragraph) <= 300 and paragraph.endswith("…")
