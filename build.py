#!/usr/bin/env python3
"""Build dist/moshz: one executable file (a shiv zipapp) holding moshz and what it imports.

It bundles the moshz sources plus the installed distributions of cryptography, cffi, pycparser,
pyte and wcwidth (those of the Python running this script: no download), compressed, with the
shebang ``/usr/bin/env python3``. The archive is reproducible for the same inputs: fixed
timestamps and file modes, sorted entries, no paths of the build machine.

shiv unpacks its site-packages under ``~/.shiv`` on first run. A small boot module
(``_moshz_boot``, written into the archive) first checks that this is possible and otherwise
points shiv at a private directory under the system temp dir, so the file also runs for users
whose home is missing or read-only (``nobody``, some service accounts).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from importlib import metadata
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent
DEFAULT_OUTPUT = ROOT / "dist" / "moshz"
BUNDLED = ("cryptography", "cffi", "pycparser", "pyte", "wcwidth")
ENTRY = "_moshz_boot:main"
SHEBANG = "/usr/bin/env python3"
ZIP_EPOCH = 315532800  # 1980-01-01, the earliest time a zip entry can hold
DROPPED_METADATA = ("direct_url.json", "INSTALLER", "REQUESTED", "RECORD")

BOOT_MODULE = '''\
"""Start-up of the one-file moshz: find a writable place for shiv to unpack into, then run."""

import os
import stat
import sys
import tempfile

_ROOT_VAR = "SHIV_ROOT"
_chosen_root = []


def _writable(path):
    """Whether path is (or can be made) a directory we may write in."""
    try:
        os.makedirs(path, exist_ok=True)
    except OSError:
        return False
    return os.access(path, os.W_OK | os.X_OK)


def _private_root():
    """A directory under the temp dir that only this user owns and can write."""
    path = os.path.join(tempfile.gettempdir(), "moshz-%d" % os.getuid())
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return tempfile.mkdtemp(prefix="moshz-")
    info = os.lstat(path)
    if stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o077:
        return path
    return tempfile.mkdtemp(prefix="moshz-")


def bootstrap():
    """Choose shiv's unpack root when ~/.shiv is unusable, then hand over to shiv."""
    if _ROOT_VAR not in os.environ and not _writable(os.path.expanduser("~/.shiv")):
        os.environ[_ROOT_VAR] = _private_root()
        _chosen_root.append(os.environ[_ROOT_VAR])
    import _bootstrap

    _bootstrap.bootstrap()


def main():
    """Run moshz; a SHIV_ROOT set only for unpacking is not passed on to children."""
    if _chosen_root:
        os.environ.pop(_ROOT_VAR, None)
    from moshz.cli import main as moshz_main

    return moshz_main(sys.argv)
'''


def source_date() -> int:
    """The build timestamp: SOURCE_DATE_EPOCH, else the last commit's time, else 1980."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        return int(os.environ["SOURCE_DATE_EPOCH"])
    try:
        out = subprocess.run(
            ["git", "-C", str(ROOT), "log", "-1", "--format=%ct"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
        return max(int(out), ZIP_EPOCH)
    except (OSError, subprocess.CalledProcessError, ValueError):
        return ZIP_EPOCH


def distribution_files(name: str) -> Iterator[tuple[Path, str]]:
    """(installed file, path inside site-packages) for every file of an installed distribution."""
    dist = metadata.distribution(name)
    for entry in dist.files or ():
        rel = entry.as_posix()
        if rel.startswith("..") or "__pycache__" in rel or rel.endswith(".pyc"):
            continue  # console scripts outside site-packages, and caches
        if ".dist-info/" in rel and rel.rsplit("/", 1)[1] in DROPPED_METADATA:
            continue  # install records that may name the build machine
        yield Path(dist.locate_file(entry)), rel


def moshz_files() -> Iterator[tuple[Path, str]]:
    """(source file, path inside site-packages) for the moshz package itself."""
    for path in sorted((ROOT / "moshz").rglob("*.py")):
        if "__pycache__" not in path.parts:
            yield path, path.relative_to(ROOT).as_posix()


def stage(target: Path) -> list[str]:
    """Copy everything to bundle into target with normalized modes; return what was bundled."""
    bundled = []
    files = list(moshz_files())
    for name in BUNDLED:
        files.extend(distribution_files(name))
        bundled.append(f"{name} {metadata.version(name)}")
    for src, rel in files:
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
        os.chmod(dest, 0o755 if rel.endswith(".so") else 0o644)
    for directory in [target, *(p for p in target.rglob("*") if p.is_dir())]:
        os.chmod(directory, 0o755)
    return bundled


def build(output: Path) -> list[str]:
    """Write the zipapp to output and return the list of bundled distributions."""
    from shiv import __version__ as shiv_version
    from shiv.bootstrap.environment import Environment
    from shiv.builder import create_archive
    from shiv.constants import BUILD_AT_TIMESTAMP_FORMAT

    stamp = source_date()
    env = Environment(
        built_at=time.strftime(BUILD_AT_TIMESTAMP_FORMAT, time.gmtime(stamp)),
        shiv_version=shiv_version,
        entry_point=ENTRY,
        compile_pyc=False,
        reproducible=True,
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".part")
    with tempfile.TemporaryDirectory(prefix="moshz-build-") as tmp:
        site_packages = Path(tmp) / "site-packages"
        bundled = stage(site_packages)
        create_archive(
            [site_packages], partial, SHEBANG, "_moshz_boot:bootstrap", env, compressed=True
        )
    with zipfile.ZipFile(partial, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo("_moshz_boot.py", date_time=time.gmtime(stamp)[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o100644 << 16
        archive.writestr(info, BOOT_MODULE)
    os.chmod(partial, 0o755)
    os.replace(partial, output)
    return bundled


def main(argv: list[str]) -> int:
    """Command line: ``python3 build.py [-o OUTPUT]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    bundled = build(args.output)
    size = args.output.stat().st_size
    print("built {} ({:.1f} MB): moshz + {}".format(args.output, size / 1e6, ", ".join(bundled)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
