"""What `make run` / `make demo` give their processes (pioneer/runner.py)."""

from __future__ import annotations

import json

from pioneer.runner import DEMO_DIR, EMBEDDED_BROKER_URL, children_for, service_environment


def test_nothing_configured_means_embedded_broker_and_emails_in_var_mail():
    env = service_environment({"PATH": "/usr/bin"}, demo=False)
    assert env["CELERY_BROKER_URL"] == EMBEDDED_BROKER_URL
    assert env["EMAIL_URL"] == "filemail://"
    assert "DATABASE_URL" not in env  # settings' SQLite default under var/


def test_the_api_listens_on_this_machine_only_unless_asked():
    assert service_environment({}, demo=False)["GUNICORN_BIND_HOST"] == "127.0.0.1"
    asked = service_environment({"GUNICORN_BIND_HOST": "0.0.0.0"}, demo=False)
    assert asked["GUNICORN_BIND_HOST"] == "0.0.0.0"


def test_what_the_operator_set_is_used_as_is():
    given = {
        "DATABASE_URL": "postgres://db/pioneer",
        "CELERY_BROKER_URL": "redis://redis:6379/0",
        "SENDGRID_API_KEY": "SG.key",
    }
    env = service_environment(given, demo=False)
    assert {name: env[name] for name in given} == given
    assert "EMAIL_URL" not in env, "an ESP is configured: the runner must not add EMAIL_URL"


def test_demo_uses_its_own_fresh_database_and_the_demo_members():
    env = service_environment({"DATABASE_URL": "postgres://db/pioneer"}, demo=True)
    assert env["DATABASE_URL"] == f"sqlite:///{DEMO_DIR / 'pioneer.sqlite3'}"
    assert env["CELERY_BROKER_URL"] == EMBEDDED_BROKER_URL
    assert [member["id"] for member in json.loads(env["INITIAL_MEMBERSHIPS"])] == [1, 2]
    assert int(env["NOTIFY_INTERVAL_SECONDS"]) <= 10


def test_the_runner_supervises_api_worker_beat_and_in_demo_the_query_node():
    env = service_environment({}, demo=False)
    assert [child.name for child in children_for(env, demo_port=None)] == ["api", "worker", "beat"]
    demo = children_for(env, demo_port=8081)
    assert demo[0].name == "qnode"
    assert demo[0].argv[-4:] == ["--port", "8081", "--scenario", "demo"]
