"""The emulator fed program output, whole or mutated, in pty-sized pieces, with resizes.

Sources: streams generated in the shape of vi, top, less and a colour shell; real vim, less,
man and ls output recorded for the term tests; the host bytes a real mosh-server sent.
Also the whole server-to-client path: the server's emulator reads the stream, each new screen
becomes a TerminalState diff, and the client applies it; both ends must agree on the size,
the cursor and its visibility, and nothing may raise. (Cell-exact agreement is the renderer
tests' business; mosh's renderer cannot carry a few states, e.g. a wide character overlapping
the right half of another, or the wrap flag of a bottom row that later scrolls up.)
"""

from __future__ import annotations

from typing import Any, Union

from hypothesis import given, settings
from hypothesis import strategies as st

from moshz.statesync.terminal import TerminalState
from moshz.term.emulator import Emulator
from tests.fuzz.captures import host_outputs, recorded_programs
from tests.fuzz.mutations import assert_frame_sane, mutated
from tests.fuzz.programs import program_output

SIZES = st.sampled_from([(80, 24), (132, 43), (40, 12), (20, 5), (2, 3), (1, 1), (200, 60)])
SETTINGS = settings(max_examples=60, deadline=None, derandomize=True)

Step = Union[bytes, "tuple[int, int]"]  # host output, or a window resize


@st.composite
def streams(draw: Any) -> tuple[tuple[int, int], list[Step]]:
    """A terminal size and what happens to it: output pieces (maybe mutated) and resizes."""
    width, height = draw(SIZES)
    source = draw(st.sampled_from(["generated", "recorded", "mosh-server"]))
    if source == "generated":
        data = draw(program_output(width, height))
    elif source == "recorded":
        data = draw(st.sampled_from(recorded_programs()))
    else:
        data = b"".join(draw(st.lists(st.sampled_from(host_outputs()), min_size=1, max_size=20)))
    if draw(st.booleans()):
        data = draw(mutated(data, max_mutations=12))
    return (width, height), draw(pieces(data))


@st.composite
def pieces(draw: Any, data: bytes) -> list[Step]:
    """``data`` cut where a pty read might end, with an occasional resize between pieces."""
    steps: list[Step] = []
    start = 0
    while start < len(data):
        end = start + draw(st.integers(1, 4096))
        steps.append(data[start:end])
        if draw(st.integers(0, 9)) == 0:
            steps.append((draw(st.integers(1, 200)), draw(st.integers(1, 60))))
        start = end
    return steps


def run(emulator: Emulator, step: Step) -> None:
    """Apply one step to an emulator."""
    if isinstance(step, bytes):
        emulator.feed(step)
    else:
        emulator.resize(*step)


@SETTINGS
@given(streams())
def test_program_output_never_raises_and_stays_in_bounds(
    stream: tuple[tuple[int, int], list[Step]],
) -> None:
    size, steps = stream
    emulator = Emulator(*size)
    for step in steps:
        run(emulator, step)
        assert_frame_sane(emulator.frame())
        assert isinstance(emulator.take_replies(), bytes)


@SETTINGS
@given(streams())
def test_the_client_follows_the_server_through_diffs(
    stream: tuple[tuple[int, int], list[Step]],
) -> None:
    size, steps = stream
    server = Emulator(*size)
    sent = TerminalState(server.frame())
    client = TerminalState(Emulator(*size).frame())
    for step in steps:
        run(server, step)
        state = TerminalState(server.frame())
        client = client.apply(state.diff_from(sent))
        sent = state
        shown, truth = client.frame, state.frame
        assert_frame_sane(shown)
        assert (shown.width, shown.height) == (truth.width, truth.height)
        assert (shown.cursor_row, shown.cursor_col) == (truth.cursor_row, truth.cursor_col)
        assert shown.cursor_visible == truth.cursor_visible
