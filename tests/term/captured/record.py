"""Record program output and the screen real mosh makes of it (golden data for the emulator).

``python3 tests/term/captured/record.py capture`` runs a few programs in an 80x24 pty and
keeps the bytes they write (``NAME.bin``). ``record.py mosh`` plays each ``NAME.bin``
through a real ``mosh-server`` (``stty raw; cat NAME.bin``) and a real ``mosh-client`` in a
tmux pane, and keeps what the pane shows (``NAME.mosh.json``: text, cursor and the
``capture-pane -e`` rendering). mosh-server's release newline is echoed before the
program starts, so the recorded screen is that of ``b"\\r\\n" + NAME.bin``.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import secrets
import select
import struct
import subprocess
import sys
import termios
import time
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
WIDTH, HEIGHT = 80, 24
SAMPLE = "sample.txt"
COLOURS = (
    'for i in $(seq 0 255); do printf "\\033[38;5;%dm%3d\\033[48;2;%d;2;3m \\033[0m" $i $i $i;'
    ' done; printf "\\033[1;3;4;5;7;8mall\\033[22;23;24;25;27;28mnone\\033[0m\\n"'
)
PROGRAMS: dict[str, tuple[list[str], list[bytes]]] = {
    "ls_color": (["sh", "-c", "ls --color=always -la /usr/bin | head -40"], []),
    "vim": (
        ["vim", "-u", "NONE", "-N", "-n", "+set nu", "+syntax on", SAMPLE],
        [b"Gkk", b"ddu", b"3G"],
    ),
    "less": (["less", SAMPLE], [b" ", b"/tab\r"]),
    "man": (["man", "ls"], [b" "]),
    "colors": (["sh", "-c", COLOURS], []),
}


def capture(argv: list[str], keys: list[bytes], seconds: float = 5.0) -> bytes:
    """What ``argv`` writes to an 80x24 terminal while ``keys`` are typed, one a second."""
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(HERE)
        env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8", PAGER="less")
        os.execvpe(argv[0], argv, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", HEIGHT, WIDTH, 0, 0))
    out, pending, start = bytearray(), list(keys), time.monotonic()
    while time.monotonic() - start < seconds:
        if select.select([fd], [], [], 0.1)[0]:
            try:
                out += os.read(fd, 65536)
            except OSError:
                break
        if pending and time.monotonic() - start > 1 + len(keys) - len(pending):
            os.write(fd, pending.pop(0))
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    return bytes(out)


def mosh_screen(stream_path: str, width: int = WIDTH, height: int = HEIGHT) -> dict[str, Any]:
    """The screen a real mosh-client shows after mosh-server's emulator ran ``stream_path``."""
    env = dict(os.environ, LANG="C.UTF-8", TERM="xterm-256color")
    script = f"stty raw -echo; cat {stream_path}; exec sleep 60"
    started = subprocess.run(
        ["mosh-server", "new", "-i", "127.0.0.1", "--", "/bin/sh", "-c", script],
        env=env, capture_output=True, text=True, timeout=10, check=True,
    )  # fmt: skip
    port, key = re.findall(r"MOSH CONNECT (\d+) (\S+)", started.stdout)[0]
    server_pid = int(re.findall(r"pid = (\d+)", started.stderr)[0])
    tmux = ["tmux", "-L", "record-" + secrets.token_hex(4), "-f", "/dev/null"]
    client = f"env MOSH_KEY={key} mosh-client 127.0.0.1 {port}"
    try:
        size = ["-x", str(width), "-y", str(height)]
        subprocess.run([*tmux, "new-session", "-d", *size, client], env=env, check=True)
        subprocess.run([*tmux, "set", "-g", "status", "off"], check=True)
        time.sleep(3)
        lines = _tmux_out(tmux, "capture-pane", "-p", "-N").split("\n")[:height]
        cursor = _tmux_out(tmux, "display", "-p", "#{cursor_y},#{cursor_x},#{cursor_flag}")
        styled = _tmux_out(tmux, "capture-pane", "-p", "-e", "-N")
    finally:
        subprocess.run([*tmux, "kill-server"], check=False)
        os.kill(server_pid, 15)
    return {
        "width": width,
        "height": height,
        "lines": [line.rstrip() for line in lines],
        "cursor": [int(n) for n in cursor.strip().split(",")],
        "styled": styled,
    }


def _tmux_out(tmux: list[str], *args: str) -> str:
    return subprocess.run([*tmux, *args], capture_output=True, text=True, check=True).stdout


def _write_sample() -> None:
    with open(os.path.join(HERE, SAMPLE), "w", encoding="utf-8") as handle:
        for i in range(60):
            tail = "x" * (i % 50)
            handle.write(
                f"line {i:02d}: h\u00e9llo \u65e5\u672c e\u0301 \u00fcber tab\there end {tail}\n"
            )


def main(argv: list[str]) -> int:
    """``capture`` or ``mosh``, optionally followed by program names."""
    names = argv[1:] or list(PROGRAMS)
    for name in names:
        path = os.path.join(HERE, name + ".bin")
        if argv[0] == "capture":
            _write_sample()
            with open(path, "wb") as handle:
                handle.write(capture(*PROGRAMS[name]))
            os.unlink(os.path.join(HERE, SAMPLE))
        else:
            with open(os.path.join(HERE, name + ".mosh.json"), "w", encoding="utf-8") as handle:
                json.dump(mosh_screen(path), handle, ensure_ascii=False, indent=1)
        print(name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
