"""Which addresses the server may call on an organiser's behalf: SSRF protection for webhooks.

An organiser chooses a URL and the server POSTs to it, so without a guard an organiser could make the
server call its own neighbours: Redis on ``127.0.0.1:6379``, the cloud metadata service on
``169.254.169.254``, a database on ``10.0.0.5``. Two checks, with one rule (:func:`is_public`):

1. *at registration* (:func:`host_refusal`): a URL whose host is a literal non-public address (in any
   spelling a resolver accepts) or a name kept for private networks (``localhost``, ``*.internal``, a
   single label) is refused, so the organiser hears about it at once;
2. *at every connection* (:class:`GuardedBackend`): the host is resolved, every address it resolves to
   must be public, and the socket is opened to one of those vetted addresses, never to the name. A
   resolver that answers "public" to the check and "private" a moment later (DNS rebinding) is never
   asked the second time. TLS still verifies the certificate against the name (httpcore passes the
   URL's host as ``server_hostname``), and the ``Host`` header is the URL's.

httpx 0.28 takes no network backend (encode/httpx#3749 proposes one), so :class:`GuardedTransport` is
httpx's own transport with its connection pool rebuilt around the guarded backend; httpx keeps mapping
errors and streaming responses as usual.
"""

from __future__ import annotations

import re
import socket
import ssl
import typing
from collections.abc import Awaitable, Callable, Sequence
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address
from typing import Final

import anyio
import httpcore
import httpx

IPAddress = IPv4Address | IPv6Address
Resolver = Callable[[str, int], Awaitable[list[IPAddress]]]

IPV4_COMPATIBLE: Final = IPv6Network("::/96")  # deprecated (RFC 4291); ::127.0.0.1 is loopback to some stacks
NAT64: Final = IPv6Network("64:ff9b::/96")  # RFC 6052: the IPv4 address sits in the last 32 bits
NAT64_LOCAL: Final = IPv6Network("64:ff9b:1::/48")  # RFC 8215, local use
SHARED: Final = IPv4Network("100.64.0.0/10")  # RFC 6598
PRIVATE_NAME_SUFFIXES: Final = ("localhost", "local", "internal", "home.arpa")  # RFC 6761, 6762, 8375; ICANN
# Hosts made only of numbers (decimal, 0-octal, 0x-hex) are IPv4 addresses to resolvers: 2130706433, 0x7f.1
NUMERIC_HOST: Final = re.compile(r"(?:0x[0-9a-f]*|[0-9]+)(?:\.(?:0x[0-9a-f]*|[0-9]+)){0,3}\.?", re.IGNORECASE)


class DestinationRefused(Exception):
    """The host is, or resolves to, an address this server does not call. Not retried."""


