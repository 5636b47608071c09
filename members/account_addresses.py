"""SS58 account addresses (substrate-interface's helpers): parsed once per public key, shown
in Joystream's format, shortened for emails."""

from __future__ import annotations

from dataclasses import dataclass

from substrateinterface.utils.ss58 import get_ss58_format, ss58_decode, ss58_encode

from pioneer.errors import invalid_input

JOYSTREAM_SS58_FORMAT = 126
GENERIC_SS58_FORMAT = 42
ACCEPTED_FORMATS = (JOYSTREAM_SS58_FORMAT, GENERIC_SS58_FORMAT)
_BASE58_ALPHABET = set("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz")
# A 32-byte key with a one- or two-byte format prefix and a two-byte checksum, in base58.
_ACCOUNT_ADDRESS_LENGTHS = range(46, 50)
_SHOWN_MAX = 60


@dataclass(frozen=True)
class Account:
    public_key: str  # 64 hex digits, lower case
    address: str  # in Joystream's format


def _shown(text: str) -> str:
    return text if len(text) <= _SHOWN_MAX else text[: _SHOWN_MAX - 1] + "…"


def account_parse(address: str) -> Account:
    """The account of an SS58 address in Joystream's (126) or the generic (42) format; a
    DomainError (BAD_USER_INPUT) saying what is wrong with anything else."""
    text = (address or "").strip()
    malformed = invalid_input(f"Malformed account address {_shown(text)!r}: expected an SS58 address")
    if not text or not set(text) <= _BASE58_ALPHABET or len(text) not in _ACCOUNT_ADDRESS_LENGTHS:
        raise malformed
    try:
        public_key = ss58_decode(text)
        ss58_format = get_ss58_format(text)
    except ValueError as exc:
        if "checksum" in str(exc).lower():
            raise invalid_input(
                f"Wrong checksum in account address {_shown(text)!r}: a character is mistyped"
            ) from exc
        raise malformed from exc
    if len(public_key) != 64:
        raise malformed
    if ss58_format not in ACCEPTED_FORMATS:
        raise invalid_input(
            f"Account address {_shown(text)!r} is of another network (SS58 format {ss58_format}): "
            f"give it in Joystream's format ({JOYSTREAM_SS58_FORMAT}) "
            f"or the generic one ({GENERIC_SS58_FORMAT})"
        )
    return Account(public_key=public_key.lower(), address=ss58_encode(public_key, JOYSTREAM_SS58_FORMAT))


def public_key_or_none(address: str) -> str | None:
    """The public key of an address read from the query node, or None when it is not one."""
    try:
        key = ss58_decode(address)
    except (ValueError, TypeError, IndexError):
        return None
    return key.lower() if len(key) == 64 and not address.startswith("0x") else None


def address_short(address: str) -> str:
    """An address shortened for reading, as wallets show them: 'j4W7rV…xZeSf'."""
    return address if len(address) <= 14 else f"{address[:6]}…{address[-5:]}"
