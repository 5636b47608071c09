"""seedmembers --file and INITIAL_MEMBERSHIPS_FILE: lists of any size, read entry by entry."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from members import seeding
from members.models import Member
from members.seeding import memberships_read
from members.tokens import auth_token_member_id
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seedmembers", *args, stdout=out)
    return out.getvalue()


def write(tmp_path, text: str):
    path = tmp_path / "members.json"
    path.write_text(text)
    return path


def test_a_json_list_in_a_file_is_upserted_with_tokens(tmp_path):
    MemberFactory(id=1, name="old", email=None, unverified_email="pending@example.org")
    path = write(
        tmp_path, json.dumps([{"id": 1, "name": "Alice", "email": "a@example.org"}, {"id": 2, "name": "Bob"}])
    )

    output = seed("--file", str(path))

    alice = Member.objects.get(pk=1)
    assert (alice.name, alice.email, alice.unverified_email) == ("Alice", "a@example.org", None)
    assert Member.objects.get(pk=2).email is None
    tokens = [line.rsplit(" ", 1)[1] for line in output.splitlines() if line.startswith("member ")]
    assert [auth_token_member_id(token=token) for token in tokens] == [1, 2]
    assert "2 member(s) seeded." in output


def test_a_long_list_is_read_in_small_pieces_and_written_in_chunks(tmp_path, monkeypatch):
    monkeypatch.setattr(seeding, "_READ_SIZE", 7)  # entries straddle every read
    monkeypatch.setattr("members.services.SEED_CHUNK_SIZE", 100)
    entries = [{"id": i, "name": f"member {i}", "email": f"m{i}@example.org"} for i in range(1, 1001)]
    path = write(tmp_path, json.dumps(entries, indent=1))

    output = seed("--file", str(path), "--no-tokens")

    assert output.strip().endswith("1000 member(s) seeded.")
    assert "member 1 (" not in output
    assert Member.objects.count() == 1000
    assert Member.objects.get(pk=1000).email == "m1000@example.org"


def test_json_lines_and_the_environment_variable(tmp_path, settings):
    path = write(
        tmp_path, '{"id": 5, "name": "Eve"}\n\n{"id": 6, "name": "Frank", "email": "f@example.org"}\n'
    )
    settings.INITIAL_MEMBERSHIPS_FILE = str(path)

    seed("--no-tokens")

    assert sorted(Member.objects.values_list("id", flat=True)) == [5, 6]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[{"id": 1, "name": "A"}, {"id": "2", "name": "B"}]',
            r"--file\[1\]\.id must be a non-negative integer",
        ),
        ('[{"id": 1, "name": "A"} {"id": 2, "name": "B"}]', r"--file is not valid JSON \(expected , or \]"),
        ('[{"id": 1, "name": "A"}', r"--file is not valid JSON"),
        ('{"id": 1, "name": "A"}\n{"id": 2,', r"--file is not valid JSON"),
    ],
)
def test_a_bad_file_is_named_and_stores_nothing(tmp_path, text, message):
    with pytest.raises(CommandError, match=message):
        seed("--file", str(write(tmp_path, text)))
    assert not Member.objects.exists()


def test_a_missing_file_and_two_sources_are_refused(tmp_path, settings):
    with pytest.raises(CommandError, match="cannot read --file"):
        seed("--file", str(tmp_path / "nowhere.json"))
    settings.INITIAL_MEMBERSHIPS = [{"id": 1, "name": "A"}]
    settings.INITIAL_MEMBERSHIPS_FILE = str(write(tmp_path, "[]"))
    with pytest.raises(CommandError, match="not both"):
        seed()


def test_reading_numbers_split_across_reads(monkeypatch):
    monkeypatch.setattr(seeding, "_READ_SIZE", 3)
    entries = list(memberships_read(io.StringIO('[{"id": 123456789, "name": "A"}]'), source="x"))
    assert [entry.id for entry in entries] == [123456789]
