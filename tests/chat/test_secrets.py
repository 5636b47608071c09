"""A channel's token never leaves encrypted storage: not in raw rows, the API or the logs."""

import logging

import pytest
from cryptography.fernet import Fernet
from django.db import connection

from chat.delivery import chat_deliver_pending
from chat.fanout import chat_deliveries_create
from chat.models import ChatChannel
from chat.secrets import url_decrypt, url_encrypt
from notifications.samples import sample_data
from tests.chat.helpers import CHANNELS, add_and_confirm
from tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db

TOKEN = "hook-token-0123456789"
PASSWORD = "pw-secret-42"
CHAT_TABLES = ("chat_chatchannel", "chat_chatdelivery", "chat_communitychannel", "chat_communitypost")


def raw_rows() -> str:
    with connection.cursor() as cursor:
        text = []
        for table in CHAT_TABLES:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
            text.append(repr(cursor.fetchall()))
    return "\n".join(text)


def test_the_token_is_absent_from_rows_api_and_logs(member, member_api_client, sink, caplog, capsys):
    caplog.set_level(logging.DEBUG)
    channel = add_and_confirm(member_api_client, sink, token=TOKEN, password=PASSWORD)
    notification = NotificationFactory(member=member, data=sample_data("FORUM_POST_MENTION"))
    chat_deliveries_create(notification_ids=[notification.id])
    sink.always = 404  # a failure, so that Apprise's log of it is stored and logged too
    chat_deliver_pending()
    sink.always = None

    listed = member_api_client.execute(CHANNELS)["chatChannels"]

    assert listed[0]["id"] == channel["id"] and "404" in listed[0]["lastError"]
    everything = "\n".join([raw_rows(), repr(listed), caplog.text, *capsys.readouterr()])
    assert TOKEN not in everything
    assert PASSWORD not in everything
    assert sink.posts[-1].path == f"/hooks/{TOKEN}"  # the real URL was used all the same


def test_url_encryption_round_trips_and_rotates(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.CHAT_ENCRYPTION_KEY = old
    stored = url_encrypt("discord://1/secret")
    assert "secret" not in stored
    settings.CHAT_ENCRYPTION_KEY = f"{new},{old}"  # rotation: the new key first, the old still opens
    assert url_decrypt(stored) == "discord://1/secret"
    settings.CHAT_ENCRYPTION_KEY = new
    with pytest.raises(ValueError, match="cannot be decrypted"):
        url_decrypt(stored)


def test_without_a_key_the_url_is_encrypted_with_one_derived_from_the_secret_key(settings):
    settings.CHAT_ENCRYPTION_KEY = ""
    stored = url_encrypt("discord://1/secret")
    settings.SECRET_KEY = "another-secret-key-of-some-length-000"
    with pytest.raises(ValueError):
        url_decrypt(stored)


def test_the_admin_never_shows_the_url(admin_client, member, sink):
    from tests.chat.helpers import active_channel

    channel = active_channel(member, sink, token=TOKEN)
    page = admin_client.get(f"/admin/chat/chatchannel/{channel.id}/change/").content.decode()
    assert "json://127.0.0.1" in page
    assert TOKEN not in page and channel.url_encrypted not in page
    assert ChatChannel.objects.get().url_encrypted != sink.url(TOKEN)
