#!/usr/bin/env python3
"""Build dist/moshz: one executable file (a shiv zipapp) holding moshz and what it imports.

It bundles the moshz sources plus cryptography, cffi, pycparser, pyte and wcwidth, compressed,
with the shebang ``/usr/bin/env python3``. The pure-Python ones are copied from this Python's
installation. For the native ones the build fetches with pip (cached in build/wheels) wheels of
the installed versions that let the native backend load on every CPython from 3.9 on:
cryptography's ``cp39-abi3`` build for this CPU (glibc >= 2.28), one ``_cffi_backend`` per
CPython minor version (they sit side by side), and typing_extensions for 3.9 and 3.10. Where pip
cannot fetch them (offline, or ``--offline``) it bundles the installed ones instead, which load
only on this Python's minor version; other Pythons then use the pure backend. The archive is
reproducible for the same inputs: fixed timestamps and file modes, sorted entries, no paths of
the build machine.

shiv unpacks its site-packages under ``~/.shiv`` on first run. A small boot module
(``_moshz_boot``, written into the archive) first checks that this is possible and otherwise
points shiv at a private directory under the system temp dir, so the file also runs for users
whose home is missing or read-only (``nobody``, some service accounts), and retries there
when unpacking into ``~/.shiv`` fails (a full disk).
"""

from __future__ import annotations

import argparse
import os
import platform
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
WHEEL_CACHE = ROOT / "build" / "wheels"
BUNDLED = ("cryptography", "cffi", "pycparser", "pyte", "wcwidth")
NATIVE = ("cryptography", "cffi")
# CPythons whose cffi backend is bundled (3.9.2: cryptography excludes 3.9.0 and 3.9.1).
PORTABLE_PYTHONS = ("3.9.2", "3.10", "3.11", "3.12", "3.13", "3.14")
MANYLINUX = ("manylinux_2_17", "manylinux2014", "manylinux_2_28")
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
_OLDEST_PYTHON = (3, 8)
_chosen_root = []
_started = []


def _check_python():
    """Stop with one line naming the Python needed when this one is too old to run moshz."""
    if sys.version_info[:2] < _OLDEST_PYTHON:
        sys.stderr.write(
            "moshz: needs Python %d.%d or newer; %s is Python %s\\n"
            % (_OLDEST_PYTHON + (sys.executable, sys.version.split()[0]))
        )
        sys.exit(1)


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


def _use_private_root():
    """Unpack under the private temp directory instead of ~/.shiv."""
    os.environ[_ROOT_VAR] = _private_root()
    _chosen_root.append(os.environ[_ROOT_VAR])


def bootstrap():
    """Choose shiv's unpack root when ~/.shiv is unusable, then hand over to shiv.

    If unpacking into ~/.shiv fails all the same (a full disk, say), it is
    retried once in the private directory.
    """
    _check_python()
    if _ROOT_VAR not in os.environ and not _writable(os.path.expanduser("~/.shiv")):
        _use_private_root()
    import _bootstrap

    try:
        _bootstrap.bootstrap()
    except OSError:
        if _started or _ROOT_VAR in os.environ:
            raise
        _use_private_root()
        _bootstrap.bootstrap()


def main():
    """Run moshz; a SHIV_ROOT set only for unpacking is not passed on to children."""
    _started.append(True)
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


def download(name: str, python: str, abi: str) -> Path:
    """The wheel of the installed version of `name` for CPython `python` on this CPU (pip)."""
    version = metadata.version(name)
    command = [
        sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
        "--no-deps", "--only-binary=:all:", "--implementation", "cp", "--python-version", python,
        "--abi", abi, "--dest", str(WHEEL_CACHE), f"{name}=={version}",
    ]
    for tag in MANYLINUX:
        command += ["--platform", f"{tag}_{platform.machine()}"]
    subprocess.run(command, check=True, capture_output=True, timeout=600)
    pattern = f"{name.replace('-', '_')}-{version}-*-{abi}-*.whl"
    found = sorted(WHEEL_CACHE.glob(pattern))
    if not found:
        raise OSError(f"pip saved no {pattern}")
    return found[0]


def portable_wheels() -> list[Path]:
    """The native distributions (and what they need on 3.9/3.10) as wheels for CPython >= 3.9."""
    WHEEL_CACHE.mkdir(parents=True, exist_ok=True)
    wheels = [download("cryptography", PORTABLE_PYTHONS[0], "abi3")]
    for python in PORTABLE_PYTHONS:
        wheels.append(download("cffi", python, "cp" + "".join(python.split(".")[:2])))
    wheels.append(download("typing_extensions", PORTABLE_PYTHONS[0], "none"))
    return wheels


def unpack_wheel(wheel: Path, target: Path) -> None:
    """Unpack a wheel into the staging site-packages, without its install records."""
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            if not name.endswith("/") and name.rsplit("/", 1)[-1] not in DROPPED_METADATA:
                dest = target / name
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_bytes(archive.read(name))


def _native_sources(target: Path, portable: bool) -> tuple[str, ...]:
    """Unpack the portable native wheels if wanted and possible; the names still to copy."""
    if not portable:
        return BUNDLED
    try:
        wheels = portable_wheels()
    except (OSError, subprocess.SubprocessError) as exc:
        print(f"build: no portable wheels ({exc}); bundling this Python's own", file=sys.stderr)
        return BUNDLED
    for wheel in wheels:
        unpack_wheel(wheel, target)
    return tuple(name for name in BUNDLED if name not in NATIVE)


def stage(target: Path, portable: bool) -> list[str]:
    """Gather everything to bundle into target with normalized modes; return what was bundled."""
    copied = _native_sources(target, portable)
    files = list(moshz_files())
    for name in copied:
        files.extend(distribution_files(name))
    for src, rel in files:
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
    for path in target.rglob("*"):
        os.chmod(path, 0o755 if path.is_dir() or path.suffix == ".so" else 0o644)
    os.chmod(target, 0o755)
    kind = "portable" if "cryptography" not in copied else "this Python's"
    return [f"{name} {metadata.version(name)}" for name in BUNDLED] + [f"native: {kind}"]


def build(output: Path, portable: bool = True) -> list[str]:
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
        bundled = stage(site_packages, portable)
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
    parser.add_argument("--offline", action="store_true",
                        help="bundle only what is installed: native crypto for this Python only")
    args = parser.parse_args(argv)
    bundled = build(args.output, portable=not args.offline)
    size = args.output.stat().st_size
    print("built {} ({:.1f} MB): moshz + {}".format(args.output, size / 1e6, ", ".join(bundled)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
