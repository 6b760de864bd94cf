"""The sans-I/O SSP transport: datagrams and the time in, datagrams and events out.

Driven like aioquic's connection: feed ``receive_datagram(data, addr, now)``,
publish local states with ``set_local_state``, drain ``datagrams_to_send(now)``,
sleep until ``next_timeout(now)``, and pull ``next_event()``. It never reads a
clock, sleeps or touches a socket; randomness (chaff) comes from ``rand``.
"""

from __future__ import annotations

from collections import deque
from typing import Generic, Iterator, TypeVar

from moshz.crypto.session import Session
from moshz.errors import ProtocolError
from moshz.ssp.connection import Connection
from moshz.ssp.events import (
    Address,
    DatagramRejected,
    Event,
    PeerAddressChanged,
    PeerShutdownAcknowledged,
    RemoteStateChanged,
    ShutdownAcknowledged,
    ShutdownTimedOut,
)
from moshz.ssp.receiver import ReceivedState, Receiver
from moshz.ssp.rtt import RttEstimator
from moshz.ssp.sender import CLIENT_MINDELAY, NEVER, SERVER_MINDELAY, Rand, Sender
from moshz.ssp.state import SyncState
from moshz.wire.fragment import (
    Fragment,
    FragmentAssembly,
    Fragmenter,
    decode_fragment,
    encode_fragment,
)
from moshz.wire.messages import Instruction

L = TypeVar("L", bound=SyncState)
R = TypeVar("R", bound=SyncState)


