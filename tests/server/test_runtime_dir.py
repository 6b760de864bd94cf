"""Tests for the XDG_RUNTIME_DIR decision."""

from __future__ import annotations

from moshz.server.runtime_dir import DirStatus, decide_runtime_dir, is_private_dir, private_dir_base

UID = 1000
GOOD = DirStatus(is_dir=True, is_symlink=False, owner=UID, mode=0o700)


def test_logind_dir_kept_only_when_lingering() -> None:
    assert decide_runtime_dir("/run/user/1000", GOOD, UID, lingering=True).keep
    decision = decide_runtime_dir("/run/user/1000", GOOD, UID, lingering=False)
    assert not decision.keep and "lingering" in decision.reason


def test_other_sound_dirs_are_kept() -> None:
    assert decide_runtime_dir("/home/u/.run", GOOD, UID, lingering=False).keep


def test_missing_unset_or_unsound_dirs_are_replaced() -> None:
    assert not decide_runtime_dir(None, None, UID, True).keep
    assert not decide_runtime_dir("", None, UID, True).keep
    assert not decide_runtime_dir("/run/user/1000", None, UID, True).keep
    for bad in (
        DirStatus(True, False, 0, 0o700),
        DirStatus(True, False, UID, 0o755),
        DirStatus(True, True, UID, 0o700),
        DirStatus(False, False, UID, 0o700),
    ):
        assert not is_private_dir(bad, UID)
        assert not decide_runtime_dir("/x", bad, UID, True).keep


def test_private_dir_base() -> None:
    assert private_dir_base({"TMPDIR": "/var/tmp"}) == "/var/tmp"
    assert private_dir_base({"TMPDIR": ""}) == "/tmp"
    assert private_dir_base({}) == "/tmp"
