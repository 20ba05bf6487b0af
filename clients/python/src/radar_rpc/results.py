"""Results as data people use: series with ``datetime`` timestamps and float values, long-format
records, a pandas DataFrame (long or wide) and a matplotlib chart when those are installed
(imported only when asked for), and compact reprs and HTML tables for notebooks (``_display``).

Cloudflare sends values as numeric strings and timestamps as RFC 3339 text; the raw JSON stays
available as ``.raw`` for anything these types do not cover.
"""

from __future__ import annotations

import csv
import importlib
import io
import math
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, Iterator, List, Mapping, Optional, Union

from . import _display
from .errors import RadarError

__all__ = [
    "Series",
    "RadarResult",
    "CsvResult",
    "Result",
    "Record",
    "Progress",
    "Update",
    "parse_timestamp",
    "result_from_json",
]

_RFC3339 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$"
)


def parse_timestamp(text: str) -> datetime:
    """An RFC 3339 date-time (``2026-01-01T00:00:00Z``, any fraction, any offset) as an aware datetime.

    Written by hand because ``datetime.fromisoformat`` reads ``Z`` only from Python 3.11 on.
    """
    match = _RFC3339.match(text)
    if not match:
        raise ValueError("not an RFC 3339 date-time: %r" % (text,))
    year, month, day, hour, minute, second = (int(match.group(i)) for i in range(1, 7))
    fraction = match.group(7) or ""
    micro = int((fraction + "000000")[:6]) if fraction else 0
    if match.group(8):
        tz = timezone.utc
    else:
        sign = -1 if match.group(9) == "-" else 1
        offset = timedelta(hours=int(match.group(10)), minutes=int(match.group(11)))
        tz = timezone.utc if not offset else timezone(sign * offset)
    return datetime(year, month, day, hour, minute, second, micro, tzinfo=tz)


def _number(value: Any) -> float:
    if value is None:
        return math.nan
    return float(value)


Record = Dict[str, Any]
"""One row of :meth:`RadarResult.to_records`: ``series``, ``timestamp``, ``group``, ``value``."""

RECORD_COLUMNS = ("series", "timestamp", "group", "value")


@dataclass(frozen=True, repr=False)
class Series:
    """One series of a result: ``timestamps`` and, per group key (in Radar's order: largest
    first, ``other`` last), a float per timestamp.

    A series may come without ``timestamps`` (one of Cloudflare's CT shapes, contract §5: one value
    per group for the whole date range): ``timestamps`` is then empty, ``points`` counts the
    values, and rows and frames carry ``None`` (pandas: ``NaT``) as their timestamp."""

    name: str
    timestamps: List[datetime]
    groups: Dict[str, List[float]]
    raw: Dict[str, Any] = field(compare=False)

    def __repr__(self) -> str:
        return _display.series_summary(self)

    def _repr_html_(self) -> str:
        return _display.series_html(self)

    @classmethod
    def from_json(cls, name: str, obj: Mapping[str, Any]) -> "Series":
        """Parses one series object as Cloudflare sends it (values as numeric strings)."""
        timestamps = [parse_timestamp(t) for t in obj.get("timestamps") or []]
        groups = {
            key: [_number(v) for v in values]
            for key, values in obj.items()
            if key != "timestamps" and isinstance(values, list)
        }
        return cls(name, timestamps, groups, dict(obj))

    @property
    def points(self) -> int:
        """How many points the series has: its timestamps, or without them its longest group."""
        if self.timestamps:
            return len(self.timestamps)
        return max((len(values) for values in self.groups.values()), default=0)

    def _stamps(self) -> List[Optional[datetime]]:
        return list(self.timestamps) if self.timestamps else [None] * self.points

    def records(self) -> Iterator[Record]:
        """Long-format rows, timestamp by timestamp (None without timestamps), groups in the
        order Cloudflare sent them."""
        for index, timestamp in enumerate(self._stamps()):
            for group, values in self.groups.items():
                if index < len(values):
                    yield {"series": self.name, "timestamp": timestamp, "group": group, "value": values[index]}

    def to_dataframe(self) -> Any:
        """Wide format, as charts want it: a row per timestamp (a UTC ``DatetimeIndex`` named
        ``timestamp``), a column per group in Radar's order. Needs pandas."""
        pandas = _pandas()
        stamps = self._stamps()
        columns = {
            group: values[: len(stamps)] + [math.nan] * (len(stamps) - len(values)) for group, values in self.groups.items()
        }
        if self.timestamps:
            index = pandas.DatetimeIndex(stamps, name="timestamp")
        else:  # no timestamps: NaT, typed like the others so frames of several series join
            index = pandas.DatetimeIndex(stamps, name="timestamp", tz="UTC")
        frame = pandas.DataFrame(columns, index=index, columns=list(columns))
        frame.columns.name = "group"
        return frame

    def plot(self, ax: Any = None, title: Optional[str] = None) -> Any:
        """A line per group over time (matplotlib, an ImportError naming it when missing); returns the Axes."""
        return _display.plot_series([self], None, ax, title if title is not None else self.name)


