"""What `./dev up` shows: one line per step with its time, a bar where work is long."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

_TTY = sys.stderr.isatty()
GREEN, RED, DIM, RESET = ("\033[32m", "\033[31m", "\033[2m", "\033[0m") if _TTY else ("",) * 4


def say(text: str = "") -> None:
    print(text, file=sys.stderr, flush=True)


class Step:
    def __init__(self, name: str) -> None:
        self.name = name
        self.detail = ""
        self.started = time.monotonic()

    def elapsed(self) -> float:
        return time.monotonic() - self.started


def finished(name: str, detail: str, seconds: float) -> None:
    """`✓ name  detail  1.2 s`."""
    clear = "\033[K" if _TTY else ""
    say(f"  {GREEN}✓{RESET} {name:<12} {detail:<46} {DIM}{seconds:5.1f} s{RESET}{clear}")


def failed(name: str, error: BaseException) -> None:
    say(f"  {RED}✗{RESET} {name:<12} {error}")


@contextmanager
def step(name: str) -> Iterator[Step]:
    """`✓ name  detail  1.2 s` once the block is done (`✗` and the error when it fails)."""
    current = Step(name)
    if _TTY:
        print(f"  … {name}", end="\r", file=sys.stderr, flush=True)
    try:
        yield current
    except BaseException as exc:
        failed(name, exc)
        raise
    finished(name, current.detail, current.elapsed())


def bar(done: int, total: int, label: str, width: int = 24) -> None:
    """A progress bar on a terminal; a plain line per change otherwise."""
    filled = width * done // max(total, 1)
    text = f"  [{'█' * filled}{'░' * (width - filled)}] {done}/{total} {label}"
    if _TTY:
        print(f"{text}\033[K", end="\r", file=sys.stderr, flush=True)
    else:
        say(text)
