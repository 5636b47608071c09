"""The staff-only email preview in the admin."""

import html

import pytest
from django.contrib.auth.models import User
from django.test import Client

from subscriptions.kinds import NotificationKind

pytestmark = pytest.mark.django_db
PREVIEW = "/admin/notifications/notification/email-preview/"


@pytest.fixture
def staff_client():
    client = Client()
    client.force_login(User.objects.create_superuser("admin", "admin@example.org", "pw-admin-123"))
    return client


@pytest.mark.parametrize("kind", NotificationKind.values)
def test_staff_see_html_and_text_of_every_kind(staff_client, kind):
    response = staff_client.get(f"{PREVIEW}{kind}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "srcdoc=" in page and "Hi Alice," in page
    # the HTML part is embedded escaped in srcdoc, so unescaping it gives the email back
    assert "Notification settings</a>" in html.unescape(page)
    assert "List-Unsubscribe" in page


def test_preview_is_linked_from_the_notification_list(staff_client):
    assert PREVIEW in staff_client.get("/admin/notifications/notification/").content.decode()
    assert staff_client.get(PREVIEW).status_code == 200
    assert staff_client.get(f"{PREVIEW}NOT_A_KIND/").status_code == 404


def test_preview_is_staff_only():
    anonymous = Client().get(PREVIEW)
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
    client = Client()
    client.force_login(User.objects.create_user("visitor", "v@example.org", "pw-visitor-123"))
    assert client.get(PREVIEW).status_code == 302
