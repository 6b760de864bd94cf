"""Output shaped like real terminal programs (vi, top, less, a colour shell) as byte strategies.

Not recordings: generated streams built from the sequences those programs use (alternate
screen, scroll regions, absolute cursor motion, insert/delete line and character, SGR in all
colour forms, character set designation, titles), with realistic text in UTF-8 including wide,
combining and emoji characters, at the size of the terminal they draw on.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

WORDS = (
    "int",
    "main(void)",
    "return",
    "0;",
    "{",
    "}",
    "#include",
    "<stdio.h>",
    'printf("%d\\n",',
    "héllo",
    "naïve",
    "Ωmega",
    "日本語",
    "한국어",
    "e\u0301",
    "a\u0308\u0301",
    "😀",
    "👍🏽",
    "ｆｕｌｌ",
    "\t",
    "x" * 30,
    "--",
    "README.md",
    "ümlaut",
    "\u200b",
    "中",
)
SGRS = (
    "\x1b[m",
    "\x1b[0m",
    "\x1b[1m",
    "\x1b[22m",
    "\x1b[4m",
    "\x1b[24m",
    "\x1b[7m",
    "\x1b[27m",
    "\x1b[3m",
    "\x1b[5m",
    "\x1b[31m",
    "\x1b[1;32m",
    "\x1b[01;34m",
    "\x1b[00m",
    "\x1b[94m",
    "\x1b[38;5;208m",
    "\x1b[48;5;17m",
    "\x1b[38;2;255;128;0m",
    "\x1b[48;2;10;20;30m",
    "\x1b[39;49m",
    "\x1b(B\x1b[m",
    "\x1b[0;7m",
)


def at(row: int, col: int) -> str:
    """Absolute cursor motion (CUP), 1-based like the sequence."""
    return f"\x1b[{row};{col}H"


@st.composite
def text_line(draw: Any, width: int) -> str:
    """A line of words, sometimes coloured, sometimes longer than the screen is wide."""
    words = draw(st.lists(st.sampled_from(WORDS), max_size=max(2, width // 5)))
    out = []
    for word in words:
        if draw(st.integers(0, 4)) == 0:
            word = draw(st.sampled_from(SGRS)) + word + "\x1b[m"
        out.append(word)
    return " ".join(out)


@st.composite
def vi(draw: Any, width: int, height: int) -> str:
    """A vi session: alternate screen, a painted buffer, then edits, scrolls and status lines."""
    out = ["\x1b[?1049h\x1b[22;0;0t\x1b[?1h\x1b=\x1b[H\x1b[2J"]
    for row in range(1, height):
        line = draw(st.one_of(text_line(width), st.just("\x1b[94m~\x1b[0m")))
        out.append(at(row, 1) + line + "\x1b[K")
    out.append(at(height, 1) + '"main.c" 42L, 1024B')
    for _ in range(draw(st.integers(0, 12))):
        out.append(draw(vi_action(width, height)))
    if draw(st.booleans()):
        out.append(at(height, 1) + "\x1b[K\x1b[?1l\x1b>\x1b[?1049l\x1b[23;0;0t")
    return "".join(out)


@st.composite
def vi_action(draw: Any, width: int, height: int) -> str:
    """One editing step as vi draws it."""
    row = draw(st.integers(1, height))
    col = draw(st.integers(1, width))
    bottom = max(1, height - 1)
    return draw(
        st.sampled_from(
            [
                at(row, col),
                at(height, 1)
                + "\x1b[1m-- INSERT --\x1b[0m"
                + at(row, col)
                + draw(text_line(width)),
                f"\x1b[1;{bottom}r{at(bottom, 1)}\n\x1b[r" + at(bottom, 1) + draw(text_line(width)),
                f"\x1b[1;{bottom}r{at(1, 1)}\x1bM\x1b[r" + draw(text_line(width)),
                at(row, 1) + draw(st.sampled_from(["\x1b[L", "\x1b[M", "\x1b[3L", "\x1b[2M"])),
                at(row, col)
                + draw(st.sampled_from(["\x1b[P", "\x1b[2@", "\x1b[X", "\x1b[4X", "\x1b[K"])),
                "\x1b[?25l" + at(row, col) + "\x1b[?25h",
                at(height, 1) + "\x1b[K:wq" + "\x08\x1b[K" * draw(st.integers(0, 3)),
                "\x07",
                f"\x1b[{row}d\x1b[{col}G",
            ]
        )
    )


@st.composite
def top(draw: Any, width: int, height: int) -> str:
    """top refreshing its screen a few times: home, lines ended by EL, a reverse header, ED."""
    out = ["\x1b[?1h\x1b=\x1b[?25l\x1b[H\x1b[2J"]
    for _ in range(draw(st.integers(1, 3))):
        out.append(
            "\x1b[H\x1b(B\x1b[mtop - 10:00:01 up 1 day,  2 users,  load average: 0.00, 0.01\x1b[K\n"
        )
        out.append("Tasks:\x1b[1m 93 \x1b[mtotal,\x1b[1m   1 \x1b[mrunning\x1b[K\n\x1b[K\n")
        out.append("\x1b[7m    PID USER      PR  NI    VIRT    RES  %CPU COMMAND  \x1b[m\x1b[K\n")
        for _ in range(max(0, height - 5)):
            pid = draw(st.integers(1, 4194304))
            cpu = draw(st.integers(0, 999)) / 10
            bold = draw(st.sampled_from(["", "\x1b[1m"]))
            name = draw(
                st.sampled_from(["bash", "sshd", "mosh-server", "python3", "日本", "kworker/0:1"])
            )
            out.append(
                f"{bold}{pid:>7} root      20   0  {pid % 99999:>6}  {pid % 9999:>5} {cpu:>5} {name}\x1b[m\x1b[K\n"
            )
        out.append("\x1b[J")
    out.append(at(height, 1) + "\x1b[?12l\x1b[?25h\x1b[?1l\x1b>")
    return "".join(out)


@st.composite
def less(draw: Any, width: int, height: int) -> str:
    """less paging a file: alternate screen, a page, reverse prompts, line-wise scrolling both ways."""
    out = ["\x1b[?1049h\x1b[?1h\x1b=\r"]
    for _ in range(max(1, height - 1)):
        out.append(draw(text_line(width)) + "\r\n")
    out.append("\x1b[7mfile.txt lines 1-23\x1b[27m\x1b[K")
    for _ in range(draw(st.integers(0, 10))):
        line = draw(text_line(width))
        out.append(
            draw(
                st.sampled_from(
                    [
                        "\r\x1b[K" + line + "\r\n:\x1b[K",
                        "\x1b[H\x1bM" + line + at(height, 1) + "\r\x1b[K:",
                        "\r\x1b[K/\x1b[7mpattern\x1b[27m found\r\n"
                        + line.replace("o", "\x1b[7mo\x1b[27m"),
                        "\r\x1b[K\x1b[7m(END)\x1b[27m\x1b[K",
                        "\x1b[H\x1b[2J" + line,
                    ]
                )
            )
        )
    out.append("\r\x1b[K\x1b[?1l\x1b>\x1b[?1049l")
    return "".join(out)


@st.composite
def shell(draw: Any, width: int, height: int) -> str:
    """A colour shell: titled prompts, typed commands with edits, ls colours, seq-like floods."""
    prompt = "\x1b]0;user@host: ~\x07\x1b[01;32muser@host\x1b[00m:\x1b[01;34m~\x1b[00m$ "
    out = []
    for _ in range(draw(st.integers(1, 4))):
        out.append(prompt + draw(st.sampled_from(["ls --color", "seq 50", "cat notes", "vi x"])))
        out.append("\x08\x1b[K" * draw(st.integers(0, 2)) + "\r\n")
        kind = draw(st.integers(0, 2))
        if kind == 0:
            out.append("\x1b[0m\x1b[01;34mdir\x1b[0m  \x1b[01;32mrun.sh\x1b[0m  日本語.txt\r\n")
        elif kind == 1:
            start = draw(st.integers(1, 99000))
            out.append(
                "".join(f"{n}\r\n" for n in range(start, start + draw(st.integers(1, 2 * height))))
            )
        else:
            out.append("\r\n".join(draw(st.lists(text_line(width), max_size=height))) + "\r\n")
    return "".join(out)


@st.composite
def program_output(draw: Any, width: int, height: int) -> bytes:
    """What one of the programs above writes to a terminal of this size, as UTF-8."""
    program = draw(st.sampled_from([vi, top, less, shell]))
    return draw(program(width, height)).encode("utf-8")
