"""Response headers of the preferences pages: they hold a credential in their URL and a form
that changes a member's settings, so they are never framed, cached or given a script to run."""

from __future__ import annotations

import secrets
from functools import wraps

NONCE_BYTES = 16


def page_headers(view):
    """Gives the view `request.csp_nonce` for its one <style> element, then sets the headers."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        request.csp_nonce = secrets.token_urlsafe(NONCE_BYTES)
        response = view(request, *args, **kwargs)
        response["Content-Security-Policy"] = (
            f"default-src 'none'; style-src 'nonce-{request.csp_nonce}'; img-src 'self' data:; "
            "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        )
        response["X-Frame-Options"] = "DENY"
        # Same origin: Django's CSRF check of HTTPS posts needs the Referer; links out get none,
        # so the token never reaches Pioneer or another site.
        response["Referrer-Policy"] = "same-origin"
        response["Cache-Control"] = "no-store"
        response["X-Robots-Tag"] = "noindex"
        return response

    return wrapped
