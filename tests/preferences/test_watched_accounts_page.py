"""The preferences page's "Accounts I care about" (issue 24): the list with a Remove button per
account and the field to add one, through the services of addWatchedAccount and
removeWatchedAccount, so the API shows the change at once; bad input is a 400, nothing stored."""

from __future__ import annotations

import pytest

from members.models import WatchedAccount
from members.tokens import auth_token_issue
from members.watched_accounts import watched_account_add
from tests.accounts.keys import COLD, LEDGER, generic_address
from tests.conftest import GraphQLClient
from tests.preferences.conftest import page_path
from tests.preferences.test_save import defaults_form

pytestmark = pytest.mark.django_db

WATCHED = "{ watchedAccounts { address label } }"


def watched(member) -> list[dict]:
    return GraphQLClient(token=auth_token_issue(member_id=member.id)).execute(WATCHED)["watchedAccounts"]


def test_the_page_lists_each_account_with_its_label_and_a_remove_button(browserless, ada):
    watched_account_add(member=ada, address=LEDGER.ss58_address, label="Ledger")
    watched_account_add(member=ada, address=COLD.ss58_address)

    page = browserless.get(page_path(ada)).content.decode()

    assert "Accounts I care about" in page
    assert f'name="remove_account" value="{LEDGER.ss58_address}"' in page
    assert f'name="remove_account" value="{COLD.ss58_address}"' in page
    assert "<strong>Ledger</strong>" in page
    assert 'name="add_account"' in page and 'name="add_account_label"' in page
    assert "asks no signature" in page


def test_adding_an_account_watches_it_in_joystream_format(browserless, ada):
    form = {**defaults_form(), "add_account": generic_address(LEDGER), "add_account_label": "Ledger"}

    response = browserless.post(page_path(ada), form)

    assert response.status_code == 303
    assert watched(ada) == [{"address": LEDGER.ss58_address, "label": "Ledger"}]


def test_empty_add_fields_add_nothing(browserless, ada):
    response = browserless.post(
        page_path(ada), {**defaults_form(), "add_account": "", "add_account_label": ""}
    )
    assert response.status_code == 303
    assert watched(ada) == []


def test_the_remove_button_stops_watching_the_account(browserless, ada):
    watched_account_add(member=ada, address=LEDGER.ss58_address, label="Ledger")
    watched_account_add(member=ada, address=COLD.ss58_address)

    response = browserless.post(page_path(ada), {**defaults_form(), "remove_account": LEDGER.ss58_address})

    assert response.status_code == 303
    assert watched(ada) == [{"address": COLD.ss58_address, "label": None}]


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"add_account": "j4W7-not-an-address"}, "Malformed account address"),
        ({"add_account": LEDGER.ss58_address[:-1] + "2"}, "Wrong checksum"),
        ({"add_account": LEDGER.ss58_address, "add_account_label": "x" * 65}, "Label too long"),
        ({"add_account_label": "Ledger"}, "add_account_label needs an account address"),
        ({"remove_account": COLD.ss58_address}, "remove_account names no account this member watches"),
    ],
)
def test_bad_account_fields_are_refused_and_nothing_changes(browserless, ada, fields, says):
    form = defaults_form()
    del form["receive_emails"]  # would turn emails off if anything were saved
    response = browserless.post(page_path(ada), {**form, **fields})

    assert response.status_code == 400
    assert says in response.content.decode()
    ada.refresh_from_db()
    assert ada.receive_emails is True
    assert not WatchedAccount.objects.filter(member=ada).exists()


def test_one_account_over_the_limit_is_refused_and_nothing_else_is_saved(browserless, ada, settings):
    settings.WATCHED_ACCOUNTS_MAX = 1
    watched_account_add(member=ada, address=COLD.ss58_address)
    form = defaults_form()
    del form["receive_emails"]

    response = browserless.post(page_path(ada), {**form, "add_account": LEDGER.ss58_address})

    assert response.status_code == 400
    assert "Too many watched accounts: at most 1" in response.content.decode()
    ada.refresh_from_db()
    assert ada.receive_emails is True
    assert watched(ada) == [{"address": COLD.ss58_address, "label": None}]
