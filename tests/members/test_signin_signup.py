import pytest
from django.core import mail
from substrateinterface import Keypair, KeypairType

from members.models import Member
from members.tokens import auth_token_issue
from tests.conftest import GraphQLClient, error_messages
from tests.factories import MemberFactory
from tests.members.conftest import signed_variables
from tests.members.signers import ALICE, BOB, CAROL_ED25519, DAVE_ECDSA, now_ms
from tests.members.tokens_helpers import forged_token, old_backend_token

SIGNIN = """
mutation ($memberId: Int!, $signature: String!, $timestamp: BigInt!) {
  signin(memberId: $memberId, signature: $signature, timestamp: $timestamp)
}
"""
SIGNUP = """
mutation ($memberId: Int!, $name: String!, $email: String, $signature: String!, $timestamp: BigInt!) {
  signup(memberId: $memberId, name: $name, email: $email, signature: $signature, timestamp: $timestamp)
}
"""
ME = "query { me { id name email unverifiedEmail receiveEmails } }"
HOUR_MS = 3_600_000
MINUTE_MS = 60_000


def error_codes(result: dict) -> list[str]:
    return [error.get("extensions", {}).get("code") for error in result.get("errors", [])]


def assert_invalid_signature(result: dict) -> None:
    assert error_messages(result) == ["Invalid signature"], result
    assert error_codes(result) == ["INVALID_SIGNATURE"]
    assert result["data"] == {"signin": None} or result["data"] == {"signup": None}


# --- signin -------------------------------------------------------------------------------


@pytest.mark.parametrize("member_id", [1, 3, 4], ids=["sr25519", "ed25519", "ecdsa"])
@pytest.mark.parametrize("wrapped", [False, True], ids=["raw", "bytes-wrapped"])
def test_signin_of_a_registered_member_returns_a_token_for_me(api_client, query_node, member_id, wrapped):
    MemberFactory(id=member_id, name="someone")

    token = api_client.execute(SIGNIN, signed_variables(member_id, wrapped=wrapped))["signin"]

    assert GraphQLClient(token=token).execute(ME)["me"]["id"] == member_id


def test_signin_accepts_the_timestamp_as_an_int_too(api_client, query_node):
    timestamp = now_ms()
    variables = signed_variables(1, timestamp=timestamp)
    variables["timestamp"] = timestamp

    assert api_client.execute(SIGNIN, variables)["signin"]


def test_signin_of_an_unregistered_member_returns_a_token_that_me_rejects(api_client, query_node):
    token = api_client.execute(SIGNIN, signed_variables(2))["signin"]

    result = GraphQLClient(token=token).post(ME)
    assert error_messages(result) == ["Unauthorized"]


@pytest.mark.parametrize("signature", ["", "0x", "0xnothex", "0x" + "00" * 64])
def test_signin_with_an_empty_or_malformed_signature_is_refused(api_client, query_node, signature):
    result = api_client.post(SIGNIN, {**signed_variables(1), "signature": signature})

    assert_invalid_signature(result)


def test_signin_with_a_signature_of_another_message_is_refused(api_client, query_node):
    timestamp = now_ms()
    variables = signed_variables(1, timestamp=timestamp - 1)  # signed one timestamp...
    variables["timestamp"] = str(timestamp)  # ...sent with another

    assert_invalid_signature(api_client.post(SIGNIN, variables))


def test_signin_with_a_signature_for_another_member_id_is_refused(api_client, query_node):
    # Alice controls 1; her valid signature for membership 1 must not sign her in as 2.
    variables = signed_variables(1)
    variables["memberId"] = 2

    assert_invalid_signature(api_client.post(SIGNIN, variables))


def test_signin_signed_by_another_key_is_refused(api_client, query_node):
    assert_invalid_signature(api_client.post(SIGNIN, signed_variables(1, BOB)))


def test_signin_signed_with_the_same_seed_in_another_crypto_type_is_refused(api_client, query_node):
    seed = "0x" + "5e" * 32
    sr25519 = Keypair.create_from_seed(seed, crypto_type=KeypairType.SR25519, ss58_format=126)
    ed25519 = Keypair.create_from_seed(seed, crypto_type=KeypairType.ED25519, ss58_format=126)
    query_node.data.member(9, handle="erin", controller_account=sr25519.ss58_address)

    assert api_client.execute(SIGNIN, signed_variables(9, sr25519))["signin"]
    assert_invalid_signature(api_client.post(SIGNIN, signed_variables(9, ed25519)))


