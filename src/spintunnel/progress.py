"""Progress of long work with the time left, on a terminal or in a log.

The work is measured in any additive unit (the CLI uses the methods' estimated seconds,
``Method.cost_hint_s``); the time left is extrapolated from the rate measured so far.  On a
terminal one line is rewritten in place; otherwise (a log file, CI) a line is written every
``interval`` seconds, so that long work is never silent.
"""

from __future__ import annotations

import sys
import time

__all__ = ["Progress"]


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


class Progress:
    """``total`` units of work under ``label``; :meth:`advance` when units are done,
    :meth:`within` for the fraction of a unit of known weight that is running.

    Parameters
    ----------
    total : float
        Units of work (> 0).
    label : str
    stream : file, optional
        Default: ``sys.stderr``.  ``quiet=True`` writes nothing.
    interval : float
        Seconds between lines when ``stream`` is not a terminal.
    """

    def __init__(self, total: float, label: str, stream=None, interval: float = 5.0, quiet: bool = False):
        self.total = max(float(total), 1e-300)
        self.label = label
        self.stream = sys.stderr if stream is None else stream
        self.interval = float(interval)
        self.quiet = quiet
        self.done = 0.0
        self._partial = 0.0
        self._start = time.monotonic()
        self._last = -1e300
        self._tty = bool(getattr(self.stream, "isatty", lambda: False)())

    # -- reporting -------------------------------------------------------------------------
    def advance(self, units: float = 1.0) -> None:
        """``units`` more are done."""
        self.done += float(units)
        self._partial = 0.0
        self._show()

    def within(self, weight: float):
        """A callback ``f(fraction)`` for a unit of ``weight`` that reports its own progress
        (e.g. the time steps of the exact method)."""

        def report(fraction: float) -> None:
            self._partial = weight * min(max(float(fraction), 0.0), 1.0)
            self._show()

        return report

    def close(self) -> None:
        """Write the final line (with the elapsed time)."""
        if not self.quiet:
            end = "\r" if self._tty else ""
            self.stream.write(f"{end}{self.label}: done in {_duration(time.monotonic() - self._start)}\n")
            self.stream.flush()

    def __enter__(self):
        self._show(force=True)
        return self

    def __exit__(self, exc_type, *exc):
        if exc_type is None:
            self.close()
        elif not self.quiet and self._tty:
            self.stream.write("\n")
        return False

    # -- the line ----------------------------------------------------------------------------
    def line(self) -> str:
        """The current status: percent done, elapsed, and the time left (once measurable)."""
        now = time.monotonic()
        elapsed = now - self._start
        done = min(self.done + self._partial, self.total)
        text = f"{self.label}: {100 * done / self.total:3.0f}% done, {_duration(elapsed)} elapsed"
        if done > 0 and elapsed > 0.5:
            left = elapsed * (self.total - done) / done
            text += f", about {_duration(left)} left"
        return text

    def _show(self, force: bool = False) -> None:
        if self.quiet:
            return
        now = time.monotonic()
        if self._tty:
            if force or now - self._last >= 0.2:
                self.stream.write("\r" + self.line().ljust(78))
                self.stream.flush()
                self._last = now
        elif force or now - self._last >= self.interval:
            self.stream.write(self.line() + "\n")
            self.stream.flush()
            self._last = now
