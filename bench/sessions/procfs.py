"""What the benchmarks read about processes from Linux /proc: CPU time, peak RSS, UDP owners."""

from __future__ import annotations

import os
from typing import Iterator

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
UDP_TABLES = ("/proc/net/udp", "/proc/net/udp6")


def cpu_seconds(pid: int) -> float:
    """CPU seconds a process has used so far (its own, not its children's), to the nanosecond
    where the kernel keeps scheduler statistics, else to the clock tick of /proc/PID/stat."""
    try:
        with open(f"/proc/{pid}/schedstat") as f:
            return int(f.read().split()[0]) / 1e9
    except FileNotFoundError:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def peak_rss_mib(pid: int) -> float:
    """The process's peak resident set size (VmHWM) in MiB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise OSError(f"no VmHWM for pid {pid}")


def parent_pid(pid: int) -> int:
    """The parent of a process (raises OSError once it is gone)."""
    with open(f"/proc/{pid}/stat", "rb") as f:
        return int(f.read().rsplit(b")", 1)[1].split()[1])


def _udp_inodes(port: int) -> set[str]:
    """Socket inodes bound to a local UDP port, IPv4 and IPv6."""
    inodes: set[str] = set()
    for table in UDP_TABLES:
        try:
            with open(table) as f:
                rows = f.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(fields[9])
    return inodes


def _socket_inodes(pid: str) -> Iterator[str]:
    """The inodes of the sockets a process holds open."""
    fd_dir = f"/proc/{pid}/fd"
    try:
        names = os.listdir(fd_dir)
    except OSError:
        return
    for name in names:
        try:
            target = os.readlink(f"{fd_dir}/{name}")
        except OSError:
            continue
        if target.startswith("socket:["):
            yield target[8:-1]


def udp_port_owners(port: int) -> set[int]:
    """Every process holding a socket bound to this local UDP port."""
    wanted = _udp_inodes(port)
    if not wanted:
        return set()
    return {
        int(pid)
        for pid in os.listdir("/proc")
        if pid.isdigit() and any(inode in wanted for inode in _socket_inodes(pid))
    }
