import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.factories import MemberFactory, NotificationFactory, SubscriptionFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_migrations_are_complete():
    # Raises SystemExit(1) if a model change has no migration.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db
def test_healthz_answers_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/admin/members/member/",
        "/admin/subscriptions/subscription/",
        "/admin/notifications/notification/",
        "/admin/qn_ingest/ingestcursor/",
        "/admin/members/member/?q=alice",
        "/admin/members/member/?q=1",
        "/admin/members/member/?verified=yes",
        "/admin/notifications/notification/?email_status__exact=FAILED",
    ],
)
def test_admin_lists_the_models(admin_client, url):
    member = MemberFactory(id=1, name="alice")
    SubscriptionFactory(member=member)
    NotificationFactory(member=member)

    response = admin_client.get(url)

    assert response.status_code == 200


@pytest.mark.django_db
def test_the_admin_static_files_are_served_by_the_app_itself(client):
    # gunicorn serves only the WSGI app: without this the admin renders unstyled.
    response = client.get("/static/admin/css/base.css")
    assert response.status_code == 200
    assert b"body" in b"".join(response.streaming_content)


def test_healthz_answers_503_when_the_database_does_not(tmp_path):
    # A real unreachable database (nothing listens on port 1), in a fresh interpreter.
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "response = Client().get('/healthz')\n"
        "print(response.status_code, response.json())\n"
    )
    env = {**os.environ, "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none", "ALLOWED_HOSTS": "*"}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "503 {'status': 'error', 'database': 'unavailable'}", result.stderr
