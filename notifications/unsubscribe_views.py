"""The unsubscribe link of every notification email: GET asks, POST (one-click) acts.

No login: the signed token is the credential, and all it can do is turn email off.
CSRF protection is off on purpose: RFC 8058 one-click POSTs come from mail providers,
which have no CSRF cookie, and a forged request still needs a valid token.
"""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from members.models import Member
from notifications.presentation import settings_link
from notifications.unsubscribe import (
    InvalidUnsubscribeToken,
    UnsubscribeScope,
    member_unsubscribe,
    unsubscribe_token_decode,
)
from preferences.tokens import preferences_url


def _invalid(request):
    context = {"settings_url": settings_link(), "preferences_url": reverse("preferences-request")}
    return render(request, "unsubscribe/invalid.html", context, status=400)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request, token: str):
    try:
        claim = unsubscribe_token_decode(token)
    except InvalidUnsubscribeToken:
        return _invalid(request)
    member = Member.objects.filter(id=claim.member_id).first()
    if member is None:
        return _invalid(request)
    context = {
        "member": member,
        "kind_label": claim.label,
        "settings_url": settings_link(),
        # The whole preferences page, for the member of this link (a link email without address: ask).
        "preferences_url": (
            preferences_url(member_id=member.id, email=member.email)
            if member.email
            else reverse("preferences-request")
        ),
    }
    if request.method == "GET":
        return render(request, "unsubscribe/confirm.html", context)
    # The one-click body is "List-Unsubscribe=One-Click" (no scope): it means "this kind".
    try:
        scope = UnsubscribeScope(request.POST.get("scope") or UnsubscribeScope.KIND)
    except ValueError:
        return render(request, "unsubscribe/confirm.html", context, status=400)
    member_unsubscribe(claim=claim, scope=scope)
    return render(request, "unsubscribe/done.html", {**context, "scope": scope.value})
