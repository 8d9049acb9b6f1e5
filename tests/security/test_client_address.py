"""The client's address behind reverse proxies: the last entries of X-Forwarded-For, written by trusted proxies."""

from __future__ import annotations

import pytest
from django.test import RequestFactory, override_settings

from juru.project.client_address import client_address

PROXY = "10.0.0.5"


def request_from(remote: str, forwarded: str = "") -> object:
    extra = {"REMOTE_ADDR": remote}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_proxies_the_forwarded_header_is_ignored() -> None:
    assert client_address(request_from("203.0.113.7", "198.51.100.1")) == "203.0.113.7"  # type: ignore[arg-type]


@override_settings(TRUSTED_PROXIES=1)
def test_one_proxy_names_the_client_in_the_last_entry_and_a_spoofed_entry_is_ignored() -> None:
    assert client_address(request_from(PROXY, "203.0.113.7")) == "203.0.113.7"  # type: ignore[arg-type]
    # A client that sends its own header gets the proxy's entry appended after it.
    assert client_address(request_from(PROXY, "1.2.3.4, 203.0.113.7")) == "203.0.113.7"  # type: ignore[arg-type]


@override_settings(TRUSTED_PROXIES=2)
def test_two_proxies_count_two_entries_from_the_right() -> None:
    spoofed = "1.2.3.4, 203.0.113.7, 10.0.0.9"
    assert client_address(request_from(PROXY, spoofed)) == "203.0.113.7"  # type: ignore[arg-type]


@override_settings(TRUSTED_PROXIES=1)
@pytest.mark.parametrize("forwarded", ["", "not-an-address", " , "])
def test_a_missing_or_malformed_header_falls_back_to_the_connection(forwarded: str) -> None:
    assert client_address(request_from(PROXY, forwarded)) == PROXY  # type: ignore[arg-type]
