"""Mention parsing, role resolution and the plain-text excerpt (no database)."""

from __future__ import annotations

from qn_ingest.events import Roles, Worker
from qn_ingest.mentions import EXCERPT_MAX_LENGTH, markdown_plain_text, mentioned_member_ids

ROLES = Roles(
    council_member_ids=frozenset({10, 11}),
    workers=(
        Worker(20, "forumWorkingGroup", True),
        Worker(21, "forumWorkingGroup", False),
        Worker(22, "storageWorkingGroup", True),
    ),
)


def test_member_mentions_are_a_set():
    text = (
        "[@alice](#mention?member-id=1) and again [@alice](#mention?member-id=1), "
        "[@bob](#mention?member-id=2)"
    )
    assert mentioned_member_ids(text, ROLES) == {1, 2}


def test_roles_resolve_against_current_roles():
    def ids(role: str) -> frozenset[int]:
        return mentioned_member_ids(f"[@{role}](#mention?role={role})", ROLES)

    assert ids("dao") == {10, 11, 20, 21, 22}
    assert ids("council") == {10, 11}
    assert ids("workers_forumWorkingGroup") == {20, 21}
    assert ids("leads") == {20, 22}
    assert ids("lead_storageWorkingGroup") == {22}
    assert ids("lead_forumWorkingGroup") == {20}
    for unknown in ("admins", "workers_", "lead_", "workers_nope", "DAO", ""):
        assert ids(unknown) == frozenset(), unknown


def test_malformed_mentions_mention_nobody():
    malformed = [
        "",
        "[@x](#mention?member-id=abc)",
        "[@x](#mention?member-id=-3)",
        "[@x](#mention?member-id=12345678901234567890123)",
        "[@x](#mention?member-id=1",  # unclosed
        "[@x(#mention?member-id=1)",
        "[@x](mention?member-id=1)",  # not a mention anchor
        "[@x](#mention?)",
        "[@x](#mention?role=)",
        "[[[[[[" * 5000 + "](#mention?member-id=1",
        "\x00\ufffd[@x](#mention?member-id=1.5)",
    ]
    for text in malformed:
        assert mentioned_member_ids(text, ROLES) == frozenset(), text[:60]


def test_a_mention_inside_a_full_pioneer_url_still_counts():
    text = "see [@carol](https://pioneer.example/#mention?member-id=3)"
    assert mentioned_member_ids(text, ROLES) == {3}


def test_excerpt_renders_mentions_and_drops_markdown():
    text = (
        "# Title\n\n**Bold** and _it_ [@alice](#mention?member-id=1) with a [link](https://x.y) "
        "and ![pic](https://x.y/p.png)\n> quoted\n- item `code`"
    )
    assert markdown_plain_text(text) == "Title Bold and _it_ @alice with a link and pic quoted item code"


def test_excerpt_is_at_most_300_characters():
    excerpt = markdown_plain_text("word " * 500)
    assert len(excerpt) <= EXCERPT_MAX_LENGTH
    assert excerpt.endswith("…")
    assert markdown_plain_text("short") == "short"


def test_member_ids_a_member_cannot_have_mention_nobody():
    # Member ids are stored as signed 64-bit integers: a larger one can be no registered
    # member, and handing it to the database overflows (SQLite raises, stalling the ingest).
    too_big = 2**63
    assert mentioned_member_ids(f"[@x](#mention?member-id={too_big})", ROLES) == frozenset()
    assert mentioned_member_ids(f"[@x](#mention?member-id={too_big - 1})", ROLES) == {too_big - 1}
    # Only ASCII digits: int() would read Arabic-Indic or full-width digits as member 42,
    # while Pioneer shows no mention of member 42.
    for digits in ("\u0664\u0662", "\uff14\uff12"):
        assert mentioned_member_ids(f"[@x](#mention?member-id={digits})", ROLES) == frozenset(), digits
