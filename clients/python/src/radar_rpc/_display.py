"""How results look: compact text reprs, small HTML tables for Jupyter (``_repr_html_``), and
charts with matplotlib (imported only when a chart is asked for).

A repr says a result's shape (series, groups, points, dates, units), never its values: a week of
hourly data would otherwise print kilobytes of ``datetime(...)``. ``.raw`` and ``to_dataframe()``
have the values.
"""

from __future__ import annotations

import html
import importlib
from datetime import datetime
from typing import TYPE_CHECKING, Any, List, Mapping, Optional, Sequence

if TYPE_CHECKING:
    from .results import RadarResult, Series

__all__ = ["series_summary", "result_summary", "series_html", "result_html", "plot_series", "meta_label"]

GROUPS_SHOWN = 4
"""How many group names a text repr lists before "… (+N)"."""
SERIES_SHOWN = 8
"""How many series a result's text repr lists before "… (+N)"."""
NAME_CHARACTERS = 40
"""A series or group name longer than this is cut with "…" in reprs and tables."""


def short(name: str) -> str:
    """``name`` on one line and at most :data:`NAME_CHARACTERS` long: control characters written
    as escapes (a name is the caller's or Cloudflare's text, and a repr is one line)."""
    cut = name if len(name) <= NAME_CHARACTERS else name[: NAME_CHARACTERS - 1] + "…"
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in cut)


def _when(moment: datetime, timestamps: Sequence[datetime]) -> str:
    """A timestamp as its series' buckets need it: the date alone when every bucket starts at
    midnight (days, weeks), else the date and the time."""
    daily = all((t.hour, t.minute) == (0, 0) for t in timestamps)
    return moment.strftime("%Y-%m-%d" if daily else "%Y-%m-%d %H:%M")


def _span(timestamps: Sequence[datetime], points: int = 0) -> str:
    if not timestamps:
        return "%d value%s, no timestamps" % (points, "" if points == 1 else "s") if points else "no points"
    if len(timestamps) == 1:
        return "1 point, %s" % _when(timestamps[0], timestamps)
    return "%d points, %s → %s" % (len(timestamps), _when(timestamps[0], timestamps), _when(timestamps[-1], timestamps))


def _names(names: Sequence[str]) -> str:
    shown = ", ".join(short(name) for name in names[:GROUPS_SHOWN])
    more = len(names) - GROUPS_SHOWN
    return shown + (" … (+%d)" % more if more > 0 else "")


def meta_label(meta: Mapping[str, Any]) -> str:
    """``ONE_HOUR, PERCENTAGE, bytes``: the interval, the normalization and the units of ``meta``
    (Cloudflare's ``units``: ``[{"name", "value"}]``, name ``*`` for every series)."""
    parts = [str(meta[key]) for key in ("aggInterval", "normalization") if meta.get(key)]
    for unit in meta.get("units") or []:  # [{"name": "*", "value": "bytes"}]: the unit of every series
        if isinstance(unit, Mapping) and unit.get("value"):
            name = unit.get("name")
            parts.append(str(unit["value"]) if name in (None, "*") else "%s: %s" % (name, unit["value"]))
    return ", ".join(parts)


def series_summary(series: "Series") -> str:
    """``Series('serie_0', 168 points, 2026-11-23 11:00 → 2026-11-30 10:00, groups: HTTP, ALL)``."""
    return "Series(%r, %s, groups: %s)" % (
        short(series.name),
        _span(series.timestamps, series.points),
        _names(list(series.groups)) or "none",
    )


def result_summary(result: "RadarResult") -> str:
    """``RadarResult(serie_0: 168 points × 2 groups; ONE_HOUR, PERCENTAGE, bytes)``."""
    items = list(result.series.items())
    shapes = ", ".join(
        "%s: %d points × %d groups" % (short(name), s.points, len(s.groups)) for name, s in items[:SERIES_SHOWN]
    ) + (" … (+%d series)" % (len(items) - SERIES_SHOWN) if len(items) > SERIES_SHOWN else "")
    label = meta_label(result.meta)
    return "RadarResult(%s%s)" % (shapes or "no series", "; " + label if label else "")


_TABLE_STYLE = "border-collapse:collapse;font-size:0.9em"
_CELL = "padding:2px 8px;text-align:left"


def _table(caption: str, header: List[str], rows: List[List[str]]) -> str:
    head = "".join('<th style="%s">%s</th>' % (_CELL, html.escape(h)) for h in header)
    body = "".join("<tr>%s</tr>" % "".join('<td style="%s">%s</td>' % (_CELL, html.escape(c)) for c in row) for row in rows)
    return '<table style="%s"><caption style="text-align:left">%s</caption><thead><tr>%s</tr></thead><tbody>%s</tbody></table>' % (
        _TABLE_STYLE,
        html.escape(caption),
        head,
        body,
    )


_HEADER = ["series", "groups", "points", "from", "to"]


def _row(series: "Series") -> List[str]:
    stamps = series.timestamps
    return [
        short(series.name),
        _names(list(series.groups)),
        str(series.points),
        _when(stamps[0], stamps) if stamps else "",
        _when(stamps[-1], stamps) if stamps else "",
    ]


def series_html(series: "Series") -> str:
    """A one-row table: the series, its groups, how many points, the first and last timestamp."""
    return _table("Radar series (UTC)", _HEADER, [_row(series)])


def result_html(result: "RadarResult") -> str:
    """One row per series, captioned with the interval, the normalization and the units of ``meta``."""
    label = meta_label(result.meta)
    return _table("Radar result (UTC)" + (": " + label if label else ""), _HEADER, [_row(s) for s in result.series.values()])


def pyplot() -> Any:
    """``matplotlib.pyplot``, or an ImportError that says what to install."""
    try:
        return importlib.import_module("matplotlib.pyplot")
    except ImportError as error:
        raise ImportError(
            "plot() needs matplotlib, which is not installed (pip install matplotlib, or "
            "pip install 'radar-rpc[notebook]'). The data is in .series and to_records() without it."
        ) from error


def plot_series(
    series: Sequence["Series"], meta: Optional[Mapping[str, Any]] = None, ax: Any = None, title: Optional[str] = None
) -> Any:
    """Draws each group of each series as a line over time on ``ax`` (a new figure's when None);
    returns the Axes. Labels are the group, prefixed by the series when there are several."""
    plt = pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 4))
    several = len(series) > 1
    for one in series:
        for group, values in one.groups.items():
            ax.plot(one.timestamps, values, label="%s: %s" % (one.name, group) if several else group)
    label = meta_label(meta or {})
    if label:
        ax.set_ylabel(label)
    ax.set_xlabel("UTC")
    if title is not None:
        ax.set_title(title)
    if any(one.groups for one in series):
        ax.legend(loc="best", fontsize="small")
    ax.figure.autofmt_xdate()
    return ax

