"""Rate limits: how often one client, member or address may do something costly or abusable.

Counting is in fixed windows, shared by every API process: in Redis through django-ratelimit
when CACHE_URL names a Redis cache, else in a database table (pioneer.rate_limit_windows; not
Django's database cache, which drops live counters once it holds 300). django-ratelimit's view
decorator is not used: one HTTP request can run several operations (aliases), and each must
count, so the resolvers and services spend a use each time they run. A refusal is a DomainError
with code RATE_LIMITED whose `extensions.retryAfter` is the number of seconds until the window
ends.
"""

from __future__ import annotations

import ipaddress
import logging
from contextlib import nullcontext
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django_ratelimit.core import get_usage

from pioneer.errors import DomainError, rate_limited
from pioneer.rate_limit_windows import now_seconds, windows_spend, windows_usage

logger = logging.getLogger(__name__)

# One IPv6 client usually holds a whole /64: counting single addresses would let it rotate.
IPV6_PREFIX = 64


@dataclass(frozen=True)
class Spend:
    """One use of `group` by `key`, limited to `rate` ("60/m", "5/h", "3/d"; empty: no limit)."""

    group: str
    rate: str
    key: str


def _usage(spend: Spend, *, increment: bool) -> dict | None:
    return get_usage(
        None,  # django-ratelimit reads the request only for keys and methods; ours need neither
        group=spend.group,
        key=lambda _group, _request: spend.key,
        rate=spend.rate,
        increment=increment,
    )


def rate_limits_spend(*spends: Spend) -> None:
    """Count one use of each limit, or raise RATE_LIMITED (spending none) if any is used up.

    The store being unreachable lets the request through: a Redis outage must not lock every
    member out. It is logged.
    """
    active = [spend for spend in spends if spend.rate]
    if not active:
        return
    try:
        if _counts_in_redis():
            _spend_in_cache(active)
        else:
            # A savepoint inside a transaction: a failed count must not break the caller's.
            with transaction.atomic() if connection.in_atomic_block else nullcontext():
                _spend_in_database(active)
    except DomainError:
        raise
    except Exception as exc:  # the store's own errors (Redis down, table missing)
        logger.warning("Rate limits not counted, their store failed: %s", exc)


def _counts_in_redis() -> bool:
    return "redis" in settings.CACHES["default"]["BACKEND"].lower()


def _spend_in_cache(active: list[Spend]) -> None:
    waits = [
        usage["time_left"]
        for usage in (_usage(spend, increment=False) for spend in active)
        if usage is not None and usage["count"] >= usage["limit"]
    ]
    if waits:
        raise rate_limited(max(waits))
    for spend in active:
        _usage(spend, increment=True)


def _spend_in_database(active: list[Spend]) -> None:
    now = now_seconds()
    uses = windows_usage([(spend.group, spend.rate, spend.key) for spend in active], now)
    waits = [use.time_left(now) for use in uses if use.used >= use.limit]
    if waits:
        raise rate_limited(max(waits))
    windows_spend(uses, now)


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or, when that is a trusted proxy (TRUSTED_PROXIES),
    the nearest address in X-Forwarded-For that is not one. IPv6 addresses count by /64."""
    remote = _parse_ip(request.META.get("REMOTE_ADDR", ""))
    client = remote
    if remote is not None and _is_trusted_proxy(remote):
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        for hop in reversed(hops):
            address = _parse_ip(hop)
            if address is None:
                break  # a forged or garbled entry: trust nothing to its left
            client = address
            if not _is_trusted_proxy(address):
                break
    if client is None:
        return "unknown"
    if client.version == 6:
        return str(ipaddress.ip_network(f"{client}/{IPV6_PREFIX}", strict=False).network_address)
    return str(client)


def _parse_ip(text: str):
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _is_trusted_proxy(address) -> bool:
    return any(address in network for network in settings.TRUSTED_PROXY_NETWORKS)
