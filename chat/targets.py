"""Which chat URLs are accepted, where they point, and how they are shown without their token.

The rules (README, "Chat channels"): Apprise must understand the URL; its scheme must be in
CHAT_SCHEMES; the server it names must not be, nor resolve to, a loopback, private,
link-local, multicast, reserved or unspecified address, unless CHAT_ALLOW_PRIVATE_TARGETS is
set: otherwise any member could make this service post to its own network. The address rule
runs when a channel is added and again before every send, since DNS answers change.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import apprise
from django.conf import settings

from pioneer.errors import invalid_input

URL_MAX_LENGTH = 2000
# Services whose URL names a webhook or a bot, never a server: the plugin always talks to
# the service's own public host, so there is no address of the member's choosing to check.
FIXED_SERVICE_SCHEMES = frozenset({"discord", "tgram", "slack"})
# Pieces of a URL shorter than this are not worth hiding (ports, "json"), and hiding them
# would garble the service's message.
SECRET_PIECE_MIN_LENGTH = 6


@dataclass(frozen=True)
class ChatTarget:
    url: str
    scheme: str
    host: str  # the server contacted, when the member chooses it; "" for fixed services
    port: int | None
    masked: str  # scheme and host only: what the API, the admin and the logs show


def _service_host(plugin) -> str:
    return urlsplit(getattr(plugin, "service_url", "") or "").hostname or ""


def chat_plugin(url: str):
    """Apprise's plugin for the URL, or None. Apprise's own log, which may quote the token,
    never reaches ours (the "apprise" logger is silenced in settings.LOGGING)."""
    plugin = apprise.Apprise.instantiate(url)
    if plugin is None:
        return None
    # Retries are ours (spaced in time, counted on the row), never Apprise's back-to-back ones.
    if hasattr(plugin, "retry"):
        plugin.retry = 0
    # Only the checked host is contacted: no HTTP redirect, no Matrix .well-known delegation,
    # either of which could send the request (and its token) to an address never checked.
    if hasattr(plugin, "redirects"):
        plugin.redirects = False
    if hasattr(plugin, "discovery"):
        plugin.discovery = False
    return plugin


def chat_target_parse(url: object) -> ChatTarget:
    """The URL as a target, or a DomainError saying why it is refused (nothing is contacted)."""
    if not isinstance(url, str) or not url.strip():
        raise invalid_input("url must be an Apprise URL such as discord://webhook_id/webhook_token")
    url = url.strip()
    if len(url) > URL_MAX_LENGTH:
        raise invalid_input(f"url must be at most {URL_MAX_LENGTH} characters")
    if any(ord(char) < 32 or ord(char) == 127 for char in url):
        raise invalid_input("url must not contain control characters")
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    allowed = settings.CHAT_SCHEMES
    if scheme not in allowed:
        shown = f"{scheme}://" if scheme else "a URL without a scheme"
        raise invalid_input(f"{shown} is not accepted here; the accepted schemes are {', '.join(allowed)}")
    plugin = chat_plugin(url)
    if plugin is None:
        raise invalid_input(
            f"Apprise cannot use this {scheme}:// URL: check it against the service's URL format "
            "in Apprise's documentation"
        )
    if scheme in FIXED_SERVICE_SCHEMES:
        host, port, shown_host = "", None, _service_host(plugin)
    else:
        host = str(getattr(plugin, "host", "") or "").strip("[]").lower()
        port = getattr(plugin, "port", None)
        # ntfy without a host posts to its public cloud service.
        shown_host = host or _service_host(plugin)
    return ChatTarget(url=url, scheme=scheme, host=host, port=port, masked=f"{scheme}://{shown_host}")


def _address_refused(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_unspecified
        or address.is_reserved
    )


def _addresses(host: str, port: int | None) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        return [ipaddress.ip_address(host.split("%", 1)[0])]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise invalid_input(f"The host {host} cannot be resolved") from None
    return [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos]


def chat_target_check_address(target: ChatTarget) -> None:
    """Refuse a target whose server is, or resolves to, a non-public address."""
    if not target.host or settings.CHAT_ALLOW_PRIVATE_TARGETS:
        return
    if target.host == "localhost" or target.host.endswith(".localhost"):
        raise invalid_input(f"{target.masked} points at this machine (localhost), which is not allowed")
    for address in _addresses(target.host, target.port):
        if _address_refused(address):
            raise invalid_input(
                f"{target.masked} resolves to {address}, a loopback, private, link-local, multicast "
                "or unspecified address, which is not allowed"
            )


def secret_scrub(text: str, url: str) -> str:
    """`text` without any piece of the URL that may be secret (tokens in the path, the user
    info or the query): for errors that quote what was sent, before they are stored or logged."""
    scheme, _, rest = url.partition("://")
    try:
        # The server a member chose stays readable; a fixed service's "host" is part of its token.
        shown_host = "" if scheme.lower() in FIXED_SERVICE_SCHEMES else (urlsplit(url).hostname or "")
    except ValueError:
        shown_host = ""
    pieces = {url, rest} | set(re.split(r"[/:@?&=#,;\s]+", rest))
    pieces |= {unquote(piece) for piece in pieces}
    for piece in sorted(pieces, key=len, reverse=True):
        if len(piece) >= SECRET_PIECE_MIN_LENGTH and piece.lower() != shown_host.lower():
            text = text.replace(piece, "****")
    return text