def _embedded_ipv4(address: IPAddress) -> IPv4Address | None:
    """The IPv4 address an IPv6 address carries and reaches: mapped, 6to4, NAT64, IPv4-compatible."""
    if isinstance(address, IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in NAT64 or (address in IPV4_COMPATIBLE and int(address) > 1):  # not :: and ::1
        return IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public(address: IPAddress) -> bool:
    """Whether ``address`` is on the public internet: globally reachable, not multicast, and not an IPv6
    form of a non-public IPv4 address.

    ``is_global`` alone lets through multicast, and (in Python 3.11) site-local ``fec0::/10``,
    IPv4-compatible ``::7f00:1``, 6to4 ``2002:7f00:1::`` and NAT64 ``64:ff9b::7f00:1``.

    Example: ``is_public(ip_address("93.184.216.34"))`` is True; ``is_public(ip_address("::ffff:7f00:1"))``
    is False.
    """
    if address.is_multicast or not address.is_global:
        return False
    if isinstance(address, IPv6Address) and (
        address.is_site_local or address in NAT64_LOCAL or address in IPV4_COMPATIBLE
    ):
        return False
    inner = _embedded_ipv4(address)
    return inner is None or is_public(inner)


def kind_of(address: IPAddress) -> str:
    """What a non-public address is, for people: "a loopback address"."""
    inner = _embedded_ipv4(address)
    if inner is not None and not is_public(inner):
        return f"an IPv6 form of {inner}, {kind_of(inner)}"
    kinds = (
        (address.is_loopback, "a loopback address (this server)"),
        (address.is_unspecified, "the unspecified address (this server)"),
        (address.is_link_local, "a link-local address (where cloud metadata services answer)"),
        (address.is_multicast, "a multicast address"),
        (address.is_private, "a private-network address"),
        (address in SHARED, "a shared address (carrier-grade NAT)"),
        (getattr(address, "is_site_local", False), "a site-local address (a retired private range)"),
        (address.is_reserved, "a reserved address"),
    )
    return next((text for flag, text in kinds if flag), "not a public internet address")


def literal_address(host: str) -> IPAddress | None:
    """The address a URL's host spells out, or None for a name.

    IPv6 with or without brackets (and a zone), IPv4 in every form a resolver accepts: dotted,
    decimal ``2130706433``, octal ``0177.0.0.1``, hex ``0x7f.1``, short ``127.1``. A host made of
    numbers that is no address raises ValueError (resolvers disagree about such hosts).

    Example: ``literal_address("0x7f.1")`` is ``IPv4Address("127.0.0.1")``.
    """
    bare = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    try:
        return ip_address(bare)
    except ValueError:
        pass
    if not NUMERIC_HOST.fullmatch(bare):
        return None
    try:  # inet_aton is the parser behind getaddrinfo's numeric hosts
        return IPv4Address(socket.inet_aton(bare.rstrip(".")))
    except OSError:
        raise ValueError(f"{host} is made of numbers but is not an IPv4 address") from None


def host_refusal(host: str) -> str | None:
    """Why a webhook may not point at ``host`` (a URL's host), or None when it may.

    Names are not resolved here: what a name resolves to is checked before every delivery.

    Example: ``host_refusal("2130706433")`` is "127.0.0.1 is a loopback address (this server)";
    ``host_refusal("hooks.example.com")`` is None.
    """
    try:
        address = literal_address(host)
    except ValueError as exc:
        return str(exc)
    if address is not None:
        return None if is_public(address) else f"{address} is {kind_of(address)}"
    name = host.rstrip(".").lower()
    if any(name == suffix or name.endswith("." + suffix) for suffix in PRIVATE_NAME_SUFFIXES):
        return f"{name} is a name kept for private networks"
    if "." not in name:
        return f"{name or 'an empty name'} has a single label, so it names a host of a private network"
    return None


async def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to, in the resolver's order (getaddrinfo on a worker thread)."""
    infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(ip_address(info[4][0]) for info in infos))


def vet(host: str, addresses: Sequence[IPAddress]) -> None:
    """Refuse ``host`` when ANY of its addresses is not public (a resolver may hand out any of them)."""
    for address in addresses:
        if not is_public(address):
            what = f"{address} is" if host == str(address) else f"{host} resolves to {address},"
            raise DestinationRefused(
                f"not sent: {what} {kind_of(address)}; webhooks are sent to public internet addresses only"
            )


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """An httpcore network backend that resolves the host itself, vets every address, and connects to
    the vetted addresses (in the resolver's order), so the name is never resolved a second time.

    ``allow_private`` skips the vetting (self-hosters delivering to their own network) but still
    connects to the addresses resolved here.
    """

    def __init__(
        self,
        *,
        allow_private: bool,
        resolver: Resolver = resolve,
        inner: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        self.allow_private = allow_private
        self._resolve = resolver
        self._inner = inner if inner is not None else httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self._addresses(host, port, timeout)
        if not self.allow_private:
            vet(host, addresses)
        options = list(socket_options or ())
        failure: httpcore.ConnectError | httpcore.ConnectTimeout | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    str(address), port, timeout=timeout, local_address=local_address, socket_options=options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None
        raise failure

    async def _addresses(self, host: str, port: int, timeout: float | None) -> list[IPAddress]:
        # the same errors the default backend raises for a name that does not resolve
        try:
            with anyio.fail_after(timeout):
                addresses = await self._resolve(host, port)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"resolving {host} took longer than {timeout} s") from exc
        except OSError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        if not addresses:
            raise httpcore.ConnectError(f"{host} has no address")
        return addresses

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport (HTTP/1.1, its connection limits and TLS defaults) opening connections through
    :class:`GuardedBackend`. Proxies from the environment are not used: a proxy would connect for us."""

    def __init__(self, backend: GuardedBackend, *, ssl_context: ssl.SSLContext | None = None) -> None:
        super().__init__()
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context or httpx.create_ssl_context(),
            max_connections=100,  # httpx's defaults
            max_keepalive_connections=20,
            keepalive_expiry=5.0,
            network_backend=backend,
        )


def guarded_client(*, allow_private: bool, resolver: Resolver = resolve) -> httpx.AsyncClient:
    """An httpx client for organisers' URLs: no redirects, no proxies or .netrc from the environment,
    every connection vetted by :class:`GuardedBackend`."""
    backend = GuardedBackend(allow_private=allow_private, resolver=resolver)
    return httpx.AsyncClient(transport=GuardedTransport(backend), follow_redirects=False, trust_env=False)
