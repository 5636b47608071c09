import pytest

from qn_ingest.models import IngestCursor

pytestmark = pytest.mark.django_db
RESET_URL = "/admin/qn_ingest/ingestcursor/1/reset/"


def test_the_cursor_list_offers_a_reset_even_before_the_first_ingest(admin_client):
    response = admin_client.get("/admin/qn_ingest/ingestcursor/")

    assert response.status_code == 200
    assert RESET_URL in response.content.decode()


def test_reset_needs_the_confirmation_box(admin_client):
    IngestCursor.objects.create(block=500, event_ids=["500-1"])

    response = admin_client.post(RESET_URL, {"block": 10})

    assert response.status_code == 200  # the form again, with an error
    assert IngestCursor.objects.get().block == 500


def test_reset_moves_the_cursor_and_forgets_the_block_events(admin_client):
    IngestCursor.objects.create(block=500, event_ids=["500-1"])

    response = admin_client.post(RESET_URL, {"block": 10, "confirm": "on"})

    assert response.status_code == 302
    cursor = IngestCursor.objects.get()
    assert (cursor.block, cursor.event_ids) == (10, [])


def test_reset_refuses_a_negative_block(admin_client):
    admin_client.post(RESET_URL, {"block": -1, "confirm": "on"})

    assert not IngestCursor.objects.exists()


def test_the_cursor_cannot_be_edited_or_deleted_by_hand(admin_client):
    IngestCursor.objects.create(block=7)

    assert admin_client.get("/admin/qn_ingest/ingestcursor/add/").status_code == 403
    assert admin_client.get("/admin/qn_ingest/ingestcursor/1/delete/").status_code == 403
    page = admin_client.get("/admin/qn_ingest/ingestcursor/1/change/").content.decode()
    assert 'name="block"' not in page  # read-only field: shown, not an input
