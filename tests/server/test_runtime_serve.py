"""Tests for the server driver's pty reading (a real child on a real pty)."""

from __future__ import annotations

import os
import select

from moshz.runtime.pty import READ_SIZE, ChildSpec, PtyProcess
from moshz.runtime.serve import BATCH_BYTES, read_batch

ENV = {"PATH": os.defpath, "LC_ALL": "C"}


def _spawn(script: str) -> PtyProcess:
    process = PtyProcess.spawn(ChildSpec("sh", ("sh", "-c", script), ENV, "/", 80, 24))
    process.release()
    return process


def _batches(process: PtyProcess) -> list[bytes]:
    """Every batch until the application is gone."""
    batches = []
    while True:
        assert select.select([process.fd], [], [], 10)[0], "the child produced nothing in time"
        data, ended = read_batch(process)
        batches.append(data)
        if ended:
            return batches


def test_a_flood_arrives_whole_in_order_in_bounded_batches() -> None:
    process = _spawn("seq 30000")
    batches = _batches(process)
    process.close()
    expected = b"\r\n" + b"".join(b"%d\r\n" % n for n in range(1, 30001))
    assert b"".join(batches) == expected
    assert max(len(batch) for batch in batches) < BATCH_BYTES + READ_SIZE


def test_a_short_output_comes_alone_and_the_end_is_reported() -> None:
    process = _spawn("read line; echo got $line")
    assert select.select([process.fd], [], [], 10)[0]
    assert read_batch(process) == (b"\r\n", False)  # the echo of the release line
    process.write(b"x\n")
    assert b"".join(_batches(process)) == b"x\r\ngot x\r\n"
    process.close()
