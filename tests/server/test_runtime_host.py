"""Tests for the host probes, the detach step and the utmp wrapper (real OS, no mocks)."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import textwrap
from pathlib import Path

from moshz.runtime import host
from moshz.runtime.detach import announce
from moshz.runtime.utmp import Utmp, detached_sessions

PATH = os.environ.get("PATH", os.defpath)


def test_locale_codeset_with_the_locale_program() -> None:
    assert host.locale_codeset({"PATH": PATH, "LANG": "C.UTF-8"}) == "UTF-8"
    assert host.locale_codeset({"PATH": PATH, "LANG": "C"}) == "ANSI_X3.4-1968"
    assert host.locale_codeset({"PATH": PATH, "LANG": "xx_XX.UTF-8"}) is None


def test_locale_codeset_with_the_python_fallback(tmp_path: Path) -> None:
    empty = str(tmp_path)
    assert host.locale_codeset({"PATH": empty, "LANG": "C.UTF-8"}) == "UTF-8"
    assert host.locale_codeset({"PATH": empty, "LANG": "C"}) == "ANSI_X3.4-1968"
    assert host.locale_codeset({"PATH": empty, "LANG": "xx_XX.UTF-8"}) is None


def test_private_dir_lifecycle(tmp_path: Path) -> None:
    uid = os.getuid()
    path = host.make_private_dir(str(tmp_path), uid)
    assert path is not None and os.path.basename(path).startswith(f"moshz-runtime-{uid}-")
    status = host.dir_status(path)
    assert status is not None and status.mode == 0o700 and status.is_dir
    Path(path, "socket").write_text("x")
    host.remove_private_dir(path, uid)
    assert host.dir_status(path) is None


def test_private_dir_failure_and_symlinks(tmp_path: Path) -> None:
    assert host.make_private_dir(str(tmp_path / "missing"), os.getuid()) is None
    link = tmp_path / "link"
    link.symlink_to(tmp_path)
    status = host.dir_status(str(link))
    assert status is not None and status.is_symlink
    host.remove_private_dir(str(link), os.getuid())
    assert tmp_path.exists()


def test_initial_environ_ignores_later_changes() -> None:
    script = "import os; from moshz.runtime.host import initial_environ; "
    script += (
        "os.environ['ADDED'] = '1'; e = initial_environ(); print(e.get('ADDED'), e.get('KEPT'))"
    )
    env = dict(os.environ, KEPT="yes")
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, check=True)
    assert out.stdout == b"None yes\n"


def test_current_account() -> None:
    account = host.current_account({})
    assert account.uid == os.getuid() and account.name and account.home


def test_announce() -> None:
    out = io.StringIO()
    announce(60001, "vIE4Nm3Rsst6Kqw2FX82yQ", out, stdin_is_tty=False)
    assert out.getvalue() == "MOSH CONNECT 60001 vIE4Nm3Rsst6Kqw2FX82yQ\n"
    out = io.StringIO()
    announce(7, "k", out, stdin_is_tty=True)
    assert out.getvalue() == "\r\n\nMOSH CONNECT 7 k\n"


def test_detach_parent_reports_child_pid_and_exits() -> None:
    read_end, write_end = os.pipe()
    script = textwrap.dedent(
        f"""
        import os
        from moshz.runtime.detach import detach
        detach("BANNER", verbose=False)
        print("lost")
        os.write({write_end}, b"%d %d" % (os.getpid(), os.getsid(0)))
        """
    )
    command = [sys.executable, "-c", script]
    done = subprocess.run(
        command, capture_output=True, timeout=30, check=True, pass_fds=(write_end,)
    )
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        child_pid, session = map(int, pipe.read().split())
    assert done.stdout == b""
    assert done.stderr == b"BANNER\n[mosh-server detached, pid = %d]\n" % child_pid
    assert session == child_pid


def test_utmp_labels_and_inert_use() -> None:
    assert Utmp.detached_label() == f"mosh [{os.getpid()}]"
    assert Utmp.attached_label("10.0.0.1") == f"10.0.0.1 via mosh [{os.getpid()}]"
    master, slave = os.openpty()
    try:
        record = Utmp(master)
        record.set_label(Utmp.detached_label())
        record.set_label(Utmp.attached_label("127.0.0.1"))
        record.remove()
        assert record.label == ""
    finally:
        os.close(master)
        os.close(slave)


def utmp_record(kind: int, line: str, user: str, host: str) -> bytes:
    """One glibc struct utmp, as it sits in /run/utmp."""
    fields = (kind, 42, line.encode(), b"", user.encode(), host.encode(), 0, 0, 0, 0, 0, 0, 0, 0, 0)
    return struct.pack("<h2xi32s4s32s256s2hi2i4i20x", *fields)


def test_detached_sessions_from_utmp(tmp_path: Path) -> None:
    master, slave = os.openpty()
    line = os.ttyname(slave)[len("/dev/") :]
    records = [
        utmp_record(7, line, "alice", "mosh [100]"),
        utmp_record(7, line, "alice", "10.0.0.1 via mosh [101]"),
        utmp_record(7, line, "bob", "mosh [102]"),
        utmp_record(7, "pts/99999", "alice", "mosh [103]"),
        utmp_record(8, line, "alice", "mosh [104]"),
        utmp_record(7, line, "alice", "mosh [105]"),
    ]
    path = tmp_path / "utmp"
    path.write_bytes(b"".join(records) + b"torn")
    try:
        assert detached_sessions("alice", "mosh [105]", str(path)) == ["mosh [100]"]
    finally:
        os.close(master)
        os.close(slave)
    assert detached_sessions("alice", "", str(tmp_path / "missing")) == []
