"""Bad command lines and environments, as a user meets them: the first line, the status, no traceback.

moshz runs from this source tree in a subprocess (no terminal, a session of its own), as
``moshz``, as ``moshz --server``, as ``moshz --client`` and under the name ``mosh-client``.
"""

from __future__ import annotations

import sys
import types
from typing import Mapping, NamedTuple, Sequence

import pytest

from moshz import cli
from tests.robustness.support import assert_clean_failure, moshz

KEY = "AAAAAAAAAAAAAAAAAAAAAA"
WRAPPER_HINT = "Run 'moshz --help' for the options."


class Case(NamedTuple):
    """A bad invocation and what moshz must answer."""

    args: Sequence[str]
    status: int
    first_line: str
    env: Mapping[str, str] = {}
    name: str = "moshz"


WRAPPER = [
    Case(["--bogus", "host"], 2, "moshz: unknown option --bogus"),
    Case(["-x", "host"], 2, "moshz: unknown option -x"),
    Case([], 2, "moshz: no host given"),
    Case(["-p"], 2, "moshz: option -p requires a value"),
    Case(["--ssh"], 2, "moshz: option --ssh requires a value"),
    Case(["--local=yes"], 2, "moshz: option --local does not take a value"),
    Case(["-p", "abc", "h"], 2, "moshz: Server-side port or range (abc) is not valid."),
    Case(
        ["-p", "70000", "h"],
        2,
        "moshz: Server-side (low) port (70000) must be within valid range [0..65535].",
    ),
    Case(
        ["--port=1:70000", "h"],
        2,
        "moshz: Server-side high port (70000) must be within valid range [1..65535].",
    ),
    Case(
        ["-p", "5:3", "h"],
        2,
        "moshz: Server-side port range (5:3): low port greater than high port.",
    ),
    Case(
        ["-p", "0:5", "h"],
        2,
        "moshz: Server-side port ranges may not be used with starting port 0 (0:5).",
    ),
    Case(["--predict=bogus", "h"], 2, 'moshz: Unknown mode "bogus".'),
    Case(
        ["h"],
        2,
        'moshz: Unknown mode "bogus" (MOSH_PREDICTION_DISPLAY in environment).',
        {"MOSH_PREDICTION_DISPLAY": "bogus"},
    ),
    Case(["--family=bogus", "h"], 2, "moshz: Invalid family bogus"),
    Case(
        ["--bind-server=nope", "h"],
        2,
        "moshz: --bind-server=nope: expected ssh, any or an IP address",
    ),
    Case(["--ssh='unclosed", "h"], 2, "moshz: --ssh='unclosed: No closing quotation"),
    Case(["--ssh=", "h"], 2, "moshz: --ssh needs a command"),
    Case(
        ["--server=new"],
        2,
        "moshz: --server=new: give --server or --client alone, as the first argument",
    ),
]

SERVER = [
    Case(["--server", "new", "--bogus"], 2, "moshz --server: invalid option -- '-'"),
    Case(["--server", "new", "-x"], 2, "moshz --server: invalid option -- 'x'"),
    Case(["--server", "new", "-p"], 2, "moshz --server: option requires an argument -- 'p'"),
    Case(
        ["--server", "new", "-p", "70000"],
        1,
        "moshz --server: Bad UDP port range (70000):"
        " low port number 70000 outside valid range [0..65535]",
    ),
    Case(
        ["--server", "new", "-p", "5:3"],
        1,
        "moshz --server: Bad UDP port range (5:3): low port 5 greater than high port 3",
    ),
    Case(["--server", "new", "-c", "lots"], 1, "moshz --server: Bad number of colors (lots)"),
    Case(["--server", "a", "b", "c"], 1, "moshz --server: too many arguments"),
]

