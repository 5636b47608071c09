"""Anymail's tracking webhook views at their usual paths, /anymail/<esp>/tracking/.

Only the tracking views: nothing here receives inbound mail. Each view checks the basic
auth of ANYMAIL_WEBHOOK_SECRET (and the provider's signature where it has one, e.g.
Mailgun's ANYMAIL_MAILGUN_WEBHOOK_SIGNING_KEY), then sends Anymail's `tracking` signal,
which notifications/tracking.py receives.
"""

from anymail import urls as anymail_urls

app_name = "anymail"
urlpatterns = [
    pattern
    for pattern in anymail_urls.urlpatterns
    if pattern.name and pattern.name.endswith("_tracking_webhook")
]
