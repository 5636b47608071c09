"""Checks that a member signed "<memberId>:<timestamp>" with their controller account.

Wallets sign with sr25519, ed25519 or ecdsa keys, and browser extensions wrap raw
text as `<Bytes>…</Bytes>` before signing, so every combination is tried. The key
type is not known up front: an SS58 address only holds a 32-byte account id.
Anything malformed (address, hex, lengths) is simply "not valid", never an exception.
"""

from __future__ import annotations

import hashlib
import logging
import time

from eth_keys.datatypes import Signature as EcdsaSignature
from eth_keys.exceptions import BadSignature, ValidationError
from substrateinterface import Keypair, KeypairType
from substrateinterface.utils.ss58 import ss58_decode

logger = logging.getLogger(__name__)

# A signature proves presence at signing time only; the window stops replays of old
# ones. Some clock skew is allowed ahead, but not much (the old backend accepted any
# future timestamp, which made a signature valid forever).
MAX_SIGNATURE_AGE_MS = 60 * 60 * 1000
MAX_SIGNATURE_CLOCK_AHEAD_MS = 5 * 60 * 1000

_SCHNORR_SIGNATURE_LENGTH = 64  # sr25519 and ed25519
_ECDSA_SIGNATURE_LENGTH = 65  # r, s and the recovery id
_ACCOUNT_ID_LENGTH = 32
_ECDSA_COMPRESSED_KEY_LENGTH = 33
_MAX_HEX_LENGTH = 2 + 2 * 65


def signed_message(*, member_id: int, timestamp: int) -> bytes:
    return f"{member_id}:{timestamp}".encode()


def timestamp_is_fresh(*, timestamp: int, now_ms: int | None = None) -> bool:
    """True if a signature made at `timestamp` (ms since epoch) may still be used."""
    now_ms = int(time.time() * 1000) if now_ms is None else now_ms
    return now_ms - MAX_SIGNATURE_AGE_MS <= timestamp <= now_ms + MAX_SIGNATURE_CLOCK_AHEAD_MS


def signature_is_valid(*, address: str, message: bytes, signature: str) -> bool:
    """Whether `signature` (hex, with or without 0x) over `message` was made by `address`."""
    account_id = _account_id(address)
    signature_bytes = _hex_bytes(signature)
    if account_id is None or signature_bytes is None:
        return False
    messages = (message, b"<Bytes>" + message + b"</Bytes>")
    if len(signature_bytes) == _SCHNORR_SIGNATURE_LENGTH and len(account_id) == _ACCOUNT_ID_LENGTH:
        return any(
            _schnorr_is_valid(account_id, crypto_type, candidate, signature_bytes)
            for crypto_type in (KeypairType.SR25519, KeypairType.ED25519)
            for candidate in messages
        )
    if len(signature_bytes) == _ECDSA_SIGNATURE_LENGTH:
        return any(_ecdsa_is_valid(account_id, candidate, signature_bytes) for candidate in messages)
    return False


def _account_id(address: str) -> bytes | None:
    """The raw account id of an SS58 address of any network prefix (or 0x hex)."""
    if not isinstance(address, str) or not address:
        return None
    if address.startswith("0x"):
        account_id = _hex_bytes(address)
    else:
        try:
            account_id = bytes.fromhex(ss58_decode(address))
        except ValueError:  # bad base58, checksum, length or reserved prefix
            return None
    if account_id is None or len(account_id) not in (_ACCOUNT_ID_LENGTH, _ECDSA_COMPRESSED_KEY_LENGTH):
        return None
    return account_id


def _hex_bytes(text: str) -> bytes | None:
    # Nothing valid is longer than a 65-byte signature; a huge string is not worth decoding.
    if not isinstance(text, str) or len(text) > _MAX_HEX_LENGTH:
        return None
    digits = text[2:] if text[:2].lower() == "0x" else text
    if not digits or not digits.isascii():
        return None
    try:
        return bytes.fromhex(digits)
    except ValueError:
        return None


def _schnorr_is_valid(account_id: bytes, crypto_type: int, message: bytes, signature: bytes) -> bool:
    try:
        # For sr25519 and ed25519 the account id is the public key itself; the SS58
        # prefix only matters for display, so the generic one is used.
        keypair = Keypair(public_key=account_id, ss58_format=42, crypto_type=crypto_type)
        return bool(keypair.verify(message, signature))
    except Exception:  # noqa: BLE001 - the native bindings raise assorted types on odd input
        logger.debug("signature check raised for crypto type %s", crypto_type, exc_info=True)
        return False


def _ecdsa_is_valid(account_id: bytes, message: bytes, signature: bytes) -> bool:
    """Substrate ecdsa, as polkadot-js signs it: secp256k1 over blake2b-256 of the message.

    The account id of an ecdsa key is blake2b-256 of the compressed public key, so the
    key is recovered from the signature and hashed for comparison.
    """
    recovery_id = signature[64]
    if recovery_id >= 27:  # Ethereum-style v
        recovery_id -= 27
    if recovery_id not in (0, 1):
        return False
    try:
        ecdsa_signature = EcdsaSignature(signature[:64] + bytes([recovery_id]))
        digest = hashlib.blake2b(message, digest_size=32).digest()
        public_key = ecdsa_signature.recover_public_key_from_msg_hash(digest).to_compressed_bytes()
    except (BadSignature, ValidationError, ValueError):
        return False
    if len(account_id) == _ECDSA_COMPRESSED_KEY_LENGTH:
        return public_key == account_id
    return hashlib.blake2b(public_key, digest_size=32).digest() == account_id
