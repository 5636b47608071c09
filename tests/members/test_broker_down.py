"""A verification email is never lost to a broker outage: the API sends it itself."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import django
    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from members.models import Member
    from members.tokens import auth_token_issue

    call_command("migrate", verbosity=0)
    Member.objects.create(id=1, name="alice")
    response = Client().post(
        "/graphql",
        {"query": 'mutation { updateMember(email: "alice@example.org") { unverifiedEmail } }'},
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer " + auth_token_issue(member_id=1),
    )
    print(response.json())
    """
)


def test_with_the_broker_down_the_verification_email_is_sent_by_the_api(tmp_path):
    # A real broker URL where nothing listens (port 1), in a fresh process with its own database.
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CELERY_BROKER_URL": "redis://127.0.0.1:1/0",
        "EMAIL_URL": f"filemail://{tmp_path / 'mail'}",
    }
    env.pop("EMAIL_PROVIDER", None)

    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )

    assert "'unverifiedEmail': 'alice@example.org'" in result.stdout, result.stderr
    [sent] = list((tmp_path / "mail").iterdir())
    assert "#/settings?emailVerificationToken=" in sent.read_text()
