"""Self-install: the client sends its own file to a host that lacks moshz, over a second ssh.

The first ssh runs the remote launch script (``remote_launch``). When it
answers ``MOSHZ INSTALL <dir>`` (a Python is there, only our file is missing),
the client runs ssh once more, without a pty and with this file as ssh's
stdin; the script run that time stores it in ``<dir>`` under a temporary name
(umask 077), checks its sha256, renames it to ``moshz-<sha256>`` (mode 0700)
and starts it. The pieces here are pure: what to run, and what the remote
side's marker lines mean for the user.
"""

from __future__ import annotations

from dataclasses import dataclass

from moshz.client.bootstrap import BootstrapError, Startup, StartupReader
from moshz.client.remote_launch import (
    CACHE_PLACES,
    INSTALL_MARKER,
    MIN_PYTHON,
    NO_CACHE_MARKER,
    NO_PYTHON_MARKER,
    NO_SERVER_MARKER,
    UPLOAD_FAILED_MARKER,
    Launch,
)
from moshz.runtime.selfpath import SelfFile

_MARKERS = (INSTALL_MARKER, NO_PYTHON_MARKER, NO_CACHE_MARKER, UPLOAD_FAILED_MARKER)
_MIN = ".".join(str(n) for n in MIN_PYTHON)
_INSTALL_HINT = (
    "apt install python3 (Debian, Ubuntu), dnf install python3 (Fedora, RHEL), "
    "apk add python3 (Alpine), pacman -S python (Arch)"
)


@dataclass(frozen=True)
class SelfInstall:
    """What self-install may do in this run: on or off (--no-install), and our file if any."""

    enabled: bool
    file: SelfFile | None
    verbose: bool = False

    def launch(self, receive: bool = False) -> Launch:
        """The remote launch for the first ssh, or with ``receive`` for the upload ssh."""
        sha256 = self.file.sha256 if self.enabled and self.file is not None else None
        return Launch(sha256, self.verbose, receive and sha256 is not None)

    def reader(self, host: str, port_request: str | None, uploaded: bool = False) -> InstallReader:
        """A startup reader for the first ssh, or (``uploaded``) for the upload ssh."""
        return InstallReader(host, port_request, self._why_not(), uploaded)

    def _why_not(self) -> str:
        """Why moshz did not send itself, for the 'no server found' message."""
        if not self.enabled:
            return "(moshz did not send itself: --no-install.)"
        if self.file is None:
            return (
                "This moshz runs from source, so it cannot send itself: build the one file\n"
                "(python3 build.py) and run dist/moshz instead."
            )
        return ""

    def sending_note(self, host: str, directory: str) -> str:
        """The -v line printed before the upload."""
        assert self.file is not None
        return (
            f"moshz: {host} has no moshz-{self.file.sha256[:12]}...; sending this file "
            f"({self.file.size / 1e6:.1f} MB) to {directory}"
        )


class InstallReader(StartupReader):
    """StartupReader that also understands the launch script's self-install markers."""

    def __init__(
        self, host: str, port_request: str | None, why_not: str = "", uploaded: bool = False
    ) -> None:
        super().__init__(host, port_request)
        self.install_dir: str | None = None
        self._why_not = why_not
        self._uploaded = uploaded
        self._problem: str | None = None
        self._nothing_installed = False

    def feed(self, line: str) -> str | None:
        """Take one line; markers are kept, everything else goes to StartupReader."""
        text = line.rstrip()
        marker = next((m for m in _MARKERS if text == m or text.startswith(m + " ")), None)
        if marker is None:
            self._nothing_installed = self._nothing_installed or text == NO_SERVER_MARKER
            return super().feed(line)
        detail = text[len(marker) :].strip()
        if marker == INSTALL_MARKER:
            self.install_dir = detail
        else:
            self._problem = _problem_text(marker, detail, self.host)
        return None

    @property
    def wants_upload(self) -> bool:
        """The first ssh found a Python but not our file: send it (never twice)."""
        return self.install_dir is not None and not self._uploaded and not self.done

    def result(self) -> Startup:
        """The startup facts, or a BootstrapError saying what was missing on the host."""
        if self.done:
            return super().result()
        if self._problem is not None:
            raise BootstrapError(self._problem)
        if self._uploaded and self.install_dir is not None:
            raise BootstrapError(f"moshz: sent moshz to {self.host}, but it did not start there.")
        try:
            return super().result()
        except BootstrapError as error:
            if self._nothing_installed and self._why_not:
                raise BootstrapError(f"{error}\n{self._why_not}") from None
            raise


def _problem_text(marker: str, detail: str, host: str) -> str:
    """What a failure marker from the remote script means, in words for the user."""
    if marker == NO_PYTHON_MARKER:
        found = f" (python3 there is {detail})" if detail else ""
        return (
            f"moshz: {host} has no Python {_MIN} or newer{found}, and no nix to fetch one.\n"
            f"Install one there, for example with {_INSTALL_HINT};\n"
            f"a python3.X of {_MIN} or newer on the PATH will do too."
        )
    if marker == NO_CACHE_MARKER:
        places = " nor ".join(CACHE_PLACES)
        return (
            f"moshz: nowhere to store moshz on {host}: neither {places} is writable\n"
            "(the second must be a directory of yours with mode 0700). "
            f"Copy the file to ~/bin/moshz on {host} yourself."
        )
    if detail == "write":
        return f"moshz: could not write moshz into the cache on {host} (disk full?)."
    if detail == "unverifiable":
        return f"moshz: {host} has no sha256sum, shasum, python or nix-hash to check the file."
    return f"moshz: the moshz sent to {host} arrived damaged (sha256 {detail}); it was not run."
