"""A real OpenSSH server on loopback for e2e tests, logging the test user in by key."""

from __future__ import annotations

import os
import secrets
import shlex
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

from tests.tools import procs
from tests.tools.account import Account, ensure_account, make_private_dir, write_owned
from tests.tools.wait import wait_until

SSHD = "/usr/sbin/sshd"
HOST = "127.0.0.1"
TAG_VARIABLE = "MOSHZ_E2E_TAG"
PRIVSEP_DIR = Path("/run/sshd")
START_ATTEMPTS = 5
START_TIMEOUT = 10.0
REQUIRED_PROGRAMS = ("ssh", "ssh-keygen", "useradd", "tmux", "mosh", "mosh-server", "mosh-client")
LOCALE_DIR = Path("/usr/lib/locale/C.utf8")


def missing_requirements() -> list[str]:
    """What stops e2e tests from running here (empty when nothing does)."""
    missing = [] if os.geteuid() == 0 else ["not running as root (needed to add the test user)"]
    if not os.access(SSHD, os.X_OK):
        missing.append(f"{SSHD} not installed (openssh-server)")
    missing += [f"{name} not found" for name in REQUIRED_PROGRAMS if shutil.which(name) is None]
    if not LOCALE_DIR.is_dir():
        missing.append("no C.UTF-8 locale")
    return missing


def free_port() -> int:
    """A TCP port on loopback that was free a moment ago (sshd start retries if it is taken)."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def render_config(port: int, workdir: Path, keys_file: Path, account: Account, tag: str) -> str:
    """The sshd_config of one session: loopback only, keys only, our user only, UTF-8 sessions."""
    return "\n".join(
        [
            f"Port {port}",
            f"ListenAddress {HOST}",
            f"HostKey {workdir / 'host_ed25519'}",
            f"PidFile {workdir / 'sshd.pid'}",
            f"AuthorizedKeysFile {keys_file}",
            "StrictModes yes",
            "PubkeyAuthentication yes",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "UsePAM no",
            f"AllowUsers {account.name}",
            "PrintMotd no",
            "PrintLastLog no",
            "X11Forwarding no",
            f"SetEnv LANG=C.UTF-8 {TAG_VARIABLE}={tag}",
            "LogLevel ERROR",
            "",
        ]
    )


def _keygen(path: Path) -> str:
    """Make an ed25519 key pair without passphrase; return the public key line."""
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "moshz-e2e", "-f", str(path)],
        check=True,
        capture_output=True,
        timeout=30,
    )
    return path.with_suffix(".pub").read_text().strip()


class SshServer:
    """sshd -D on 127.0.0.1 with its own keys and config; `ssh_command` logs in as the test user."""

    def __init__(self, account: Account, workdir: Path) -> None:
        self.account = account
        self.user = account.name
        self.host = HOST
        self.destination = f"{account.name}@{HOST}"
        self.tag = secrets.token_hex(6)
        self.workdir = workdir
        self.remote_dir = account.home / f"e2e-{self.tag}"
        self.keys_file = account.home / ".ssh" / f"moshz-e2e-{self.tag}.keys"
        self.port = 0
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def ssh_argv(self) -> list[str]:
        """The ssh client command (without destination) that reaches this server."""
        return [
            "ssh", "-F", "/dev/null", "-p", str(self.port),
            "-i", str(self.workdir / "client_ed25519"),
            "-o", "IdentitiesOnly=yes",
            "-o", f"UserKnownHostsFile={self.workdir / 'known_hosts'}",
            "-o", "StrictHostKeyChecking=yes",
            "-o", "BatchMode=yes",
            "-o", "ConnectTimeout=10",
            "-o", "LogLevel=ERROR",
        ]  # fmt: skip

    @property
    def ssh_command(self) -> str:
        """`ssh_argv` as one string, the value for mosh's (or moshz's) `--ssh=`."""
        return shlex.join(self.ssh_argv)

    def start(self) -> None:
        """Prepare keys and directories, then start sshd (retrying if its port was taken)."""
        host_key = _keygen(self.workdir / "host_ed25519")
        client_key = _keygen(self.workdir / "client_ed25519")
        write_owned(self.account, self.keys_file, client_key.encode(), 0o600)
        make_private_dir(self.account, self.remote_dir, 0o755)
        PRIVSEP_DIR.mkdir(mode=0o755, parents=True, exist_ok=True)
        for _ in range(START_ATTEMPTS):
            if self._try_start(free_port()):
                (self.workdir / "known_hosts").write_text(f"[{HOST}]:{self.port} {host_key}\n")
                return
        raise RuntimeError(f"sshd did not start; its log:\n{self.log()}")

    def _try_start(self, port: int) -> bool:
        self.port = port
        config = self.workdir / "sshd_config"
        config.write_text(render_config(port, self.workdir, self.keys_file, self.account, self.tag))
        with open(self.workdir / "sshd.log", "ab") as log:
            self._process = subprocess.Popen(
                [SSHD, "-D", "-e", "-f", str(config)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )
        wait_until(lambda: self._listening() or self._process.poll() is not None,
                   START_TIMEOUT, "sshd to listen", self.log)  # fmt: skip
        return self._process.poll() is None

    def _listening(self) -> bool:
        try:
            socket.create_connection((HOST, self.port), timeout=1).close()
            return True
        except OSError:
            return False

    def log(self) -> str:
        """sshd's own log so far (to explain failures)."""
        path = self.workdir / "sshd.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def ssh(
        self, command: str, timeout: float = 30.0, check: bool = True, input: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Run a shell command line as the test user over ssh; return its exit status and output."""
        return subprocess.run(
            [*self.ssh_argv, "-T", self.destination, "--", command],
            input=input,
            stdin=None if input is not None else subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=check,
        )

    def install(self, source: str | Path, name: str | None = None, mode: int = 0o755) -> str:
        """Copy a local file (e.g. dist/moshz) where the test user can run it; return its path."""
        return self.write_file(name or Path(source).name, Path(source).read_bytes(), mode)

    def write_file(self, name: str, data: bytes, mode: int = 0o644) -> str:
        """Place bytes in this session's directory in the user's home; return the remote path."""
        path = self.remote_dir / name
        write_owned(self.account, path, data, mode)
        return str(path)

    def stop(self) -> None:
        """Stop sshd and every process it or the test user started in this session; clean up."""
        if self._process is not None:
            leftovers = procs.descendants(self._process.pid)
            leftovers |= procs.tagged(self.account.uid, f"{TAG_VARIABLE}={self.tag}")
            procs.terminate({self._process.pid} | leftovers)
            self._process.wait(timeout=10)
            self._process = None
        shutil.rmtree(self.remote_dir, ignore_errors=True)
        self.keys_file.unlink(missing_ok=True)


def start_server(account_name: str | None = None) -> SshServer:
    """Create the account if needed and start a server for it in a fresh private directory."""
    account = ensure_account() if account_name is None else ensure_account(account_name)
    workdir = Path(tempfile.mkdtemp(prefix="moshz-sshd-"))
    server = SshServer(account, workdir)
    try:
        server.start()
    except BaseException:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
        raise
    return server


def stop_server(server: SshServer) -> None:
    """Stop a server made by `start_server` and delete its private directory."""
    server.stop()
    shutil.rmtree(server.workdir, ignore_errors=True)
