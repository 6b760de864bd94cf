"""The escape key of mosh-client (PROTOCOL.md 11.2): Ctrl-^ . quits, Ctrl-^ Ctrl-Z suspends.

``EscapeKey.feed(data)`` turns the bytes the user typed into a list of actions
for the session, in order: ``Keys`` to append to the user stream, ``ShowHelp``
/ ``HideHelp`` for the notification bar, ``Quit``, ``Suspend`` and ``Repaint``
(Ctrl-L, which is also sent on). Nothing is done after ``Quit``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

DEFAULT_KEY = 0x1E  # Ctrl-^
_FORBIDDEN = (0x03, 0x04, 0x0A, 0x0C, 0x0D)  # Ctrl-C, Ctrl-D, LF, Ctrl-L, CR
_QUIT = ord(".")
_SUSPEND = 0x1A  # Ctrl-Z
_REPAINT = 0x0C  # Ctrl-L


@dataclass(frozen=True)
class EscapeConfig:
    """The escape key chosen from MOSH_ESCAPE_KEY, and the texts the bar shows for it."""

    key: int | None  # None: the escape mechanism is disabled
    pass_key: int = ord("^")
    pass_key2: int = ord("^")

    @property
    def requires_newline(self) -> bool:
        """A printable escape key counts only right after CR or LF, like ssh's ``~``."""
        return self.key is not None and self.key >= 32

    @property
    def key_name(self) -> str:
        """How the bar names the key: ``Ctrl-^`` or ``"~"``."""
        if self.key is None:
            return ""
        if self.key < 32:
            return "Ctrl-" + chr(self.pass_key)
        return f'"{chr(self.key)}"'

    @property
    def help_text(self) -> str:
        """The bar text shown after the escape key was typed."""
        return f'Commands: Ctrl-Z suspends, "." quits, "{chr(self.pass_key)}" gives literal {self.key_name}'

    @property
    def quit_hint(self) -> str:
        """The suffix mosh adds to bar texts, e.g. `` [To quit: Ctrl-^ .]``."""
        return f" [To quit: {self.key_name} .]" if self.key is not None else ""


def escape_config(value: str | None) -> EscapeConfig:
    """The escape key for a MOSH_ESCAPE_KEY value (None when the variable is unset)."""
    if value == "":
        return EscapeConfig(key=None)
    if value is None or len(value) != 1 or not 0 < ord(value) < 128:
        return EscapeConfig(key=DEFAULT_KEY)
    key = ord(value)
    if key in _FORBIDDEN:
        return EscapeConfig(key=DEFAULT_KEY)
    pass_key = key + 0x40 if key < 32 else key
    pass_key2 = pass_key + 0x20 if ord("A") <= pass_key <= ord("Z") else pass_key
    return EscapeConfig(key=key, pass_key=pass_key, pass_key2=pass_key2)


@dataclass(frozen=True)
class Keys:
    """Bytes to append to the user stream."""

    data: bytes


@dataclass(frozen=True)
class ShowHelp:
    """Show the escape help in the notification bar."""


@dataclass(frozen=True)
class HideHelp:
    """Remove the escape help from the notification bar (if it is still showing)."""


@dataclass(frozen=True)
class Quit:
    """The user typed the quit sequence: start the shutdown handshake."""


@dataclass(frozen=True)
class Suspend:
    """The user typed the suspend sequence: restore the terminal and stop the process."""


@dataclass(frozen=True)
class Repaint:
    """Ctrl-L was typed: repaint the whole screen at the next render."""


Action = Union[Keys, ShowHelp, HideHelp, Quit, Suspend, Repaint]


class EscapeKey:
    """The escape-key state machine; one per session."""

    def __init__(self, config: EscapeConfig) -> None:
        self.config = config
        self._started = False
        self._after_newline = False

    def feed(self, data: bytes) -> list[Action]:
        """Process one read of user input and say what the session must do, in order."""
        actions: list[Action] = []
        for byte in data:
            if self._started:
                actions.extend(self._after_escape(byte))
                if isinstance(actions[-1], Quit):
                    break
            else:
                actions.extend(self._plain(byte))
        return _merge_keys(actions)

    def _plain(self, byte: int) -> list[Action]:
        config = self.config
        if byte == config.key and (self._after_newline or not config.requires_newline):
            self._started = True
            self._after_newline = False
            return [ShowHelp()]
        self._after_newline = byte in (0x0A, 0x0D)
        keys = Keys(bytes([byte]))
        return [keys, Repaint()] if byte == _REPAINT else [keys]

    def _after_escape(self, byte: int) -> list[Action]:
        self._started = False
        key = self.config.key
        assert key is not None
        if byte == _QUIT:
            return [HideHelp(), Quit()]
        if byte == _SUSPEND:
            return [HideHelp(), Suspend()]
        if byte in (self.config.pass_key, self.config.pass_key2):
            return [HideHelp(), Keys(bytes([key]))]
        return [HideHelp(), Keys(bytes([key, byte]))]


def _merge_keys(actions: list[Action]) -> list[Action]:
    merged: list[Action] = []
    for action in actions:
        if isinstance(action, Keys) and merged and isinstance(merged[-1], Keys):
            merged[-1] = Keys(merged[-1].data + action.data)
        else:
            merged.append(action)
    return merged
