"""A post's text comes from anyone on chain: no mention in it may stop a page from being planned."""

from __future__ import annotations

from tests.factories import MemberFactory
from tests.planning.builders import forum_post, kinds_by_member, mention, plan


def test_a_mention_of_an_impossible_member_id_does_not_break_the_page(db):
    MemberFactory(id=5)

    drafts = plan([forum_post(text=f"{mention(2**63 + 1)} {mention(9999999999999999999)} {mention(5)}")])

    assert kinds_by_member(drafts) == {5: "FORUM_POST_MENTION"}
