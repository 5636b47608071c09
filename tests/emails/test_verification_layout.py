"""The verification email (members app) shares the notification layout, without unsubscribe."""

from members.emails import verification_email_context, verification_email_render
from members.models import Member
from tests.emails.conftest import PIONEER_URL

LINK = f"{PIONEER_URL}/#/settings?emailVerificationToken=eyJ.token"


def test_verification_email_uses_the_base_layout():
    member = Member(id=5, name="Ada <3")
    context = verification_email_context(member=member, email="ada@example.org", link=LINK)
    subject, text, html = verification_email_render(context=context)
    assert subject == "Confirm your email address for Pioneer notifications"
    assert "Hi Ada <3," in text and "Hi Ada &lt;3," in html
    assert f"Confirm email address: {LINK}" in text and f'href="{LINK}"' in html
    for link in (f"{PIONEER_URL}/#/council", f"{PIONEER_URL}/#/forum", "https://www.joystream.org"):
        assert link in text and link in html
    assert "Unsubscribe" not in text and "Unsubscribe" not in html
    assert 'role="presentation"' in html and "display:none" in html  # layout + preheader
