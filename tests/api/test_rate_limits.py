"""Issue 14, finding 2: rate limits per client address (tests/members/test_rate_limits.py: the
verification emails' limits per member and per target address).

Each run of a limited operation counts, so aliases in one request count one by one. The
counts live in Redis when the cache is Redis, else in a table (pioneer/rate_limit_windows.py);
the last tests run both.
"""

import pytest
from django.db import models

from tests.conftest import error_messages
from tests.services import redis_url

MEMBER_EXIST = "query ($id: Int) { memberExist(id: $id) }"


def assert_rate_limited(error: dict) -> None:
    """The refusal says RATE_LIMITED and how long to wait, in the message and in extensions."""
    assert error["extensions"]["code"] == "RATE_LIMITED"
    wait = error["extensions"]["retryAfter"]
    assert isinstance(wait, int) and wait >= 1
    assert error["message"] == f"Too many requests: try again in {wait} seconds"


def test_member_exist_is_limited_per_client_address(api_client, settings):
    settings.RATE_LIMIT_MEMBER_EXIST = "3/m"

    answers = [api_client.post(MEMBER_EXIST, {"id": 1}, REMOTE_ADDR="203.0.113.7") for _ in range(4)]

    assert [answer["data"]["memberExist"] for answer in answers[:3]] == [False, False, False]
    assert_rate_limited(answers[3]["errors"][0])
    # Another client is not affected.
    assert api_client.execute(MEMBER_EXIST, {"id": 1}, REMOTE_ADDR="203.0.113.8") == {"memberExist": False}


def test_aliases_of_one_operation_count_one_by_one(api_client, settings):
    settings.RATE_LIMIT_MEMBER_EXIST = "3/m"

    result = api_client.post(
        "{ a: memberExist(id: 1) b: memberExist(id: 2) c: memberExist(id: 3) d: memberExist(id: 4) }"
    )

    assert result["data"] == {"a": False, "b": False, "c": False, "d": None}
    [error] = result["errors"]
    assert error["path"] == ["d"]
    assert_rate_limited(error)


def test_x_forwarded_for_is_ignored_unless_the_proxy_is_trusted(api_client, settings):
    settings.RATE_LIMIT_MEMBER_EXIST = "1/m"

    def ask(forwarded_for: str) -> dict:
        return api_client.post(
            MEMBER_EXIST, {"id": 1}, REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR=forwarded_for
        )

    assert "errors" not in ask("192.0.2.1")
    # A client cannot escape its limit by inventing a forwarded address.
    assert_rate_limited(ask("192.0.2.2")["errors"][0])


def test_behind_a_trusted_proxy_the_forwarded_client_counts(api_client, settings):
    from pioneer.settings_checks import trusted_proxy_networks

    settings.RATE_LIMIT_MEMBER_EXIST = "1/m"
    settings.TRUSTED_PROXY_NETWORKS = trusted_proxy_networks(["10.0.0.0/8"])

    def ask(forwarded_for: str) -> dict:
        return api_client.post(
            MEMBER_EXIST, {"id": 1}, REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR=forwarded_for
        )

    assert "errors" not in ask("192.0.2.1")
    # The entry the trusted proxy appended is the client; what the client wrote before it is not.
    assert "errors" not in ask("6.6.6.6, 192.0.2.2")
    assert_rate_limited(ask("192.0.2.1")["errors"][0])


@pytest.mark.django_db(transaction=True)
def test_limits_count_in_a_table_of_windows_without_a_redis_cache(api_client, settings):
    from members.models import RateLimitWindow

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "pioneer_cache"}
    }
    settings.RATE_LIMIT_MEMBER_EXIST = "2/m"

    answers = [api_client.post(MEMBER_EXIST, {"id": 1}, REMOTE_ADDR="198.51.100.4") for _ in range(3)]

    assert ["errors" in answer for answer in answers] == [False, False, True]
    assert_rate_limited(answers[2]["errors"][0])
    [window] = RateLimitWindow.objects.all()
    assert window.count == 2
    assert "198.51.100.4" not in window.bucket  # the key is stored hashed


def _spend(key: str, rate: str = "2/h") -> bool:
    from pioneer.errors import DomainError
    from pioneer.rate_limits import Spend, rate_limits_spend

    try:
        rate_limits_spend(Spend(group="test", rate=rate, key=key))
    except DomainError:
        return False
    return True


@pytest.mark.django_db
def test_many_keys_counting_at_once_keep_every_limit():
    """Django's database cache culled a third of its entries past 300: most limits reached by
    these 100 keys were forgotten once 400 others had counted."""
    for victim in range(100):
        assert _spend(f"victim-{victim}") and _spend(f"victim-{victim}")
    for other in range(400):
        _spend(f"other-{other}")

    assert [_spend(f"victim-{victim}") for victim in range(100)] == [False] * 100


@pytest.mark.django_db
def test_a_new_window_counts_from_zero_and_ended_windows_are_deleted():
    from members.models import RateLimitWindow

    assert _spend("a", "1/h") and _spend("b", "1/h")
    assert not _spend("a", "1/h")
    # Both windows end (as if an hour had passed): the next use of "a" starts a new window, and
    # the ended one of "b" is deleted with it.
    RateLimitWindow.objects.update(window_end=models.F("window_end") - 3600)

    assert _spend("a", "1/h")
    assert RateLimitWindow.objects.count() == 1
    assert RateLimitWindow.objects.get().count == 1


@pytest.mark.django_db
def test_uses_spent_in_a_transaction_that_rolls_back_are_not_counted():
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        assert _spend("rolled-back", "1/h")
        raise RuntimeError("the request failed: nothing it did is kept")

    assert _spend("rolled-back", "1/h")
    assert not _spend("rolled-back", "1/h")


def test_limits_count_in_redis(api_client, settings):
    import redis

    url = redis_url()
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}
    settings.RATELIMIT_CACHE_PREFIX = "pioneer-rl-test:"
    settings.RATE_LIMIT_MEMBER_EXIST = "2/m"
    client = redis.Redis.from_url(url)
    for key in client.scan_iter("*pioneer-rl-test:*"):
        client.delete(key)

    answers = [api_client.post(MEMBER_EXIST, {"id": 1}, REMOTE_ADDR="203.0.113.99") for _ in range(3)]

    assert ["errors" in answer for answer in answers] == [False, False, True]
    assert_rate_limited(answers[2]["errors"][0])
    assert any(client.scan_iter("*pioneer-rl-test:*"))


def test_an_unreachable_cache_lets_requests_through(api_client, settings, caplog):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        }
    }
    settings.RATE_LIMIT_MEMBER_EXIST = "1/m"

    answers = [api_client.post(MEMBER_EXIST, {"id": 1}) for _ in range(2)]

    assert [answer.get("errors") for answer in answers] == [None, None]
    assert "Rate limits not counted" in caplog.text
    assert error_messages(answers[0]) == []