class Transport(Generic[L, R]):
    """One side of a mosh session: sends local states, receives the peer's."""

    def __init__(
        self,
        session: Session,
        *,
        is_server: bool,
        local: L,
        remote: R,
        now: int,
        rand: Rand,
        server_addr: Address | None = None,
        mtu: int | None = None,
    ) -> None:
        self._connection = Connection(session, is_server, now, server_addr, mtu)
        mindelay = SERVER_MINDELAY if is_server else CLIENT_MINDELAY
        self._sender: Sender[L] = Sender(local, self._connection.rtt, now, rand, mindelay)
        self._receiver: Receiver[R] = Receiver(remote, now)
        self._fragmenter = Fragmenter()
        self._assembly = FragmentAssembly()
        self._events: deque[Event] = deque()
        self._reported: set[type] = set()
        self.datagrams_received = 0
        self.datagrams_rejected = 0
        self.datagrams_sent = 0

    # -- inputs -------------------------------------------------------------

    def receive_datagram(self, data: bytes, addr: Address, now: int) -> None:
        """Process one UDP datagram; anything unacceptable is dropped and counted."""
        self.datagrams_received += 1
        try:
            packet = self._connection.open(data)
            instruction = self._assembly.add(decode_fragment(packet.payload))
            prepared = None
            if instruction is not None:
                prepared = self._receiver.prepare(instruction, now)
        except ProtocolError as error:
            self.datagrams_rejected += 1
            self._events.append(DatagramRejected(str(error)))
            return
        if self._connection.accept(packet, addr, now):
            self._events.append(PeerAddressChanged(addr))
        if instruction is not None:
            self._process(instruction, prepared, now)

    def _process(
        self, instruction: Instruction, prepared: ReceivedState[R] | None, now: int
    ) -> None:
        sender = self._sender
        sender.process_ack(instruction.ack_num)
        self._connection.last_roundtrip_success = sender.acked_time
        if sender.shutdown_acknowledged:
            self._report(ShutdownAcknowledged())
        if prepared is None or not self._receiver.commit(instruction, prepared, now):
            return
        sender.ack_num = instruction.new_num
        sender.last_heard = now
        if instruction.diff:
            sender.pending_data_ack = True
        self._events.append(RemoteStateChanged(instruction.new_num))

    def set_local_state(self, state: L, now: int) -> None:
        """Publish a new local state; it goes out after SEND_MINDELAY at the frame rate."""
        self._sender.set_current(state)
        self._sender.calculate_timers(now)

    def start_shutdown(self, now: int) -> None:
        """Ask the peer to end the session (the local state is frozen from now on)."""
        self._sender.start_shutdown(now)

    def send_failed(self, message: str, too_big: bool) -> None:
        """The shell could not send: keep the message for the UI; EMSGSIZE drops the MTU."""
        self._connection.send_failed(message, too_big)

    def port_hopped(self, now: int) -> None:
        """The client shell now sends from a new socket."""
        self._connection.port_hopped(now)

    # -- outputs ------------------------------------------------------------

    def datagrams_to_send(self, now: int) -> list[tuple[bytes, Address]]:
        """Datagrams due now, with their destination (empty most of the time)."""
        instruction = None
        if self._connection.has_remote_addr:
            instruction = self._sender.tick(now)
        else:
            self._sender.calculate_timers(now)
        datagrams = [] if instruction is None else self._seal(instruction, now)
        if datagrams and self._connection.after_send(now):
            self._events.append(PeerAddressChanged(None))
        if self._sender.peer_shutdown_ack_sent:
            self._report(PeerShutdownAcknowledged())
        if self._sender.shutdown_timed_out(now):
            self._report(ShutdownTimedOut())
        return datagrams

    def _seal(self, instruction: Instruction, now: int) -> list[tuple[bytes, Address]]:
        fragments: list[Fragment] = self._fragmenter.make_fragments(instruction, self._connection.mtu)
        addr = self._connection.remote_addr
        assert addr is not None
        self.datagrams_sent += len(fragments)
        return [(self._connection.seal(encode_fragment(f), now), addr) for f in fragments]

    def next_timeout(self, now: int) -> int | None:
        """Absolute ms at which ``datagrams_to_send`` should be called next (None: no peer)."""
        self._sender.calculate_timers(now)
        if not self._connection.has_remote_addr:
            return None
        deadline = self._sender.deadline()
        return None if deadline >= NEVER else deadline

    def next_event(self) -> Event | None:
        """The oldest unread event, or None."""
        return self._events.popleft() if self._events else None

    def events(self) -> Iterator[Event]:
        """Pull unread events, oldest first, until none is left (also those queued meanwhile)."""
        event = self.next_event()
        while event is not None:
            yield event
            event = self.next_event()

    def _report(self, event: Event) -> None:
        """Queue a one-time event (shutdown outcomes are reported once)."""
        if type(event) not in self._reported:
            self._reported.add(type(event))
            self._events.append(event)

    # -- queries ------------------------------------------------------------

    @property
    def local_state(self) -> L:
        """The current local state (after rationalization)."""
        return self._sender.current

    @property
    def remote_state(self) -> R:
        """The newest remote state received in order."""
        return self._receiver.newest.state

    @property
    def remote_state_num(self) -> int:
        """Number of the newest remote state."""
        return self._receiver.newest.num

    @property
    def remote_state_time(self) -> int:
        """When the newest remote state arrived (mosh's "last contact" for the UI)."""
        return self._receiver.newest.time

    @property
    def acked_state_sent_time(self) -> int:
        """When our newest acknowledged state was sent (mosh's "last reply" for the UI)."""
        return self._sender.acked_time

    @property
    def acked_state_num(self) -> int:
        """Number of our newest state the peer acknowledged."""
        return self._sender.sent[0].num

    @property
    def last_sent_state_num(self) -> int:
        """Number of our most recently sent state."""
        return self._sender.sent[-1].num

    @property
    def last_heard(self) -> int | None:
        """When the last authentic in-order datagram arrived (None: never)."""
        return self._connection.last_heard

    @property
    def remote_addr(self) -> Address | None:
        """Where datagrams go: the server address, or the client's latest address."""
        return self._connection.remote_addr

    @property
    def has_remote_addr(self) -> bool:
        """False until a server hears its client, and after 40 s of silence."""
        return self._connection.has_remote_addr

    @property
    def rtt(self) -> RttEstimator:
        """SRTT, RTTVAR, RTO and send interval as measured so far."""
        return self._connection.rtt

    @property
    def mtu(self) -> int:
        """The datagram size limit in use."""
        return self._connection.mtu

    @property
    def send_error(self) -> str | None:
        """The last send failure reported by the shell, for the UI."""
        return self._connection.send_error

    @property
    def next_seq(self) -> int:
        """The sequence number the next datagram will carry."""
        return self._connection.next_seq

    @property
    def send_mindelay(self) -> int:
        """ms to let a burst of changes settle before sending (server 8, client 1)."""
        return self._sender.send_mindelay

    @send_mindelay.setter
    def send_mindelay(self, value: int) -> None:
        self._sender.send_mindelay = value

    @property
    def shutdown_in_progress(self) -> bool:
        """We asked the peer to shut down."""
        return self._sender.shutdown_in_progress

    @property
    def shutdown_acknowledged(self) -> bool:
        """The peer acknowledged our shutdown request."""
        return self._sender.shutdown_acknowledged

    def shutdown_timed_out(self, now: int) -> bool:
        """Our shutdown request went unanswered for 16 tries or 10 s."""
        return self._sender.shutdown_timed_out(now)

    @property
    def peer_shutdown_ack_sent(self) -> bool:
        """The peer asked to shut down and we have acknowledged it."""
        return self._sender.peer_shutdown_ack_sent

    def port_hop_due(self, now: int) -> bool:
        """Client: time to send from a fresh socket (10 s without a round trip)."""
        return self._connection.port_hop_due(now)


def earliest(*deadlines: int | None) -> int | None:
    """The soonest of some absolute ms deadlines, None meaning none (as `next_timeout` says)."""
    present = [deadline for deadline in deadlines if deadline is not None]
    return min(present) if present else None
