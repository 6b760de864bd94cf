"""Command line of the impairment relay: `python3 -m tests.tools.relay --target HOST:PORT ...`.

Prints the listen port on the first line of stdout. Then reads commands from stdin, one per
line: `outage [SECONDS]`, `end-outage`, `roam`, `roam-every SECONDS|off`, `stats`,
`set [up|down|both] NAME=VALUE ...`. Runs until SIGINT/SIGTERM; prints its counters on exit.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from dataclasses import asdict, fields
from typing import Callable, Sequence

from tests.tools.relay import Address, Impairment, Relay

FIELDS = tuple(f.name for f in fields(Impairment))


def parse_address(text: str) -> Address:
    """HOST:PORT as a (host, port) pair."""
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise argparse.ArgumentTypeError(f"expected HOST:PORT, got {text!r}")
    return (host, int(port))


def build_parser() -> argparse.ArgumentParser:
    """Options: addresses, seed, roaming, and every Impairment field for both/up/down."""
    parser = argparse.ArgumentParser(prog="python3 -m tests.tools.relay", description=__doc__)
    parser.add_argument("--listen", type=parse_address, default=("127.0.0.1", 0))
    parser.add_argument("--target", type=parse_address, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--source", default="127.0.0.1", help="first source address")
    parser.add_argument("--roam-every", type=float, metavar="SECONDS")
    for name in FIELDS:
        flag = name.replace("_", "-")
        for prefix, where in (("", "both directions"), ("up_", "client to server"),
                              ("down_", "server to client")):  # fmt: skip
            parser.add_argument(f"--{prefix.replace('_', '-')}{flag}", type=float,
                                dest=f"{prefix}{name}", help=f"{name} for {where}")  # fmt: skip
    return parser


def impairment_for(args: argparse.Namespace, direction: str) -> Impairment:
    """The Impairment of one direction: its own option, else the both-directions one."""
    values = {}
    for name in FIELDS:
        value = getattr(args, f"{direction}_{name}")
        if value is None:
            value = getattr(args, name)
        if value is not None:
            values[name] = value
    return Impairment(**values)


def _set(relay: Relay, words: Sequence[str]) -> None:
    direction = words[0] if words and words[0] in ("up", "down", "both") else "both"
    pairs = (word.split("=", 1) for word in words if "=" in word)
    relay.impair(direction, **{name.replace("-", "_"): float(value) for name, value in pairs})


def _roam_every(relay: Relay, words: Sequence[str]) -> None:
    relay.roam_every(None if words[0] == "off" else float(words[0]))


COMMANDS: dict[str, Callable[[Relay, Sequence[str]], object]] = {
    "outage": lambda relay, words: relay.outage(float(words[0]) if words else None),
    "end-outage": lambda relay, words: relay.end_outage(),
    "roam": lambda relay, words: print(*relay.roam(), flush=True),
    "roam-every": _roam_every,
    "stats": lambda relay, words: print(format_stats(relay), flush=True),
    "set": _set,
}


def format_stats(relay: Relay) -> str:
    """The counters as one line of NAME=VALUE words."""
    stats = relay.stats()
    words = [f"roams={stats.roams}", f"source={stats.source[0]}:{stats.source[1]}"]
    for direction in ("up", "down"):
        counters = asdict(getattr(stats, direction))
        words += [f"{direction}.{name}={value}" for name, value in counters.items()]
    return " ".join(words)


def serve_commands(relay: Relay) -> None:
    """Obey stdin commands until it ends; a bad command is reported, not fatal."""
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        try:
            COMMANDS[words[0]](relay, words[1:])
        except (KeyError, IndexError, ValueError, TypeError) as error:
            print(f"relay: bad command {line.strip()!r}: {error!r}", file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the relay until interrupted."""
    args = build_parser().parse_args(argv)
    up, down = impairment_for(args, "up"), impairment_for(args, "down")
    relay = Relay(args.target, args.listen, up, down, args.seed, args.source).start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    if args.roam_every:
        relay.roam_every(args.roam_every)
    print(relay.port, flush=True)
    threading.Thread(target=serve_commands, args=(relay,), daemon=True).start()
    while not stop.wait(0.5):
        pass
    print(format_stats(relay), file=sys.stderr, flush=True)
    relay.stop()
    return 0
