"""The runtime shell: mosh's socket rules and the selectors loop, over real loopback UDP."""

from __future__ import annotations

import os
import signal
import socket

import pytest

from moshz.crypto.session import Session
from moshz.runtime import udp
from moshz.runtime.clock import monotonic_ms
from moshz.runtime.loop import Loop
from moshz.ssp.events import RemoteStateChanged
from moshz.ssp.transport import Transport
from moshz.statesync.user import UserStream
from tests.support.fakes import FakeClock, seeded_rand
from tests.support.harness import KEY


def test_clock_is_integer_milliseconds_that_never_go_back() -> None:
    first = monotonic_ms()
    assert isinstance(first, int) and monotonic_ms() >= first


def test_server_binds_port_zero_to_an_os_chosen_port() -> None:
    sock = udp.bind_server("127.0.0.1", 0, 0)
    try:
        assert sock.getsockname()[0] == "127.0.0.1" and sock.getsockname()[1] > 0
        assert sock.getsockopt(socket.IPPROTO_IP, socket.IP_TOS) == 0x02
    finally:
        sock.close()


def test_server_takes_the_next_free_port_of_a_range() -> None:
    first = udp.bind_server("127.0.0.1", 0, 0)
    port = first.getsockname()[1]
    try:
        second = udp.bind_server("127.0.0.1", port, port + 1)
        assert second.getsockname()[1] == port + 1
        second.close()
    finally:
        first.close()


def test_unusable_ip_falls_back_to_any_address_with_mosh_messages() -> None:
    messages: list[str] = []
    sock = udp.bind_server("192.0.2.254", 0, 0, warn=messages.append)
    try:
        assert sock.getsockname()[0] in ("0.0.0.0", "::")
    finally:
        sock.close()
    assert messages[0] == "Failed binding to 192.0.2.254:0"
    assert messages[1].startswith("Error binding to IP 192.0.2.254: bind: ")


def test_a_taken_port_is_a_fatal_bind_error() -> None:
    taken = udp.bind_server(None, 0, 0)
    port = taken.getsockname()[1]
    messages: list[str] = []
    try:
        with pytest.raises(OSError):
            udp.bind_server(None, port, port, warn=messages.append)
    finally:
        taken.close()
    assert messages[-1].startswith("Error binding to any interface: bind: ")


def test_client_endpoint_keeps_old_sockets_for_receiving_until_pruned() -> None:
    endpoint = udp.ClientEndpoint(socket.AF_INET, now=0)
    try:
        first = endpoint.sender()
        for i in range(12):
            endpoint.hop(now=1000 * (i + 1))
        assert len(endpoint.sockets()) == udp.MAX_PORTS_OPEN
        assert first not in endpoint.sockets()
        assert endpoint.sender() is endpoint.sockets()[-1]
        endpoint.prune(now=12000 + 60000)
        assert len(endpoint.sockets()) == 10
        endpoint.prune(now=12000 + 60001)
        assert endpoint.sockets() == [endpoint.sender()]
    finally:
        endpoint.close()


def make_pair(now: int):
    server_sock = udp.bind_server("127.0.0.1", 0, 0)
    server_addr = server_sock.getsockname()
    server = Transport(
        Session(KEY), is_server=True, local=UserStream(), remote=UserStream(),
        now=now, rand=seeded_rand(1),
    )
    client = Transport(
        Session(KEY), is_server=False, local=UserStream(), remote=UserStream(),
        now=now, rand=seeded_rand(2), server_addr=server_addr,
    )
    client.set_local_state(client.local_state.push_resize(80, 24).push_keys(b"hi"), now)
    endpoint = udp.ClientEndpoint(socket.AF_INET, now)
    return Loop(server, udp.ServerEndpoint(server_sock)), Loop(client, endpoint)


def close_all(*loops: Loop) -> None:
    for loop in loops:
        loop.close()
        loop.endpoint.close()


def test_two_loops_synchronize_over_loopback() -> None:
    server_loop, client_loop = make_pair(monotonic_ms())
    server_events: list[object] = []
    server_loop.add_event_handler(lambda event, now: server_events.append(event))
    for loop in (server_loop, client_loop):
        loop.add_ticker(lambda now: now + 10)  # one loop waits while the other runs
    try:
        for _ in range(50):
            client_loop.step()
            server_loop.step()
            if server_loop.transport.remote_state == client_loop.transport.local_state:
                break
        assert server_loop.transport.remote_state == client_loop.transport.local_state
        assert any(isinstance(e, RemoteStateChanged) for e in server_events)
        client_port = client_loop.endpoint.sender().getsockname()[1]
        assert server_loop.transport.remote_addr == ("127.0.0.1", client_port)
    finally:
        close_all(server_loop, client_loop)


def test_readers_tickers_and_signals_are_dispatched_from_the_loop() -> None:
    server_loop, client_loop = make_pair(monotonic_ms())
    read_fd, write_fd = os.pipe()
    seen: list[str] = []

    def on_read(now: int) -> None:
        seen.append(os.read(read_fd, 100).decode())

    def on_signal(now: int) -> None:
        seen.append("USR1")
        client_loop.stop()

    def tick(now: int) -> int:
        if not seen:
            os.write(write_fd, b"pty")
        elif seen == ["pty"]:
            os.kill(os.getpid(), signal.SIGUSR1)
        return now + 5

    previous = signal.getsignal(signal.SIGUSR1)
    client_loop.add_reader(read_fd, on_read)
    client_loop.add_signal(signal.SIGUSR1, on_signal)
    client_loop.add_ticker(tick)
    try:
        client_loop.run()
    finally:
        client_loop.remove_reader(read_fd)
        os.close(read_fd)
        os.close(write_fd)
        close_all(server_loop, client_loop)
    assert seen == ["pty", "USR1"]
    assert signal.getsignal(signal.SIGUSR1) == previous


def test_client_hops_to_a_new_port_after_ten_silent_seconds() -> None:
    clock = FakeClock()
    server_loop, client_loop = make_pair(clock.now)
    client_loop.clock = clock
    client_loop.add_ticker(lambda now: now)  # never block: the clock is fake
    server_sock = server_loop.endpoint.sock
    try:
        client_loop.step()
        clock.advance(10_001)
        client_loop.step()
        assert len(client_loop.endpoint.sockets()) == 2
        clock.advance(3000)
        client_loop.step()
        ports = set()
        for _ in range(3):
            server_sock.settimeout(5)
            ports.add(server_sock.recvfrom(udp.RECEIVE_BUFFER)[1][1])
        assert len(ports) == 2
    finally:
        close_all(server_loop, client_loop)