def _pandas() -> Any:
    try:
        return importlib.import_module("pandas")
    except ImportError as error:
        raise ImportError(
            "to_dataframe() needs pandas, which is not installed (pip install pandas, or "
            "pip install 'radar-rpc[notebook]'). "
            "radar_rpc itself needs only the standard library: to_records() gives the same rows as dicts."
        ) from error


class RadarResult:
    """A Radar result: ``meta`` as sent, and ``series`` by name (``serie_0`` … or the ``name`` given)."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.raw: Dict[str, Any] = dict(raw)
        meta = raw.get("meta")
        self.meta: Dict[str, Any] = dict(meta) if isinstance(meta, Mapping) else {}
        self.series: Dict[str, Series] = {
            name: Series.from_json(name, value)
            for name, value in raw.items()
            if name != "meta" and isinstance(value, Mapping) and any(isinstance(v, list) for v in value.values())
        }

    def __repr__(self) -> str:
        return _display.result_summary(self)

    def _repr_html_(self) -> str:
        return _display.result_html(self)

    def __getitem__(self, name: str) -> Series:
        return self.series[name]

    def to_records(self) -> List[Record]:
        """Long format, one dict per (series, timestamp, group): ``series``, ``timestamp``, ``group``, ``value``."""
        return [row for series in self.series.values() for row in series.records()]

    def to_dataframe(self, wide: bool = False) -> Any:
        """A pandas DataFrame (needs pandas) with ``meta`` in ``frame.attrs["meta"]``.

        Long format (default): the records, columns ``series, timestamp, group, value``.
        ``wide=True``: a row per timestamp (a UTC ``DatetimeIndex`` named ``timestamp``) and a
        column per group, as charts want it; with several series the columns are a MultiIndex
        ``(series, group)`` and the index the union of their timestamps (a control range's
        points fall on other timestamps: select one with ``frame["serie_1"]``).
        """
        pandas = _pandas()
        if wide:
            frames = [series.to_dataframe() for series in self.series.values()]
            if len(frames) == 1:
                frame = frames[0]
            elif frames:
                frame = pandas.concat(frames, axis=1, keys=list(self.series), names=["series", "group"], sort=True)
            else:
                frame = pandas.DataFrame(index=pandas.DatetimeIndex([], name="timestamp", tz="UTC"))
        else:
            frame = pandas.DataFrame.from_records(self.to_records(), columns=list(RECORD_COLUMNS))
        frame.attrs["meta"] = dict(self.meta)
        return frame

    def plot(self, ax: Any = None, title: Optional[str] = None) -> Any:
        """Every group of every series as a line over time, the y axis labelled with the interval,
        normalization and units of ``meta``. Needs matplotlib (an ImportError naming it
        otherwise); returns the matplotlib Axes (``ax.figure.savefig("chart.png")``)."""
        return _display.plot_series(list(self.series.values()), self.meta, ax, title)


class CsvResult:
    """A result asked for with ``format="CSV"``: Cloudflare's CSV body as ``csv``."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.raw: Dict[str, Any] = dict(raw)
        self.csv: str = str(raw.get("csv", ""))

    def __repr__(self) -> str:
        return "CsvResult(%d lines)" % self.csv.count("\n")

    def rows(self) -> List[Dict[str, str]]:
        """The CSV as dicts keyed by its header row."""
        return list(csv.DictReader(io.StringIO(self.csv)))

    def to_dataframe(self) -> Any:
        """The CSV read by pandas; needs pandas."""
        return _pandas().read_csv(io.StringIO(self.csv))


Result = Union[RadarResult, CsvResult]


def result_from_json(raw: Any) -> Result:
    """The typed result for a Radar method's raw JSON result."""
    if not isinstance(raw, Mapping):
        raise RadarError("expected a result object from radar-rpc, got %r" % (type(raw).__name__,))
    return CsvResult(raw) if raw.get("format") == "CSV" and "csv" in raw else RadarResult(raw)


@dataclass(frozen=True)
class Progress:
    """One work-done progress notification of a call (``kind`` is begin, report or end)."""

    kind: str
    title: Optional[str] = None
    message: Optional[str] = None
    percentage: Optional[int] = None
    cancellable: Optional[bool] = None

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> "Progress":
        """Reads an LSP ``WorkDoneProgress`` value."""
        return cls(
            str(value.get("kind", "")),
            value.get("title"),
            value.get("message"),
            value.get("percentage"),
            value.get("cancellable"),
        )


@dataclass(frozen=True)
class Update:
    """One ``radar/update`` of a subscription: a new ``result``, or the ``error`` of a failed poll."""

    subscription: str
    result: Optional[Result] = None
    error: Optional[RadarError] = None

    @property
    def ok(self) -> bool:
        """True when the poll brought a result."""
        return self.error is None

    def unwrap(self) -> Result:
        """The result, or the poll's error raised."""
        if self.error is not None:
            raise self.error
        assert self.result is not None
        return self.result
