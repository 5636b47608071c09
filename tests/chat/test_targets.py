"""The address and scheme rules, on the validator directly: nothing here sends anything."""

import socket

import pytest

from chat.targets import chat_plugin, chat_target_check_address, chat_target_parse, secret_scrub
from pioneer.errors import DomainError, ErrorCode


@pytest.fixture(autouse=True)
def no_private_targets(settings):
    settings.CHAT_ALLOW_PRIVATE_TARGETS = False


def refusal(url: str) -> str:
    with pytest.raises(DomainError) as raised:
        chat_target_check_address(chat_target_parse(url))
    assert raised.value.code == ErrorCode.INVALID_INPUT
    return raised.value.message


@pytest.fixture
def resolves_to(monkeypatch):
    """Make one host name resolve to the given addresses (no DNS query leaves the machine)."""

    def install(name: str, *addresses: str):
        real = socket.getaddrinfo

        def fake(host, port, *args, **kwargs):
            if host != name:
                return real(host, port, *args, **kwargs)
            return [
                (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port or 0))
                for a in addresses
            ]

        monkeypatch.setattr(socket, "getaddrinfo", fake)

    return install


@pytest.mark.parametrize(
    "url",
    [
        "json://localhost:8080/hook",
        "json://sub.localhost/hook",
        "json://127.0.0.1/hook",
        "json://127.0.0.2:9000/hook",
        "json://[::1]:8080/hook",
        "jsons://10.1.2.3/hook",
        "jsons://192.168.0.10/hook",
        "jsons://172.16.5.5/hook",
        "jsons://169.254.169.254/latest",  # cloud metadata (link-local)
        "jsons://[fe80::1]/hook",
        "jsons://224.0.0.1/hook",
        "jsons://0.0.0.0/hook",
        "jsons://[::]/hook",
        "jsons://[::ffff:127.0.0.1]/hook",
        "jsons://0x7f000001/hook",  # 127.0.0.1 written in hex
        "mmosts://10.0.0.7/token",
        "ntfys://user:pw@192.168.1.1/topic",
    ],
)
def test_non_public_addresses_are_refused(url):
    message = refusal(url)
    assert "not allowed" in message
    assert "/hook" not in message and "pw" not in message


def test_a_name_resolving_to_a_private_address_is_refused(resolves_to):
    resolves_to("hooks.example.net", "93.184.215.14", "10.0.0.5")
    assert "resolves to 10.0.0.5" in refusal("jsons://hooks.example.net/hook")


def test_a_name_resolving_to_public_addresses_is_accepted(resolves_to):
    resolves_to("hooks.example.net", "93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c")
    target = chat_target_parse("jsons://hooks.example.net/hook/secret-token")
    chat_target_check_address(target)
    assert target.masked == "jsons://hooks.example.net"


def test_a_name_that_does_not_resolve_is_refused(resolves_to, monkeypatch):
    def fail(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", fail)
    assert "cannot be resolved" in refusal("jsons://nowhere.invalid/hook")


def test_the_flag_allows_private_targets(settings):
    settings.CHAT_ALLOW_PRIVATE_TARGETS = True
    for url in ("json://localhost/hook", "json://127.0.0.2/hook", "json://[::1]:9/hook"):
        chat_target_check_address(chat_target_parse(url))


def test_fixed_services_have_no_address_of_the_members_choosing():
    for url, masked in [
        ("discord://1234567890/abcdefTOKEN", "discord://discord.com"),
        ("tgram://123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/12345", "tgram://telegram.org"),
        ("slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ", "slack://slack.com"),
    ]:
        target = chat_target_parse(url)
        chat_target_check_address(target)
        assert target.masked == masked
        assert target.host == ""


def test_a_scheme_outside_chat_schemes_is_refused(settings):
    settings.CHAT_SCHEMES = ["discord", "jsons"]
    for url in ("json://example.com/hook", "mailto://user:pw@example.com", "https://example.com/hook"):
        with pytest.raises(
            DomainError, match="is not accepted here; the accepted schemes are discord, jsons"
        ):
            chat_target_parse(url)


def test_json_is_not_a_default_scheme_in_production():
    from pioneer import settings as settings_module

    assert "json" not in settings_module._CHAT_SCHEMES_DEFAULT
    assert "jsons" in settings_module._CHAT_SCHEMES_DEFAULT


@pytest.mark.parametrize("url", ["discord://", "tgram://not-a-token", "slack://", "jsons://"])
def test_a_url_apprise_cannot_use_is_refused(url):
    with pytest.raises(DomainError, match="Apprise cannot use this"):
        chat_target_parse(url)


@pytest.mark.parametrize("url", ["", "   ", "no scheme at all", None, 42, "json://a\x00b/hook"])
def test_malformed_input_is_refused(url):
    with pytest.raises(DomainError):
        chat_target_parse(url)


def test_apprise_never_follows_redirects_nor_matrix_delegation():
    plugin = chat_plugin("matrixs://user:pass@matrix.example.org/#room")
    assert plugin.redirects is False and plugin.discovery is False and plugin.retry == 0


def test_secret_scrub_hides_every_secret_piece_but_keeps_the_host():
    url = "jsons://bot:pw-secret-42@hooks.example.net/hooks/hook-token-0123456789?key=abcdef123"
    text = f"POST to {url}: hooks.example.net said no to pw-secret-42, hook-token-0123456789, abcdef123"
    scrubbed = secret_scrub(text, url)
    for secret in ("pw-secret-42", "hook-token-0123456789", "abcdef123"):
        assert secret not in scrubbed
    assert "hooks.example.net" in scrubbed
    discord = "discord://1234567890/abcdefTOKEN"
    assert "1234567890" not in secret_scrub("webhook 1234567890 failed", discord)
