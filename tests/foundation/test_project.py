import pytest
from django.core.management import call_command

from tests.factories import MemberFactory, NotificationFactory, SubscriptionFactory


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
