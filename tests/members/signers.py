"""Real keys for the tests, and signatures of "<memberId>:<timestamp>" made with them."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from eth_keys.datatypes import PrivateKey
from substrateinterface import Keypair, KeypairType
from substrateinterface.utils.ss58 import ss58_encode

JOYSTREAM_SS58_PREFIX = 126

ALICE = Keypair.create_from_uri("//Alice", ss58_format=JOYSTREAM_SS58_PREFIX)
BOB = Keypair.create_from_uri("//Bob", ss58_format=JOYSTREAM_SS58_PREFIX)
CAROL_ED25519 = Keypair.create_from_seed(
    "0x" + "c4" * 32, crypto_type=KeypairType.ED25519, ss58_format=JOYSTREAM_SS58_PREFIX
)


@dataclass(frozen=True)
class SubstrateEcdsaKey:
    """A Substrate ecdsa key as polkadot-js uses it.

    substrate-interface's ECDSA Keypair is Ethereum-flavoured (keccak, 20-byte address),
    which no Joystream account can be; a Substrate ecdsa account is blake2b-256 of the
    compressed public key and signs blake2b-256 of the message. Its primitives
    (eth_keys, a substrate-interface dependency) build that here.
    """

    private_key: PrivateKey

    @classmethod
    def from_seed(cls, seed_hex: str) -> SubstrateEcdsaKey:
        return cls(PrivateKey(bytes.fromhex(seed_hex.removeprefix("0x"))))

    @property
    def ss58_address(self) -> str:
        compressed = self.private_key.public_key.to_compressed_bytes()
        return ss58_encode(hashlib.blake2b(compressed, digest_size=32).digest(), JOYSTREAM_SS58_PREFIX)

    def sign(self, data: bytes) -> bytes:
        digest = hashlib.blake2b(data, digest_size=32).digest()
        return self.private_key.sign_msg_hash(digest).to_bytes()


DAVE_ECDSA = SubstrateEcdsaKey.from_seed("0x" + "d4" * 32)


def now_ms() -> int:
    return int(time.time() * 1000)


def login_message(member_id: int, timestamp: int) -> bytes:
    return f"{member_id}:{timestamp}".encode()


def sign_login(key, member_id: int, timestamp: int, *, wrapped: bool = False) -> str:
    """Hex signature as the Pioneer UI sends it; `wrapped` as a browser wallet signs raw text."""
    message = login_message(member_id, timestamp)
    if wrapped:
        message = b"<Bytes>" + message + b"</Bytes>"
    return "0x" + key.sign(message).hex()