@pytest.mark.parametrize(
    "offset_ms",
    [-HOUR_MS - MINUTE_MS, -24 * HOUR_MS, 6 * MINUTE_MS, 365 * 24 * HOUR_MS],
    ids=["61-minutes-old", "a-day-old", "6-minutes-ahead", "a-year-ahead"],
)
def test_signin_with_a_stale_or_future_timestamp_is_refused(api_client, query_node, offset_ms):
    variables = signed_variables(1, timestamp=now_ms() + offset_ms)

    assert_invalid_signature(api_client.post(SIGNIN, variables))
    assert query_node.operations() == []  # a replayed request costs no query-node round trip


@pytest.mark.parametrize(
    "offset_ms", [-50 * MINUTE_MS, 4 * MINUTE_MS], ids=["50-minutes-old", "4-minutes-ahead"]
)
def test_signin_within_the_timestamp_window_is_accepted(api_client, query_node, offset_ms):
    assert api_client.execute(SIGNIN, signed_variables(1, timestamp=now_ms() + offset_ms))["signin"]


def test_signin_of_an_unknown_membership_is_refused(api_client, query_node):
    # Alice signs "77:<ts>" correctly, but membership 77 does not exist on chain.
    assert_invalid_signature(api_client.post(SIGNIN, signed_variables(77, ALICE)))


@pytest.mark.parametrize("fault", ["500", "malformed", "graphql_error"])
def test_signin_when_the_query_node_fails_says_so(api_client, query_node, fault):
    query_node.fail_always(fault)

    result = api_client.post(SIGNIN, signed_variables(1))

    assert error_codes(result) == ["QUERY_NODE_UNAVAILABLE"]
    assert "Query node" in error_messages(result)[0]


def test_signin_when_the_query_node_is_down_says_so(api_client, query_node, settings):
    query_node.stop()  # nothing listens on its port any more

    result = api_client.post(SIGNIN, signed_variables(1))

    assert error_codes(result) == ["QUERY_NODE_UNAVAILABLE"]
    assert error_messages(result) != ["Invalid signature"]


@pytest.mark.parametrize(
    "authorization",
    ["", "Bearer", "Bearer ", "Bearer stale.token.value", "Basic abc"],
    ids=["empty", "bearer-only", "bearer-space", "garbage", "basic"],
)
def test_a_stale_or_empty_authorization_never_breaks_signin_or_signup(
    api_client, query_node, authorization, tasks_inline
):
    signin = api_client.post(SIGNIN, signed_variables(1), HTTP_AUTHORIZATION=authorization)
    signup = api_client.post(
        SIGNUP, {**signed_variables(2), "name": "bob", "email": None}, HTTP_AUTHORIZATION=authorization
    )

    assert "errors" not in signin and signin["data"]["signin"]
    assert "errors" not in signup and signup["data"]["signup"]


@pytest.mark.parametrize(
    "token",
    [forged_token(1), old_backend_token(1, expires_in_seconds=-60), auth_token_issue(member_id=2)],
    ids=["forged", "expired", "another-members"],
)
def test_a_forged_expired_or_other_members_token_never_breaks_signin(api_client, query_node, token):
    MemberFactory(id=1)

    new_token = api_client.execute(SIGNIN, signed_variables(1), HTTP_AUTHORIZATION=f"Bearer {token}")[
        "signin"
    ]

    assert GraphQLClient(token=new_token).execute(ME)["me"]["id"] == 1


# --- signup -------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_signup_stores_the_member_and_sends_a_verification_email(
    api_client, query_node, tasks_inline, settings
):
    settings.CORS_ALLOWED_ORIGINS = ["https://dao.example"]
    variables = {**signed_variables(1), "name": "Alice", "email": "alice@example.org"}

    token = api_client.execute(SIGNUP, variables, HTTP_REFERER="https://dao.example/pioneer/")["signup"]

    me = GraphQLClient(token=token).execute(ME)["me"]
    assert me == {
        "id": 1,
        "name": "Alice",
        "email": None,
        "unverifiedEmail": "alice@example.org",
        "receiveEmails": True,
    }
    [message] = mail.outbox
    assert message.to == ["alice@example.org"]
    assert "https://dao.example/pioneer/#/settings?emailVerificationToken=" in message.body
    html = message.alternatives[0][0]
    assert "https://dao.example/pioneer/#/settings?emailVerificationToken=" in html


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "referer",
    [None, "", "javascript:alert(1)", "ftp://files.example/", "not a url", "https://evil.example/login"],
    ids=["absent", "empty", "javascript", "ftp", "text", "unlisted-origin"],
)
def test_the_verification_link_falls_back_to_pioneer_url(
    api_client, query_node, tasks_inline, settings, referer
):
    settings.PIONEER_URL = "https://pioneer.example"
    headers = {"HTTP_REFERER": referer} if referer is not None else {}

    api_client.execute(SIGNUP, {**signed_variables(1), "name": "Alice", "email": "a@example.org"}, **headers)

    [message] = mail.outbox
    assert "https://pioneer.example/#/settings?emailVerificationToken=ey" in message.body


