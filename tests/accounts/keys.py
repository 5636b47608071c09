"""Real accounts for the watched-accounts tests: sr25519 keys made with substrate-interface,
their addresses in Joystream's format (126) and the generic one (42)."""

from __future__ import annotations

from substrateinterface import Keypair
from substrateinterface.utils.ss58 import ss58_encode

JOYSTREAM = 126
GENERIC = 42


def account(uri: str) -> Keypair:
    return Keypair.create_from_uri(uri, ss58_format=JOYSTREAM)


def generic_address(key: Keypair) -> str:
    return ss58_encode(key.public_key, ss58_format=GENERIC)


# Membership accounts of the fake query node's members, and accounts bound to no membership.
ALICE_ROOT = account("//Alice")
BOB_ROOT = account("//Bob")
LEDGER = account("//Ledger")  # a hardware wallet alice votes from
COLD = account("//Cold")  # another of alice's voting accounts
FAMILY = account("//Family")  # an account alice and bob both look after
