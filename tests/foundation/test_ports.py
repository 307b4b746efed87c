"""Ports picked for servers started on the fly lie below the kernel's ephemeral range, where no
outgoing connection can take them between the pick and the bind."""

from __future__ import annotations

import socket

from minhbach.infra.embedded import FIRST_PICKED_PORT, free_port, free_port_range


def _ephemeral_start() -> int:
    with open("/proc/sys/net/ipv4/ip_local_port_range") as ranges:
        return int(ranges.read().split()[0])


def test_picked_ports_are_free_and_below_the_ephemeral_range() -> None:
    below = _ephemeral_start()
    for _ in range(50):
        port = free_port()
        assert FIRST_PICKED_PORT <= port < below
        with socket.socket() as server:
            server.bind(("127.0.0.1", port))


def test_a_range_is_consecutive_free_ports_below_the_ephemeral_range() -> None:
    base = free_port_range(40)
    assert base >= FIRST_PICKED_PORT and base + 40 <= _ephemeral_start()
    sockets = [socket.socket() for _ in range(40)]
    try:
        for offset, sock in enumerate(sockets):
            sock.bind(("127.0.0.1", base + offset))
    finally:
        for sock in sockets:
            sock.close()