CLIENT = [
    Case(["--client", "--bogus"], 1, "moshz --client: invalid option -- '-'"),
    Case(["--client", "1.2.3.4", "x"], 1, "moshz --client: Bad UDP port (x)"),
    Case(["--client", "1.2.3.4", "99999"], 1, "moshz --client: Bad UDP port (99999)"),
    Case(["--client", "1.2.3.4", "\u00b2"], 1, "moshz --client: Bad UDP port (\u00b2)"),
    Case(["--client", "1.2.3.4", "60001"], 1, "MOSH_KEY environment variable not found."),
    Case(
        ["--client", "1.2.3.4", "60001"],
        1,
        "Crypto exception: Key must be 22 letters long.",
        {"MOSH_KEY": "short"},
    ),
    Case(
        ["--client", "1.2.3.4", "60001"],
        1,
        "Crypto exception: Key must be 22 letters long.",
        {"MOSH_KEY": ""},
    ),
    Case(
        ["--client", "1.2.3.4", "60001"],
        1,
        "Crypto exception: Key must be well-formed base64.",
        {"MOSH_KEY": KEY[:-1] + "!"},
    ),
    Case(
        ["--client", "1.2.3.4", "60001"],
        1,
        "Unknown prediction mode bogus.",
        {"MOSH_KEY": KEY, "MOSH_PREDICTION_DISPLAY": "bogus"},
    ),
    Case(
        ["--client", "host.invalid", "60001"],
        1,
        "moshz: host.invalid is not an IP address",
        {"MOSH_KEY": KEY},
    ),
    Case(
        ["--client", "127.0.0.1", "60001"],
        1,
        "tcgetattr: Inappropriate ioctl for device",
        {"MOSH_KEY": KEY},
    ),
    Case(["--bogus"], 1, "mosh-client: invalid option -- '-'", name="mosh-client"),
    Case(["-x", "1.2.3.4", "1"], 1, "moshz-client: invalid option -- 'x'", name="moshz-client"),
    Case(["1.2.3.4", "x"], 1, "mosh-client: Bad UDP port (x)", name="mosh-client"),
]


def _ids(cases: list[Case]) -> list[str]:
    return [" ".join([case.name, *case.args]) or case.name for case in cases]


@pytest.mark.parametrize("case", WRAPPER, ids=_ids(WRAPPER))
def test_wrapper_usage_errors_stay_on_screen(case: Case) -> None:
    outcome = moshz(*case.args, name=case.name, env=case.env)
    assert_clean_failure(outcome, case.status, case.first_line)
    assert len(outcome.stderr.splitlines()) <= 4, outcome.stderr
    if case.args[:1] != ["--server=new"]:
        assert outcome.stderr.splitlines()[-1] == WRAPPER_HINT


@pytest.mark.parametrize("case", SERVER + CLIENT, ids=_ids(SERVER + CLIENT))
def test_server_and_client_errors(case: Case) -> None:
    outcome = moshz(*case.args, name=case.name, env=case.env)
    assert_clean_failure(outcome, case.status, case.first_line)
    assert not outcome.stdout


@pytest.mark.parametrize(
    "args, name, start",
    [
        (["--help"], "moshz", "usage: moshz"),
        (["--version"], "moshz", "moshz "),
        (["-v", "--version"], "moshz", "moshz "),
        (["--server", "--help"], "moshz", "Usage: moshz --server new"),
        (["--server", "--version"], "moshz", "mosh-server (mosh 1.4.0) [build moshz "),
        (["--client", "--help"], "moshz", "moshz "),
        (["--client", "--version"], "moshz", "moshz "),
        (["--version"], "mosh-client", "moshz "),
    ],
)
def test_help_and_version_exit_zero(args: list[str], name: str, start: str) -> None:
    outcome = moshz(*args, name=name)
    assert (outcome.status, outcome.stderr) == (0, ""), outcome
    assert outcome.stdout.startswith(start), outcome.stdout
    assert not outcome.leftovers


def test_ctrl_c_before_the_session_is_quiet(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(args: list[str]) -> int:
        raise KeyboardInterrupt

    client = types.ModuleType("moshz.client.cli")
    client.wrapper_main = interrupted  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "moshz.client.cli", client)
    assert cli.main(["moshz", "host"]) == 128 + 2
    assert capsys.readouterr() == ("", "")
