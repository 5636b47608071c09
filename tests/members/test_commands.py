"""`manage.py createtoken` and `manage.py seedmembers` (docs/api-contract.md, "Commands")."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from members.models import Member
from members.tokens import auth_token_member_id
from tests.factories import MemberFactory

ROOT = Path(__file__).resolve().parents[2]
ME = "query GetBackendMe { me { id name } }"


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_createtoken_prints_a_token_the_api_accepts(api_client):
    MemberFactory(id=7, name="grace")

    token = run("createtoken", "7").strip()

    assert auth_token_member_id(token=token) == 7
    api_client.token = token
    assert api_client.execute(ME) == {"me": {"id": 7, "name": "grace"}}


@pytest.mark.django_db
def test_createtoken_refuses_an_unregistered_member_unless_asked():
    with pytest.raises(CommandError, match="member 8 is not registered"):
        run("createtoken", "8")
    assert auth_token_member_id(token=run("createtoken", "8", "--allow-unregistered").strip()) == 8


def test_createtoken_on_a_database_that_was_never_migrated_is_one_clear_line(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    result = subprocess.run(
        [sys.executable, "manage.py", "createtoken", "1"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "run `python manage.py migrate` first" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.django_db
def test_seedmembers_upserts_verified_members_and_prints_their_tokens(settings):
    MemberFactory(id=1, name="old name", email=None, unverified_email="pending@example.org")
    settings.INITIAL_MEMBERSHIPS = [
        {"id": 1, "name": "Alice", "email": "alice@example.org"},
        {"id": 2, "name": "Bob", "email": "bob@example.org"},
    ]

    output = run("seedmembers")

    alice = Member.objects.get(pk=1)
    assert (alice.name, alice.email, alice.unverified_email) == ("Alice", "alice@example.org", None)
    assert Member.objects.get(pk=2).email == "bob@example.org"
    tokens = [line.rsplit(" ", 1)[1] for line in output.splitlines() if line.startswith("member ")]
    assert [auth_token_member_id(token=token) for token in tokens] == [1, 2]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"id": "1", "name": "A"}, r"INITIAL_MEMBERSHIPS\[0\].id"),
        ({"id": 1, "name": " "}, r"INITIAL_MEMBERSHIPS\[0\].name"),
        ({"id": 1, "name": "A", "email": "not-an-address"}, r"INITIAL_MEMBERSHIPS\[0\].email"),
    ],
)
def test_seedmembers_names_the_bad_entry_and_stores_nothing(settings, entry, message):
    settings.INITIAL_MEMBERSHIPS = [entry]

    with pytest.raises(CommandError, match=message):
        run("seedmembers")

    assert not Member.objects.exists()
