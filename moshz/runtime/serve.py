"""The server's I/O driver: runs a ServerSession on the selectors loop with a pty and signals.

All decisions are the session's (moshz.server.session); this module only moves
bytes between the pty, the session and the loop, applies window sizes and
utmp labels, and writes the session's messages to the log.
"""

from __future__ import annotations

import select
import signal
import time
from typing import Callable

from moshz.runtime.loop import Loop
from moshz.runtime.pty import PtyProcess
from moshz.runtime.udp import ServerEndpoint
from moshz.runtime.utmp import Utmp
from moshz.server.session import ServerSession

PTY_RETRY = 20  # ms until another try when the pty did not take all input
BATCH_BYTES = 65536  # most output read before it is emulated
BATCH_AFTER = 1024  # a read at least this big may be a flood: wait for more
BATCH_WAIT = 0.004  # s a batch may take in all


class ServerDriver:
    """Carries out one ServerSession's requests on a real pty, socket and utmp."""

    def __init__(
        self,
        session: ServerSession,
        endpoint: ServerEndpoint,
        pty: PtyProcess,
        utmp: Utmp,
        log: Callable[[str], None],
    ) -> None:
        self.session = session
        self.pty = pty
        self.utmp = utmp
        self.log = log
        self.loop = Loop(session.transport, endpoint)
        self._pending = b""
        self._reading = True
        self._size: tuple[int, int] | None = None
        self._utmp_ip: str | None = None

    def run(self) -> None:
        """Serve until the session is finished, then restore the signal handlers."""
        loop = self.loop
        loop.add_ticker(self._tick)
        loop.add_event_handler(self.session.handle_event)
        loop.add_reader(self.pty.fd, self._read_pty)
        loop.add_signal(signal.SIGTERM, self.session.terminate)
        loop.add_signal(signal.SIGINT, self.session.terminate)
        loop.add_signal(signal.SIGUSR1, self.session.user_signal)
        self.utmp.set_label(Utmp.detached_label())
        try:
            loop.run()
        finally:
            loop.close()

    def _tick(self, now: int) -> int | None:
        session = self.session
        deadline = session.tick(now)
        self._apply_size()
        if session.release_due:
            session.release_due = False
            self._pending += b"\n"
        self._write_pty(session.take_pty_input(), now)
        self._update_utmp()
        for message in session.take_messages():
            self.log(message)
        if session.finished:
            self.loop.stop()
        if self._pending:
            return now + PTY_RETRY if deadline is None else min(deadline, now + PTY_RETRY)
        return deadline

    def _apply_size(self) -> None:
        size = self.session.window_size
        if size is not None and size != self._size:
            self._size = size
            try:
                self.pty.resize(*size)
            except OSError as error:
                self.log(f"ioctl TIOCSWINSZ: {error.strerror}")

    def _write_pty(self, data: bytes, now: int) -> None:
        self._pending += data
        if not self._pending:
            return
        try:
            written = self.pty.write(self._pending)
        except OSError:
            self._pending = b""
            self.session.pty_closed(now)
            return
        self._pending = self._pending[written:]

    def _read_pty(self, now: int) -> None:
        if self.session.transport.shutdown_in_progress:
            self._stop_reading()
            return
        data, ended = read_batch(self.pty)
        if data:
            self.session.pty_output(data, now)
        if ended:
            self._stop_reading()
            self.session.pty_closed(now)

    def _stop_reading(self) -> None:
        if self._reading:
            self._reading = False
            self.loop.remove_reader(self.pty.fd)

    def _update_utmp(self) -> None:
        """Relabel the utmp entry when the client attaches, moves or detaches."""
        ip = self.session.client_ip
        if ip == self._utmp_ip:
            return
        self._utmp_ip = ip
        self.utmp.set_label(Utmp.detached_label() if ip is None else Utmp.attached_label(ip))


def read_batch(pty: PtyProcess) -> tuple[bytes, bool]:
    """The application's output: one read, or while it floods, reads for up to a few ms.

    Emulating a flood in big pieces costs much less (only the last screenful of
    scrolling text is built) and frames go out at most every 8 ms anyway. Returns
    the bytes and whether the application is gone (EOF or EIO).
    """
    chunks: list[bytes] = []
    size = 0
    deadline = time.monotonic() + BATCH_WAIT
    while size < BATCH_BYTES:
        chunk = pty.read()
        if chunk == b"":
            return b"".join(chunks), True
        if chunk is None:
            left = deadline - time.monotonic()
            if not chunks or left <= 0 or not select.select([pty.fd], [], [], left)[0]:
                break
            continue
        chunks.append(chunk)
        size += len(chunk)
        if len(chunk) < BATCH_AFTER:
            break
    return b"".join(chunks), False
