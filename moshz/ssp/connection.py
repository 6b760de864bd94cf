"""The connection layer: sequence numbers, timestamps, RTT, the peer's address, the MTU.

PROTOCOL.md 3.3-3.5 and 4. ``open`` authenticates and parses a datagram
without changing anything; ``accept`` then applies what an authentic datagram
teaches (only if it is in order, so a replay can move neither the RTT nor the
server's idea of where the client is).
"""

from __future__ import annotations

from moshz.crypto.session import TO_CLIENT, TO_SERVER, Session, make_nonce
from moshz.errors import ProtocolError
from moshz.ssp.events import Address
from moshz.ssp.rtt import RttEstimator
from moshz.wire.fragment import DEFAULT_SEND_MTU, IPV4_MTU, IPV6_MTU, RECEIVE_MTU
from moshz.wire.packet import (
    NO_TIMESTAMP,
    Packet,
    decode_packet_plaintext,
    encode_packet_plaintext,
    timestamp16,
)

TIMESTAMP_ECHO_WINDOW = 1000
SERVER_ASSOCIATION_TIMEOUT = 40000
PORT_HOP_INTERVAL = 10000


def mtu_for_address(addr: Address) -> int:
    """The datagram MTU mosh uses for a peer or bound address of this family."""
    return IPV6_MTU if ":" in str(addr[0]) else IPV4_MTU


class Connection:
    """Per-datagram bookkeeping of one side of a mosh session."""

    def __init__(
        self,
        session: Session,
        is_server: bool,
        now: int,
        remote_addr: Address | None = None,
        mtu: int | None = None,
    ) -> None:
        self.session = session
        self.is_server = is_server
        self._direction = TO_CLIENT if is_server else TO_SERVER
        self.next_seq = 0
        self.expected_seq = 0
        self._saved_timestamp: int | None = None
        self._saved_at = 0
        self.rtt = RttEstimator()
        self.remote_addr = remote_addr
        self.has_remote_addr = remote_addr is not None
        self.last_heard: int | None = None
        self.last_port_choice = now
        self.last_roundtrip_success: int | None = None
        self.mtu = mtu if mtu is not None else _default_mtu(remote_addr)
        # A server not told its MTU learns the family from its first client's address,
        # which has the bound socket's family (v4-mapped on a dual-stack socket).
        self._mtu_from_peer = mtu is None and remote_addr is None
        self.send_error: str | None = None

    # -- sending ------------------------------------------------------------

    def seal(self, payload: bytes, now: int) -> bytes:
        """One datagram carrying ``payload``, with the next sequence number and timestamps."""
        nonce = make_nonce(self._direction, self.next_seq)
        self.next_seq += 1
        packet = Packet(nonce, timestamp16(now), self._take_timestamp_reply(now), payload)
        return self.session.seal(nonce, encode_packet_plaintext(packet))

    def _take_timestamp_reply(self, now: int) -> int:
        """Echo the peer's newest timestamp once, advanced by how long we held it."""
        saved = self._saved_timestamp
        if saved is None or now - self._saved_at >= TIMESTAMP_ECHO_WINDOW:
            return NO_TIMESTAMP
        self._saved_timestamp = None
        return (saved + now - self._saved_at) & 0xFFFF

    def after_send(self, now: int) -> bool:
        """Server: forget a client silent for 40 s; returns True if that just happened."""
        if not (self.is_server and self.has_remote_addr):
            return False
        if self.last_heard is not None and now - self.last_heard <= SERVER_ASSOCIATION_TIMEOUT:
            return False
        self.has_remote_addr = False
        return True

    def send_failed(self, message: str, too_big: bool) -> None:
        """Remember a send error for the UI; a too-big datagram drops the MTU to 500."""
        self.send_error = message
        if too_big:
            self.mtu = DEFAULT_SEND_MTU
            self._mtu_from_peer = False

    # -- receiving ----------------------------------------------------------

    def open(self, datagram: bytes) -> Packet:
        """Authenticate and parse a datagram; raises ProtocolError and changes nothing."""
        if len(datagram) > RECEIVE_MTU:
            raise ProtocolError("Received oversize datagram")
        nonce, plaintext = self.session.open(datagram)
        packet = decode_packet_plaintext(nonce, plaintext)
        if packet.direction == self._direction:
            raise ProtocolError("datagram in our own direction (reflected)")
        return packet

    def accept(self, packet: Packet, addr: Address, now: int) -> bool:
        """Learn from an authentic datagram; True if the server (re)attached to ``addr``."""
        if packet.seq < self.expected_seq:
            return False
        self.expected_seq = packet.seq + 1
        if packet.timestamp != NO_TIMESTAMP:
            self._saved_timestamp = packet.timestamp
            self._saved_at = now
        if packet.timestamp_reply != NO_TIMESTAMP:
            self.rtt.sample((timestamp16(now) - packet.timestamp_reply) & 0xFFFF)
        attached = self.has_remote_addr
        self.has_remote_addr = True
        self.last_heard = now
        if not self.is_server or (attached and addr == self.remote_addr):
            return False
        self.remote_addr = addr
        if self._mtu_from_peer:
            self.mtu = mtu_for_address(addr)
            self._mtu_from_peer = False
        return True

    # -- client port hopping ------------------------------------------------

    def port_hop_due(self, now: int) -> bool:
        """Client: 10 s since the last port choice and since the last round trip succeeded."""
        if self.is_server or now - self.last_port_choice <= PORT_HOP_INTERVAL:
            return False
        success = self.last_roundtrip_success
        return success is None or now - success > PORT_HOP_INTERVAL

    def port_hopped(self, now: int) -> None:
        """Record that the shell now sends from a fresh socket."""
        self.last_port_choice = now


def _default_mtu(remote_addr: Address | None) -> int:
    return DEFAULT_SEND_MTU if remote_addr is None else mtu_for_address(remote_addr)
