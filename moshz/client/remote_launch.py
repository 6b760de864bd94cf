"""The POSIX sh script the first ssh runs: find moshz and a Python for it, or say what is missing.

The script looks for an installed moshz (``moshz`` on the PATH, ``~/moshz``,
``~/bin/moshz``), then for this client's own file in the per-user cache
(``moshz-<sha256>``, run only after its hash checks out). A moshz file whose
first line is the zipapp's ``#!/usr/bin/env python3`` is started with the first
Python >= 3.8 found (``python3``, then ``python3.X`` newest first, then
``nix-shell -p python3`` or ``nix run nixpkgs#python3``), so a host with
only ``python3.11`` or only nix works too. Anything else on the PATH is run
directly. What is missing comes back as one marker line for the client:

- ``MOSHZ INSTALL <dir>``: only our file is missing; send it into ``<dir>``;
- ``MOSHZ NO PYTHON [python3 -V]``: no usable Python (and no nix);
- ``MOSHZ NO CACHE``: neither ``~/.cache/moshz`` nor the private temp dir is usable;
- ``MOSHZ UPLOAD FAILED <why>``: the file sent did not arrive intact (upload only);
- ``MOSHZ NO SERVER``: nothing installed, and self-install is off.

The cache is ``~/.cache/moshz``; where the home directory cannot be written it
is ``${TMPDIR:-/tmp}/moshz-<uid>/cache``, inside the private directory (mode
0700, ours) that the one-file moshz also unpacks into in that case.
"""

from __future__ import annotations

import re
from typing import NamedTuple

NO_SERVER_MARKER = "MOSHZ NO SERVER"
INSTALL_MARKER = "MOSHZ INSTALL"
NO_PYTHON_MARKER = "MOSHZ NO PYTHON"
NO_CACHE_MARKER = "MOSHZ NO CACHE"
UPLOAD_FAILED_MARKER = "MOSHZ UPLOAD FAILED"
REMOTE_PREFIX = "moshz remote: "
MIN_PYTHON = (3, 8)
CACHE_PLACES = ("~/.cache/moshz", "${TMPDIR:-/tmp}/moshz-<uid>/cache")

_SHA256_RE = re.compile(r"[0-9a-f]{64}\Z")

# Helpers shared by both scripts. Globals: H (sha256 wanted), V (verbose), PY (interpreter).
_FUNCTIONS = r"""
say() { [ -z "$V" ] || printf '%s%s\n' "$REMOTE_PREFIX" "$*"; }
py_ok() { "$1" -c "import sys; sys.exit(sys.version_info < ($MIN_PYTHON))" >/dev/null 2>&1; }
py_names() {
  (IFS=:; for d in $PATH; do for f in "$d"/python3.*; do
    n=${f##*/}
    case $n in python3.[0-9]|python3.[0-9][0-9]) [ -x "$f" ] && echo "$n";; esac
  done; done) | sort -u -t . -k 2,2nr
}
find_python() {
  if command -v python3 >/dev/null 2>&1; then
    py_ok python3 && { PY=python3; return 0; }
    OLD=$(python3 -V 2>&1 | head -n 1)
  fi
  for n in $(py_names); do py_ok "$n" && { PY=$n; return 0; }; done
  for n in nix-shell nix; do command -v $n >/dev/null 2>&1 && { PY=$n; return 0; }; done
  return 1
}
no_python() { echo "$NO_PYTHON_MARKER${OLD:+ $OLD}"; exit 127; }
quote() {
  for a; do
    printf "'"
    while :; do
      case $a in *\'*) printf '%s' "${a%%\'*}'\\''"; a=${a#*\'};; *) break;; esac
    done
    printf "%s' " "$a"
  done
}
run_py() {
  case $PY in
    nix-shell) nix-shell -p python3 --run "python3 $(quote "$@")";;
    nix) nix --extra-experimental-features 'nix-command flakes' run nixpkgs#python3 -- "$@";;
    *) "$PY" "$@";;
  esac
}
needs_py() { IFS= read -r first 2>/dev/null < "$1"; case $first in '#!/usr/bin/env python3'*) return 0;; esac; return 1; }
moshz_run() { if [ -n "$VIA_PY" ]; then run_py "$F" "$@"; else "$F" "$@"; fi; }
start() {
  F=$1; VIA_PY=; shift
  if needs_py "$F"; then VIA_PY=1; [ -n "$PY" ] || find_python || no_python; fi
  case $PY in nix*) [ -z "$VIA_PY" ] || echo "moshz: no python3 here; using $PY to get one from nixpkgs (the first time takes a while)";; esac
  say "starting $F${VIA_PY:+ with $PY}"
  [ -z "$V" ] || moshz_run -v --version 2>&1 | sed "s/^/$REMOTE_PREFIX/"
  moshz_run --server "$@"
  exit
}
sha() {
  { sha256sum "$1" || shasum -a 256 "$1" || case $PY in
      nix*) nix-hash --type sha256 --flat --base16 "$1";;
      *) "$PY" -c 'import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())' "$1";;
    esac; } 2>/dev/null | { read -r h _; echo "$h"; }
}
home_cache() {
  [ -n "$HOME" ] || return 1
  d=$HOME/.cache/moshz
  (umask 077; mkdir -p "$d") 2>/dev/null && [ -w "$d" ] && echo "$d"
}
tmp_cache() {
  t=${TMPDIR:-/tmp}/moshz-$(id -u)
  mkdir -m 700 "$t" 2>/dev/null
  set -- $(ls -ldn "$t" 2>/dev/null)
  case $1 in drwx------*) [ "$3" = "$(id -u)" ] || return 1;; *) return 1;; esac
  (umask 077; mkdir -p "$t/cache") 2>/dev/null && echo "$t/cache"
}
try_cache() {
  c=$1/moshz-$H; shift
  [ -f "$c" ] || return 0
  [ "$(sha "$c")" = "$H" ] && start "$c" "$@"
  say "$c has the wrong sha256: it will be replaced, not run"
}
"""

