"""Which address a request comes from, for the per-client sign-in brake (item 5 of the hardening issue).

X-Forwarded-For is written by whoever sends the request; only the entries appended by our own reverse proxies
can be believed. So the header counts only when the direct peer is a trusted proxy
(COMPLIANCE_TRUSTED_PROXIES), and then the client is the right-most address that is not a trusted
proxy: the one the outermost of our proxies saw, whatever the client wrote to the left of it.

uvicorn, which Streamlit serves through, would otherwise rewrite the peer address from the header
itself for any request from 127.0.0.1 (its FORWARDED_ALLOW_IPS default), where every request arrives
behind a local proxy or a TCP forwarder (ssh -L, docker's proxy): serve.py switches that off with
`trust_no_forwarded_headers_in_server`.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Sequence

from dashboard.settings import TrustedProxies


def client_address(peer: str | None, forwarded_for: Sequence[str], trusted: TrustedProxies) -> str:
    """The client for `peer` (the TCP peer) given the X-Forwarded-For header values, in order."""
    if peer is None:
        return "unknown"
    if not _is_trusted(peer, trusted):
        return peer
    hops = [hop.strip() for value in forwarded_for for hop in value.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, trusted):
            return hop
    return hops[0] if hops else peer  # only proxies: the request started inside our own network


def trust_no_forwarded_headers_in_server() -> None:
    """Tell uvicorn (read when Streamlit creates its server, after serve.py is imported) to trust no peer's
    X-Forwarded-For / -Proto: the sign-in route decides by COMPLIANCE_TRUSTED_PROXIES instead.

    A write of uvicorn's own variable, not a read of ours: tests/test_settings.py allows it outside
    dashboard.settings, like the CLI's password input."""
    os.environ["FORWARDED_ALLOW_IPS"] = ""


def _is_trusted(address: str, trusted: TrustedProxies) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False  # not an address (a test client, a unix socket, garbage): never a proxy of ours
    return any(ip in network for network in trusted)
