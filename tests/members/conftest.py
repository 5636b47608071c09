import pytest

from pioneer.celery import app as celery_app
from tests.members.signers import ALICE, BOB, CAROL_ED25519, DAVE_ECDSA

# On-chain memberships of the fake query node: id → controller key.
CONTROLLERS = {1: ALICE, 2: BOB, 3: CAROL_ED25519, 4: DAVE_ECDSA}
HANDLES = {1: "alice", 2: "bob", 3: "carol", 4: "dave"}


@pytest.fixture
def query_node(fake_query_node):
    for member_id, key in CONTROLLERS.items():
        fake_query_node.data.member(member_id, handle=HANDLES[member_id], controller_account=key.ss58_address)
    return fake_query_node


@pytest.fixture
def tasks_inline():
    """Run Celery tasks in the calling process, as a deployment without CELERY_BROKER_URL does
    (the test run may have a broker configured, with no worker consuming it)."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


def signed_variables(
    member_id: int, key=None, *, timestamp: int | None = None, wrapped: bool = False
) -> dict:
    """memberId/signature/timestamp for signin and signup, signed by `key` (default: the controller)."""
    from tests.members.signers import now_ms, sign_login

    timestamp = now_ms() if timestamp is None else timestamp
    key = key or CONTROLLERS[member_id]
    return {
        "memberId": member_id,
        "signature": sign_login(key, member_id, timestamp, wrapped=wrapped),
        # The UI sends the BigInt timestamp as a decimal string.
        "timestamp": str(timestamp),
    }