_RECEIVE = r"""
receive() {
  t=$1/.moshz-$H.$$
  fail() { rm -f "$t"; echo "$UPLOAD_FAILED_MARKER $1"; exit 1; }
  rm -f "$t"
  (umask 077; cat > "$t") 2>/dev/null || fail write
  got=$(sha "$t")
  [ "$got" = "$H" ] || fail "${got:-unverifiable}"
  chmod 700 "$t" && mv -f "$t" "$1/moshz-$H" || fail write
  say "received $(wc -c < "$1/moshz-$H") bytes into $1 (sha256 checked)"
}
"""

_FIND_INSTALLED = r"""
for f in "$(command -v moshz)" "$HOME/moshz" "$HOME/bin/moshz"; do
  [ -f "$f" ] && [ -x "$f" ] && start "$f" "$@"
done
"""

_USE_CACHE = r"""
find_python || no_python
D=$(home_cache) || D=$(tmp_cache) || { echo "$NO_CACHE_MARKER"; exit 1; }
"""

_CACHE_TAIL = r"""
try_cache "$D" "$@"
echo "$INSTALL_MARKER $D"
"""


class Launch(NamedTuple):
    """How the remote launch goes: the sha256 of our file (None: self-install off), -v, upload."""

    sha256: str | None = None
    verbose: bool = False
    receive: bool = False


def _constants(launch: Launch) -> str:
    """Shell assignments of the values the script text refers to (all of them shell-safe)."""
    values = {
        "H": launch.sha256 or "",
        "V": "1" if launch.verbose else "",
        "MIN_PYTHON": ", ".join(str(n) for n in MIN_PYTHON),
        "REMOTE_PREFIX": REMOTE_PREFIX,
        "INSTALL_MARKER": INSTALL_MARKER,
        "NO_PYTHON_MARKER": NO_PYTHON_MARKER,
        "NO_CACHE_MARKER": NO_CACHE_MARKER,
        "UPLOAD_FAILED_MARKER": UPLOAD_FAILED_MARKER,
        "NO_SERVER_MARKER": NO_SERVER_MARKER,
    }
    return "".join(f"{name}='{value}'\n" for name, value in values.items())


def launch_script(launch: Launch) -> str:
    """The script text; its arguments ("$@") are the server's arguments after ``--server``.

    Without a sha256 it looks only for an installed moshz. With ``receive`` it
    first reads our file from its stdin into the cache (the upload connection).
    """
    if launch.sha256 is not None and not _SHA256_RE.match(launch.sha256):
        raise ValueError(f"not a lowercase hex sha256: {launch.sha256!r}")
    parts = [_constants(launch), _FUNCTIONS]
    if launch.receive:
        parts.append(_RECEIVE)
    parts.append(_FIND_INSTALLED)
    if launch.sha256 is None:
        parts.append('echo "$NO_SERVER_MARKER"; exit 127\n')
        return "".join(parts)
    parts.append(_USE_CACHE)
    if launch.receive:
        parts.append('receive "$D"\n')
    parts.append(_CACHE_TAIL)
    return "".join(parts)
