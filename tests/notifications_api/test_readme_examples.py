"""The README's API examples run as written (those that need no wallet signature or email link)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

README = Path(settings.BASE_DIR) / "README.md"
# Examples of operations that need a real signature, email link or the auth issue's email flow.
NOT_RUNNABLE_HERE = ("signin(", "signup(", "verifyEmail(", "updateMember(")


def api_examples() -> list[str]:
    section = README.read_text().split("## API", 1)[1].split("\n## ", 1)[0]
    examples = re.findall(r"\| `((?:\{|mutation ).*?)` \|$", section, flags=re.MULTILINE)
    return [example for example in examples if not any(name in example for name in NOT_RUNNABLE_HERE)]


def test_the_readme_documents_every_subscription_and_feed_operation():
    documented = " ".join(api_examples())

    for operation in (
        "generalSubscriptions {",
        "generalSubscriptions(data:",
        "entitySubscription(",
        "subscribeToEntity(",
        "entitySubscriptions(",
        "notifications(",
        "notificationsCount(",
        "markNotificationsAsRead(",
        "markNotificationsAsUnread(",
    ):
        assert operation in documented, operation


@pytest.mark.django_db
@pytest.mark.parametrize("example", api_examples())
def test_readme_example_runs(member_api_client, example):
    data = member_api_client.execute(example)

    assert data
