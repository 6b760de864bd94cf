"""mosh's advice when the local locale is not UTF-8 (PROTOCOL.md 2.4), as text.

The terminal parser on both sides decodes UTF-8, so mosh-client refuses to
start in any other character set and explains why; moshz says the same.
"""

from __future__ import annotations


def unavailable_note(variable: str, value: str) -> str:
    """mosh's note when the requested locale is not installed here."""
    return (
        f"The locale requested by {variable} isn't available here.\n"
        f"Running `locale-gen {value}' may be necessary.\n\n"
    )


def charset_advice(program: str, variable: str, charset: str) -> str:
    """The refusal text: ``<program> needs a UTF-8 native locale to run.`` and why."""
    shown = "US-ASCII" if charset == "ANSI_X3.4-1968" else charset
    return (
        f"{program} needs a UTF-8 native locale to run.\n\n"
        f"Unfortunately, the client's environment ({variable}) specifies\n"
        f'the character set "{shown}".\n\n'
    )
