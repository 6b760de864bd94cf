"""Locales that do not exist or are not UTF-8, on the client's side and on the server's.

The client refuses, as mosh does, with mosh's advice and the output of `locale` (showing the
user's settings, not the C.UTF-8 that Python substitutes for a C locale at startup). The
server replaces a locale it lacks with C.UTF-8, says so once, and the session works.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.client.e2e_support import PROMPT_MARK, moshz_over_ssh
from tests.robustness.support import assert_clean_failure, moshz, run_detached
from tests.tools.sshd import SshServer
from tests.tools.tmux import Tmux

MISSING = "xx_XX.UTF-8"
ADVICE = "moshz needs a UTF-8 native locale to run."
SYSTEM_UTF8 = Path("/usr/lib/locale/C.utf8")


@pytest.mark.parametrize(
    "env, first_line",
    [
        ({"LANG": "C"}, ADVICE),
        ({"LANG": "POSIX"}, ADVICE),
        ({"LANG": MISSING}, f"The locale requested by LANG={MISSING} isn't available here."),
        (
            {"LANG": "C.UTF-8", "LC_ALL": MISSING},
            f"The locale requested by LC_ALL={MISSING} isn't available here.",
        ),
    ],
)
def test_client_refuses_with_moshs_advice(env: dict[str, str], first_line: str) -> None:
    outcome = moshz("--local", env=env)
    assert_clean_failure(outcome, 1, first_line)
    assert ADVICE in outcome.stderr
    assert 'the character set "US-ASCII"' in outcome.stderr


def test_locale_output_shows_the_users_settings() -> None:
    outcome = moshz("--local", env={"LANG": "C"})
    assert "LANG=C\n" in outcome.stdout and 'LC_CTYPE="C"\n' in outcome.stdout, outcome.stdout
    assert "UTF-8" not in outcome.stdout


@pytest.mark.e2e
def test_the_one_file_build_refuses_the_same(moshz_file: str) -> None:
    outcome = run_detached([moshz_file, "--local"], {"LANG": MISSING})
    assert_clean_failure(
        outcome, 1, f"The locale requested by LANG={MISSING} isn't available here."
    )


@pytest.mark.e2e
def test_server_without_the_clients_locale_warns_once_and_works(
    ssh_server: SshServer, tmux: Tmux, moshz_file: str, tmp_path: Path
) -> None:
    # The client knows xx_XX.UTF-8 (a copy of C.UTF-8 under LOCPATH); the server does not.
    locales = tmp_path / "locales"
    shutil.copytree(SYSTEM_UTF8, locales / MISSING)
    os.chmod(tmp_path, 0o755)
    argv = moshz_over_ssh(moshz_file, ssh_server, f"{moshz_file} --server")
    env = {"LANG": MISSING, "LOCPATH": str(locales)}
    pane = tmux.new_pane([*argv, ssh_server.destination], 200, 24, env=env)
    pane.wait_for_text(PROMPT_MARK, timeout=30)
    pane.line('echo "shell=$LANG"')
    pane.wait_for_row("shell=C.UTF-8")
    pane.line("exit")
    assert pane.wait_exit() == 0, pane.dump()
    warnings = [row for row in pane.rows() if "warning" in row]
    assert warnings == [
        f"moshz: warning: the locale LANG={MISSING} is missing or not UTF-8 on this server;"
        " the shell uses C.UTF-8 instead."
    ], pane.dump()
