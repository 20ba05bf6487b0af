"""Jupyter helpers: a progress display for long calls, and a subscription shown in place.

    import radar_rpc
    from radar_rpc.notebook import progress, watch

    radar = radar_rpc.shared(demo=True)                 # one server per kernel
    result = radar.netflows_timeseries_groups("AS", date_range="7d", on_progress=progress())
    with radar.subscribe("netflows_timeseries_groups", dimension="PRODUCT", date_range="1d",
                         interval_seconds=60) as updates:
        watch(updates)                                  # one table, replaced by each update

Nothing here is a required dependency: IPython (there in every Jupyter kernel) is imported
when something is shown, and outside IPython the same helpers write one line of text per
event to standard error. ``watch(..., show="plot")`` needs matplotlib.
"""

from __future__ import annotations

import html
import io
import sys
import time
from datetime import datetime, timezone
from typing import Any, AsyncIterable, Callable, Iterable, Optional, Union

from . import _display
from .results import CsvResult, Progress, RadarResult, Update

__all__ = ["progress", "watch", "watch_async"]


class _Output:
    """One output of the cell, replaced in place (an IPython display handle), or stderr lines."""

    def __init__(self) -> None:
        self._handle: Any = None
        try:
            from IPython.core.getipython import get_ipython
            from IPython.display import display
        except ImportError:
            self._display: Optional[Callable[..., Any]] = None
        else:
            self._display = display if get_ipython() is not None else None  # type: ignore[no-untyped-call]

    def show(self, view: Any) -> None:
        if self._display is None:
            print(repr(view), file=sys.stderr, flush=True)
        elif self._handle is None:
            self._handle = self._display(view, display_id=True)
        else:
            self._handle.update(view)


class _ProgressView:
    def __init__(self, title: str, status: str, percentage: Optional[int], done: bool) -> None:
        self.title, self.status, self.percentage, self.done = title, status, percentage, done

    def __repr__(self) -> str:
        percent = " %d%%" % self.percentage if self.percentage is not None and not self.done else ""
        return "%s: %s%s" % (self.title, self.status, percent)

    def _repr_html_(self) -> str:
        value = 100 if self.done else self.percentage
        bar = '<progress max="100"%s style="width:12em"></progress>' % ("" if value is None else ' value="%d"' % value)
        return '<div style="font-size:0.9em">%s <b>%s</b> %s</div>' % (
            bar,
            html.escape(self.title),
            html.escape(self.status),
        )


class progress:
    """An ``on_progress`` callback that shows one call's work-done progress in the cell: a bar
    (the server's ``percentage`` when it sends one, else an indeterminate bar), its title, the
    latest message (a retry, the rate limiter) and the elapsed time, replaced in place, then
    "done in 1.2 s" (or "cancelled after …") at ``end``. Make one per call::

        radar.ct_timeseries_groups("CA", date_range="28d", on_progress=progress())
    """

    def __init__(self, title: Optional[str] = None) -> None:
        self._title = title
        self._started = time.monotonic()
        self._output: Optional[_Output] = None

    def __call__(self, event: Progress) -> None:
        if self._output is None:
            self._output = _Output()
            self._started = time.monotonic()
        if event.kind == "begin" and self._title is None:
            self._title = event.title
        title = self._title or "radar-rpc"
        elapsed = "%.1f s" % (time.monotonic() - self._started)
        if event.kind == "end":
            cancelled = (event.message or "").lower().startswith("cancel")
            status = ("cancelled after %s" if cancelled else "done in %s") % elapsed
            self._output.show(_ProgressView(title, status, None, True))
        else:
            status = "%s (%s)" % (event.message, elapsed) if event.message else "working… (%s)" % elapsed
            self._output.show(_ProgressView(title, status, event.percentage, False))


class _UpdateView:
    """One subscription update as the cell shows it: a table (the result's summary and the
    newest value of each group) or a chart, headed by the update's number and time."""

    def __init__(self, update: Update, number: int, show: str) -> None:
        self.update, self.number, self.show = update, number, show
        self.at = datetime.now(timezone.utc).strftime("%H:%M:%S UTC")

    @property
    def heading(self) -> str:
        return "update %d at %s" % (self.number, self.at)

    def __repr__(self) -> str:
        body = repr(self.update.result) if self.update.ok else "poll failed: %s" % self.update.error
        return "%s: %s" % (self.heading, body)

    def _repr_html_(self) -> Optional[str]:
        if self.show == "plot" and self.update.ok and isinstance(self.update.result, RadarResult):
            return None  # the chart (_repr_png_)
        heading = "<div><b>%s</b></div>" % html.escape(self.heading)
        if not self.update.ok:
            return heading + "<pre>poll failed: %s</pre>" % html.escape(str(self.update.error))
        result = self.update.result
        if isinstance(result, CsvResult):
            return heading + "<pre>%s</pre>" % html.escape(result.csv[-2000:])
        assert isinstance(result, RadarResult)
        latest = []
        for series in result.series.values():
            if series.timestamps:
                values = ", ".join("%s %g" % (group, values[-1]) for group, values in series.groups.items() if values)
                latest.append("%s, %s: %s" % (series.name, series.timestamps[-1].strftime("%Y-%m-%d %H:%M"), values))
        newest = "".join("<div>newest %s</div>" % html.escape(line) for line in latest)
        return heading + _display.result_html(result) + newest

    def _repr_png_(self) -> Optional[bytes]:
        if self.show != "plot" or not self.update.ok or not isinstance(self.update.result, RadarResult):
            return None
        plt = _display.pyplot()
        ax = self.update.result.plot(title=self.heading)
        buffer = io.BytesIO()
        ax.figure.savefig(buffer, format="png", dpi=80)
        plt.close(ax.figure)
        return buffer.getvalue()


def _check(show: str) -> None:
    if show not in ("table", "plot"):
        raise ValueError("show must be 'table' or 'plot', not %r" % (show,))


def watch(subscription: Iterable[Update], show: str = "table", updates: Optional[int] = None) -> int:
    """Shows a subscription's updates in one output of the cell, each replacing the last: a
    table (``show="table"``) or a chart (``"plot"``, needs matplotlib). Blocks the cell until
    ``updates`` updates have been shown (None: until the subscription ends, or the notebook's
    interrupt), then closes the subscription. Returns how many updates were shown."""
    _check(show)
    output = _Output()
    shown = 0
    try:
        for update in subscription:
            shown += 1
            output.show(_UpdateView(update, shown, show))
            if updates is not None and shown >= updates:
                break
    except KeyboardInterrupt:  # the notebook's stop button ends watching, not the kernel
        pass
    finally:
        _close(subscription)
    return shown


async def watch_async(subscription: AsyncIterable[Update], show: str = "table", updates: Optional[int] = None) -> int:
    """:func:`watch` for an :class:`AsyncSubscription`; run it as a task to keep the notebook
    free (``asyncio.ensure_future(watch_async(updates))``: JupyterLab updates the output)."""
    _check(show)
    output = _Output()
    shown = 0
    try:
        async for update in subscription:
            shown += 1
            output.show(_UpdateView(update, shown, show))
            if updates is not None and shown >= updates:
                break
    finally:
        aclose = getattr(subscription, "aclose", None)
        if aclose is not None:
            await aclose()
    return shown


def _close(subscription: Union[Iterable[Update], Any]) -> None:
    close = getattr(subscription, "close", None)
    if close is not None:
        close()
