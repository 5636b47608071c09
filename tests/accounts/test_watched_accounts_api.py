"""The watched-accounts operations (issue 24): watchedAccounts, addWatchedAccount,
removeWatchedAccount, through real HTTP requests, with real SS58 addresses."""

from __future__ import annotations

import pytest
from substrateinterface.utils.ss58 import ss58_encode

from members.models import WatchedAccount
from members.tokens import auth_token_issue
from tests.accounts.keys import ALICE_ROOT, COLD, LEDGER, generic_address
from tests.conftest import GraphQLClient
from tests.factories import MemberFactory

WATCHED = "query { watchedAccounts { address label } }"
ADD = """
mutation Add($address: String!, $label: String) {
  addWatchedAccount(address: $address, label: $label) { address label }
}
"""
REMOVE = "mutation Remove($address: String!) { removeWatchedAccount(address: $address) }"


def _codes(result: dict) -> list[str]:
    return [error["extensions"]["code"] for error in result.get("errors", [])]


def test_an_account_is_stored_once_per_key_in_joystream_format(member_api_client, member):
    # given the same key in the generic format (42), then in Joystream's (126)
    added = member_api_client.execute(ADD, {"address": generic_address(LEDGER), "label": "Ledger"})
    again = member_api_client.execute(ADD, {"address": LEDGER.ss58_address, "label": "Nano X"})

    # then one row, answered in the 126 format, with the latest label
    assert added["addWatchedAccount"] == {"address": LEDGER.ss58_address, "label": "Ledger"}
    assert again["addWatchedAccount"] == {"address": LEDGER.ss58_address, "label": "Nano X"}
    assert WatchedAccount.objects.filter(member=member).count() == 1
    listed = member_api_client.execute(WATCHED)["watchedAccounts"]
    assert listed == [{"address": LEDGER.ss58_address, "label": "Nano X"}]


def test_no_label_is_null_and_the_list_is_oldest_first(member_api_client):
    member_api_client.execute(ADD, {"address": COLD.ss58_address})
    member_api_client.execute(ADD, {"address": LEDGER.ss58_address, "label": "  "})
    listed = member_api_client.execute(WATCHED)["watchedAccounts"]
    assert listed == [
        {"address": COLD.ss58_address, "label": None},
        {"address": LEDGER.ss58_address, "label": None},
    ]


def _mistyped(address: str) -> str:
    """One character changed: still base58, the checksum no longer matches."""
    last = address[-1]
    return address[:-1] + ("2" if last != "2" else "3")


@pytest.mark.parametrize(
    ("address", "label", "says"),
    [
        ("not an address", None, "Malformed account address"),
        ("0x" + "ab" * 32, None, "Malformed account address"),
        ("", None, "Malformed account address"),
        (LEDGER.ss58_address[:-3], None, "Malformed account address"),
        (_mistyped(LEDGER.ss58_address), None, "Wrong checksum"),
        (ss58_encode(LEDGER.public_key, ss58_format=2), None, "another network (SS58 format 2)"),
        (LEDGER.ss58_address, "x" * 65, "Label too long: at most 64 characters"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(member_api_client, member, address, label, says):
    result = member_api_client.post(ADD, {"address": address, "label": label})
    assert _codes(result) == ["BAD_USER_INPUT"]
    assert says in result["errors"][0]["message"]
    assert not WatchedAccount.objects.filter(member=member).exists()


def test_a_label_too_long_does_not_change_the_stored_one(member_api_client):
    member_api_client.execute(ADD, {"address": LEDGER.ss58_address, "label": "Ledger"})
    result = member_api_client.post(ADD, {"address": LEDGER.ss58_address, "label": "y" * 65})
    assert _codes(result) == ["BAD_USER_INPUT"]
    assert member_api_client.execute(WATCHED)["watchedAccounts"][0]["label"] == "Ledger"


def test_the_limit_refuses_one_more_account_but_not_a_relabel(member_api_client, member, settings):
    settings.WATCHED_ACCOUNTS_MAX = 2
    member_api_client.execute(ADD, {"address": LEDGER.ss58_address})
    member_api_client.execute(ADD, {"address": COLD.ss58_address})

    over = member_api_client.post(ADD, {"address": ALICE_ROOT.ss58_address})
    relabel = member_api_client.execute(ADD, {"address": generic_address(COLD), "label": "Cold"})

    assert _codes(over) == ["BAD_USER_INPUT"]
    assert "Too many watched accounts: at most 2" in over["errors"][0]["message"]
    assert relabel["addWatchedAccount"]["label"] == "Cold"
    assert WatchedAccount.objects.filter(member=member).count() == 2


def test_remove_takes_either_format_and_says_whether_it_was_watched(member_api_client, member):
    member_api_client.execute(ADD, {"address": LEDGER.ss58_address})
    assert member_api_client.execute(REMOVE, {"address": generic_address(LEDGER)}) == {
        "removeWatchedAccount": True
    }
    assert member_api_client.execute(REMOVE, {"address": LEDGER.ss58_address}) == {
        "removeWatchedAccount": False
    }
    assert not WatchedAccount.objects.filter(member=member).exists()
    assert _codes(member_api_client.post(REMOVE, {"address": "nope"})) == ["BAD_USER_INPUT"]


@pytest.mark.parametrize(
    ("operation", "variables"),
    [(WATCHED, {}), (ADD, {"address": LEDGER.ss58_address}), (REMOVE, {"address": LEDGER.ss58_address})],
)
@pytest.mark.parametrize("token", ["missing", "invalid", "unregistered member"])
def test_every_operation_refuses_a_missing_or_foreign_token(api_client, member, operation, variables, token):
    client = {
        "missing": api_client,
        "invalid": GraphQLClient(token="not-a-token"),
        "unregistered member": GraphQLClient(token=auth_token_issue(member_id=999)),
    }[token]
    result = client.post(operation, variables)
    assert _codes(result) == ["UNAUTHORIZED"]
    assert not WatchedAccount.objects.exists()


def test_a_member_sees_and_removes_only_their_own_accounts(member_api_client, member):
    bob = MemberFactory(id=2, name="bob")
    bob_client = GraphQLClient(token=auth_token_issue(member_id=bob.id))
    bob_client.execute(ADD, {"address": LEDGER.ss58_address, "label": "bob's"})

    assert member_api_client.execute(WATCHED) == {"watchedAccounts": []}
    assert member_api_client.execute(REMOVE, {"address": LEDGER.ss58_address}) == {
        "removeWatchedAccount": False
    }
    # alice watching the same key is her own row, with her own label
    member_api_client.execute(ADD, {"address": LEDGER.ss58_address, "label": "alice's"})
    assert bob_client.execute(WATCHED)["watchedAccounts"] == [
        {"address": LEDGER.ss58_address, "label": "bob's"}
    ]
    assert WatchedAccount.objects.count() == 2
