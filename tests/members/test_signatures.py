import pytest

from members.signatures import (
    MAX_SIGNATURE_AGE_MS,
    MAX_SIGNATURE_CLOCK_AHEAD_MS,
    signature_is_valid,
    signed_message,
    timestamp_is_fresh,
)
from tests.members.signers import ALICE, BOB, CAROL_ED25519, DAVE_ECDSA, login_message, sign_login

MEMBER_ID = 7
TIMESTAMP = 1_700_000_000_000
KEYS = pytest.mark.parametrize("key", [ALICE, CAROL_ED25519, DAVE_ECDSA], ids=["sr25519", "ed25519", "ecdsa"])


def is_valid(key_or_address, signature: str, *, member_id=MEMBER_ID, timestamp=TIMESTAMP) -> bool:
    address = key_or_address if isinstance(key_or_address, str) else key_or_address.ss58_address
    return signature_is_valid(
        address=address, message=signed_message(member_id=member_id, timestamp=timestamp), signature=signature
    )


def test_the_signed_message_is_member_id_colon_timestamp():
    assert signed_message(member_id=12, timestamp=1700000000123) == b"12:1700000000123"


@KEYS
@pytest.mark.parametrize("wrapped", [False, True], ids=["raw", "bytes-wrapped"])
def test_a_signature_by_the_controller_key_is_valid(key, wrapped):
    assert is_valid(key, sign_login(key, MEMBER_ID, TIMESTAMP, wrapped=wrapped))


@KEYS
def test_a_signature_without_0x_prefix_is_valid(key):
    assert is_valid(key, sign_login(key, MEMBER_ID, TIMESTAMP).removeprefix("0x"))


@KEYS
def test_a_signature_of_another_message_is_invalid(key):
    assert not is_valid(key, sign_login(key, MEMBER_ID + 1, TIMESTAMP))
    assert not is_valid(key, sign_login(key, MEMBER_ID, TIMESTAMP + 1))
    assert not is_valid(key, "0x" + key.sign(b"hello").hex())


@KEYS
def test_a_signature_by_another_key_is_invalid(key):
    assert not is_valid(BOB, sign_login(key, MEMBER_ID, TIMESTAMP))


def test_a_signature_of_the_same_key_bytes_with_another_crypto_type_is_invalid():
    # An ed25519 signature checked against an sr25519 account (and the reverse) must fail,
    # even though both are 64 bytes: each account only verifies under its own scheme.
    assert not is_valid(ALICE, sign_login(CAROL_ED25519, MEMBER_ID, TIMESTAMP))
    assert not is_valid(CAROL_ED25519, sign_login(ALICE, MEMBER_ID, TIMESTAMP))
    assert not is_valid(DAVE_ECDSA, sign_login(ALICE, MEMBER_ID, TIMESTAMP))


def test_any_ss58_prefix_is_accepted():
    from substrateinterface.utils.ss58 import ss58_encode

    generic_address = ss58_encode(ALICE.public_key, 42)
    assert is_valid(generic_address, sign_login(ALICE, MEMBER_ID, TIMESTAMP))


@pytest.mark.parametrize(
    "signature",
    [
        "",
        "0x",
        "0x0",
        "not hex",
        "0xzz",
        "0x" + "00" * 64,
        "0x" + "ff" * 65,
        "0x" + "ab" * 10,
        "０x12",
        "0x" + "ab" * 10_000,
        None,
        42,
    ],
)
def test_a_malformed_signature_is_invalid_not_an_exception(signature):
    assert not is_valid(ALICE, signature)


@pytest.mark.parametrize("address", ["", "garbage", "0x1234", "5" * 48, None])
def test_a_malformed_address_is_invalid_not_an_exception(address):
    assert not signature_is_valid(
        address=address, message=login_message(MEMBER_ID, TIMESTAMP), signature=sign_login(ALICE, 1, 2)
    )


def test_timestamp_window():
    now = TIMESTAMP
    assert timestamp_is_fresh(timestamp=now, now_ms=now)
    assert timestamp_is_fresh(timestamp=now - MAX_SIGNATURE_AGE_MS, now_ms=now)
    assert not timestamp_is_fresh(timestamp=now - MAX_SIGNATURE_AGE_MS - 1, now_ms=now)
    assert timestamp_is_fresh(timestamp=now + MAX_SIGNATURE_CLOCK_AHEAD_MS, now_ms=now)
    assert not timestamp_is_fresh(timestamp=now + MAX_SIGNATURE_CLOCK_AHEAD_MS + 1, now_ms=now)
    assert MAX_SIGNATURE_AGE_MS == 3_600_000 and MAX_SIGNATURE_CLOCK_AHEAD_MS == 300_000
