#!/usr/bin/env bash
# Install what building, testing and benchmarking moshz needs; quick when it is all there.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
for pair in mosh-server:mosh sshd:openssh-server tmux:tmux ssh:openssh-client locale:locales busybox:busybox vi:vim; do
    cmd=${pair%%:*}; pkg=${pair##*:}
    if ! command -v "$cmd" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$cmd" ]; then
        need_apt+=("$pkg")
    fi
done
if [ ${#need_apt[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "install-deps: missing ${need_apt[*]}; run as root or install them" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q openssh-server mosh tmux locales busybox vim
fi

PY=${PYTHON:-python3}
if ! "$PY" - <<'PYEOF' 2>/dev/null
import importlib.metadata as md, pathlib, sys
for line in pathlib.Path("requirements-dev.txt").read_text().splitlines():
    line = line.split("#")[0].strip()
    if not line:
        continue
    name, version = line.split("==")
    if md.version(name) != version:
        sys.exit(1)
PYEOF
then
    "$PY" -m pip install -q --disable-pip-version-check -r requirements-dev.txt
fi
