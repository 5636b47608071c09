"""Webhook bodies as SendGrid and Mailgun post them (the shapes Anymail's docs and parsers
describe), and the HTTP requests that carry them."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time

from django.test import Client

from tests.deliverability.esp_api import MAILGUN_DOMAIN

WEBHOOK_SECRET = "anymail-hook:1f6c2f0e9d8b7a65"
MAILGUN_SIGNING_KEY = "key-9f1e3d5c7b9a1e3d5c7b9a1e3d5c7b9a"
SENDGRID_URL = "/anymail/sendgrid/tracking/"
MAILGUN_URL = "/anymail/mailgun/tracking/"


def basic_auth(credentials: str = WEBHOOK_SECRET) -> dict:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(credentials.encode()).decode()}


def sendgrid_event(event: str, *, email: str, anymail_id: str, **fields) -> dict:
    """One entry of SendGrid's Event Webhook array; `anymail_id` is the custom arg Anymail
    added at send time, which SendGrid merges into every event of that message."""
    return {
        "email": email,
        "timestamp": int(fields.pop("timestamp", time.time())),
        "smtp-id": f"<{secrets.token_hex(8)}@ismtpd0001p1>",
        "event": event,
        "category": [],
        "sg_event_id": fields.pop("sg_event_id", secrets.token_urlsafe(16)),
        "sg_message_id": f"{secrets.token_hex(10)}.filter0001.16648.5515E0B88.0",
        "anymail_id": anymail_id,
        **fields,
    }


def sendgrid_post(client: Client, events: list[dict], *, auth: dict | None = None):
    """POST as SendGrid does, with the basic auth of the URL configured there (or `auth`)."""
    headers = basic_auth() if auth is None else auth
    return client.post(SENDGRID_URL, data=json.dumps(events), content_type="application/json", **headers)


def mailgun_event(
    event: str, *, recipient: str, message_id: str, signing_key: str = MAILGUN_SIGNING_KEY, **data
) -> dict:
    """A Mailgun webhook body: `event-data` plus the `signature` block, signed as Mailgun signs
    it (HMAC-SHA256 of timestamp + token with the domain's webhook signing key)."""
    timestamp = str(int(data.pop("timestamp", time.time())))
    token = data.pop("token", secrets.token_hex(25))
    signature = hmac.new(signing_key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    return {
        "signature": {"timestamp": timestamp, "token": token, "signature": signature},
        "event-data": {
            "event": event,
            "timestamp": float(timestamp),
            "id": secrets.token_urlsafe(16),
            "recipient": recipient,
            "tags": [],
            "user-variables": {},
            # Mailgun's headers carry the id without the angle brackets its API answered with.
            "message": {"headers": {"message-id": message_id.strip("<>"), "to": recipient}},
            "envelope": {"sending-ip": "209.61.154.250", "sender": f"bounce@{MAILGUN_DOMAIN}"},
            **data,
        },
    }


def mailgun_post(client: Client, body: dict, *, auth: dict | None = None):
    headers = basic_auth() if auth is None else auth
    return client.post(MAILGUN_URL, data=json.dumps(body), content_type="application/json", **headers)