@pytest.mark.django_db(transaction=True)
def test_the_referer_must_be_an_allowed_origin_when_cors_is_configured(
    api_client, query_node, tasks_inline, settings
):
    settings.PIONEER_URL = "https://pioneer.example"
    settings.CORS_ALLOWED_ORIGINS = ["https://pioneerapp.xyz"]
    settings.CORS_ALLOW_ALL_ORIGINS = False

    api_client.execute(
        SIGNUP,
        {**signed_variables(1), "name": "Alice", "email": "a@example.org"},
        HTTP_REFERER="https://phishing.example/",
    )
    api_client.execute(
        SIGNUP,
        {**signed_variables(2), "name": "Bob", "email": "b@example.org"},
        HTTP_REFERER="https://pioneerapp.xyz/",
    )

    first, second = mail.outbox
    assert "https://pioneer.example/#/settings?emailVerificationToken=" in first.body
    assert "https://pioneerapp.xyz/#/settings?emailVerificationToken=" in second.body


@pytest.mark.parametrize(
    "email",
    ["", "not-an-email", "a@", "@example.org", "a b@example.org", "a@example.org\nBcc: x@example.org"],
)
def test_signup_with_an_invalid_email_is_refused(api_client, query_node, email, tasks_inline):
    result = api_client.post(SIGNUP, {**signed_variables(1), "name": "Alice", "email": email})

    assert error_messages(result) == ["Invalid email"]
    assert error_codes(result) == ["INVALID_EMAIL"]
    assert not Member.objects.exists()
    assert mail.outbox == []


def test_signup_without_email_stores_the_member_and_sends_nothing(api_client, query_node, tasks_inline):
    api_client.execute(SIGNUP, {**signed_variables(3), "name": "Carol", "email": None})

    member = Member.objects.get(pk=3)
    assert (member.name, member.email, member.unverified_email) == ("Carol", None, None)
    assert mail.outbox == []


def test_a_second_signup_is_refused(api_client, query_node, tasks_inline):
    api_client.execute(SIGNUP, {**signed_variables(1), "name": "Alice", "email": "a@example.org"})

    result = api_client.post(SIGNUP, {**signed_variables(1), "name": "Mallory", "email": "m@example.org"})

    assert error_messages(result) == ["Member already exists"]
    assert error_codes(result) == ["MEMBER_EXISTS"]
    assert Member.objects.get(pk=1).name == "Alice"


def test_signup_with_a_bad_signature_stores_nothing(api_client, query_node, tasks_inline):
    result = api_client.post(SIGNUP, {**signed_variables(1, BOB), "name": "Alice", "email": "a@example.org"})

    assert_invalid_signature(result)
    assert not Member.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize("name", ["", "   ", "x" * 256])
def test_signup_with_an_empty_or_too_long_name_is_refused(api_client, query_node, name):
    result = api_client.post(SIGNUP, {**signed_variables(1), "name": name, "email": None})

    assert error_codes(result) == ["BAD_USER_INPUT"]
    assert not Member.objects.exists()


@pytest.mark.parametrize("member_id", [3, 4], ids=["ed25519", "ecdsa"])
def test_signup_with_other_key_types(api_client, query_node, member_id, tasks_inline):
    key = {3: CAROL_ED25519, 4: DAVE_ECDSA}[member_id]
    variables = {**signed_variables(member_id, key, wrapped=True), "name": "x", "email": None}

    assert api_client.execute(SIGNUP, variables)["signup"]
    assert Member.objects.filter(pk=member_id).exists()


@pytest.mark.parametrize("timestamp", ["soon", "1.5", "", True], ids=["word", "decimal", "empty", "boolean"])
def test_a_timestamp_that_is_not_an_integer_is_a_clear_input_error(api_client, query_node, timestamp):
    result = api_client.post(SIGNIN, {**signed_variables(1), "timestamp": timestamp})

    assert "BigInt" in error_messages(result)[0]
    assert query_node.operations() == []  # refused before any query-node round trip
