"""The per-event render cache (notifications.email_render_cache) makes the very email the
plain render makes, for every kind, whatever the member's name and links hold."""

import pytest

from notifications.email_render_cache import NotificationEmailRenderCache
from notifications.emails import notification_email_render
from notifications.samples import sample_data, sample_kinds

MEMBERS = [
    # name, unsubscribe link, preferences link
    (
        "alice",
        "https://notify.example.org/unsubscribe/abc:def/",
        "https://notify.example.org/preferences/x:y/",
    ),
    ('Bob <b>&amp; "Co" \'s', "https://n.example/u/?a=1&b=<2>", ""),
    ("", "", "https://n.example/p/?t=1&u=2"),
]


@pytest.mark.parametrize("kind", sample_kinds())
def test_the_cached_render_is_the_plain_render_for_every_kind_and_member(kind):
    cache = NotificationEmailRenderCache()
    data = sample_data(kind)
    for _ in range(2):  # the second round comes from the cache
        for name, unsubscribe, preferences in MEMBERS:
            arguments = dict(
                kind=kind,
                data=data,
                member_name=name,
                unsubscribe_url=unsubscribe,
                preferences_url=preferences,
            )
            assert cache.render(**arguments) == notification_email_render(**arguments)


def test_one_render_per_event_and_links_present(monkeypatch):
    renders = []
    real = notification_email_render
    monkeypatch.setattr(
        "notifications.email_render_cache.notification_email_render",
        lambda **kwargs: renders.append(kwargs["kind"]) or real(**kwargs),
    )
    cache = NotificationEmailRenderCache()
    reply, mention = sample_data("FORUM_POST_REPLY"), sample_data("FORUM_POST_MENTION")
    for member in range(10):
        cache.render(
            kind="FORUM_POST_REPLY", data=reply, member_name=f"m{member}", unsubscribe_url=f"u{member}"
        )
    cache.render(kind="FORUM_POST_MENTION", data=mention, member_name="m", unsubscribe_url="u")
    # a member without the preferences link gets an email without its line: another skeleton
    cache.render(
        kind="FORUM_POST_REPLY", data=reply, member_name="m", unsubscribe_url="u", preferences_url="p"
    )
    assert renders == ["FORUM_POST_REPLY", "FORUM_POST_MENTION", "FORUM_POST_REPLY"]
