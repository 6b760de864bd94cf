"""The environment fixes of moshz --server, seen from a real mosh session's shell."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.server.e2e_support import ask, server_command, start_session
from tests.tools.sshd import SshServer
from tests.tools.tmux import Pane, Tmux
from tests.tools.wait import wait_until

pytestmark = pytest.mark.e2e

SYSTEM_UTF8 = Path("/usr/lib/locale/C.utf8")
MISSING = "xx_XX.UTF-8"
SHELL_LOCALE = (
    "tr '\\0' '\\n' < /proc/$$/environ | grep -E '^(LANG|LC_[A-Z]+)=' | sort | paste -sd,"
)


def shell_locale(pane: Pane) -> str:
    """LANG and LC_* exactly as the server started the shell (not as .bashrc changed them)."""
    return ask(pane, f'echo "LOC=$({SHELL_LOCALE})"', "LOC")


def end(pane: Pane) -> str:
    """Exit the shell; return the terminal as mosh leaves it (its pre-session output shows)."""
    pane.line("exit")
    assert pane.wait_exit() == 0
    return pane.capture()


def test_client_locale_reaches_the_shell_without_python_coercion(
    ssh_server: SshServer, tmux: Tmux, moshz_file: str
) -> None:
    # The server starts in the C locale, so Python adds LC_CTYPE=C.UTF-8 (PEP 538) to its
    # environment; the shell must get only what the client sent.
    command = "env -u LANG -u LC_ALL -u LC_CTYPE " + server_command(moshz_file)
    client_env = {"LANG": "C.UTF-8", "LC_NUMERIC": "C.UTF-8"}
    pane = start_session(tmux, ssh_server, command, env=client_env)
    assert shell_locale(pane) == "LANG=C.UTF-8,LC_NUMERIC=C.UTF-8"
    end(pane)


def test_missing_locale_falls_back_with_one_warning(
    ssh_server: SshServer, tmux: Tmux, moshz_file: str, tmp_path: Path
) -> None:
    # The client side knows xx_XX.UTF-8 (a copy of C.UTF-8 under LOCPATH); the server does not.
    locales = tmp_path / "locales"
    shutil.copytree(SYSTEM_UTF8, locales / MISSING)
    os.chmod(tmp_path, 0o755)
    client_env = {"LANG": MISSING, "LOCPATH": str(locales)}
    pane = start_session(tmux, ssh_server, server_command(moshz_file), 200, env=client_env)
    assert shell_locale(pane) == "LANG=C.UTF-8"
    after = end(pane)
    warnings = [row for row in after.split("\n") if "warning" in row]
    assert len(warnings) == 1, after
    assert f"LANG={MISSING}" in warnings[0] and "C.UTF-8" in warnings[0]


def runtime_dir(pane: Pane) -> tuple[str, str]:
    """The shell's XDG_RUNTIME_DIR and its 'mode:owner'."""
    path = ask(pane, 'echo "XDG=$XDG_RUNTIME_DIR"', "XDG")
    stat = ask(pane, f"echo STAT=$(stat -c %a:%U {path})", "STAT")
    return path, stat


def test_missing_runtime_dir_is_replaced_by_a_private_one(
    ssh_server: SshServer, tmux: Tmux, moshz_file: str
) -> None:
    uid = ssh_server.account.uid
    command = server_command(moshz_file, {"XDG_RUNTIME_DIR": f"/run/user/{uid}"})
    pane = start_session(tmux, ssh_server, command)
    path, stat = runtime_dir(pane)
    assert path.startswith(f"/tmp/moshz-runtime-{uid}-")
    assert stat == f"700:{ssh_server.user}"
    assert ask(pane, f"touch {path}/works && echo OK=yes", "OK") == "yes"
    end(pane)
    wait_until(lambda: not os.path.exists(path), 15, "the private runtime dir to be removed")


def test_sound_runtime_dir_is_kept(ssh_server: SshServer, tmux: Tmux, moshz_file: str) -> None:
    kept = f"{ssh_server.remote_dir}/runtime"
    ssh_server.ssh(f"mkdir -m 700 {kept}")
    pane = start_session(tmux, ssh_server, server_command(moshz_file, {"XDG_RUNTIME_DIR": kept}))
    assert runtime_dir(pane) == (kept, f"700:{ssh_server.user}")
    end(pane)
