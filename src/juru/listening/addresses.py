"""Where alert webhooks may go: public internet addresses only, checked when saved and again when sent.

A webhook address is typed by an organisation's manager but fetched by Juru's own servers, so it
must not reach what only those servers can reach: private networks, loopback, link-local (where
cloud metadata services answer, 169.254.169.254), carrier-grade NAT and other reserved ranges. The
name is resolved again at send time and the request goes to the address that was checked, so a
name that changes its answer after saving (DNS rebinding) cannot slip through. An operator may
allow private networks explicitly (``JURU_WEBHOOK_ALLOWED_NETWORKS``, e.g. ``10.20.0.0/16``).
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.utils.translation import gettext as _

from juru.listening.exceptions import ListeningError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True, slots=True)
class Target:
    """A checked webhook address: what to connect to, and the name the server expects."""

    url: str  # the address with the checked IP in place of the name
    host_header: str
    server_name: str  # for TLS (SNI and the certificate check)


def allowed_networks() -> list[IPNetwork]:
    """Private networks the operator allows webhooks into (``settings.LISTENING_WEBHOOK_ALLOWED_NETWORKS``)."""
    return [ipaddress.ip_network(net, strict=False) for net in settings.LISTENING_WEBHOOK_ALLOWED_NETWORKS]


def resolve(host: str, port: int) -> list[str]:
    """Every address a name resolves to (an IP literal resolves to itself)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def is_refused(address: IPAddress, allowed: list[IPNetwork]) -> bool:
    """True for an address a webhook must not reach."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    if any(address in net for net in allowed):
        return False
    return not address.is_global or address.is_multicast


def check(url: str) -> Target:
    """The checked target of ``url``; ``ListeningError`` (translated) when it may not be used."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ListeningError(_("The webhook address must start with https:// or http://."))
    if parts.username or parts.password:
        raise ListeningError(_("The webhook address may not contain a user name or password."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise ListeningError(_("The webhook address has an invalid port.")) from None
    try:
        found = [ipaddress.ip_address(a.split("%", 1)[0]) for a in resolve(parts.hostname, port)]
    except (OSError, UnicodeError, ValueError):
        raise ListeningError(
            _("The webhook address %(host)s could not be found. Check the name.") % {"host": parts.hostname}
        ) from None
    allowed = allowed_networks()
    if not found or any(is_refused(address, allowed) for address in found):
        raise ListeningError(
            _(
                "The webhook address %(host)s leads to a private, local or cloud-metadata network. "
                "Alerts are only sent to public internet addresses."
            )
            % {"host": parts.hostname}
        )
    first = found[0]
    literal = f"[{first}]" if first.version == 6 else str(first)
    netloc = f"{literal}:{parts.port}" if parts.port else literal
    host_header = parts.netloc.rsplit("@", 1)[-1]
    return Target(urlunsplit((parts.scheme, netloc, parts.path, parts.query, "")), host_header, parts.hostname)
