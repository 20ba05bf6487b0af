"""Results as data: RFC 3339 timestamps, float values, long-format records, CSV rows, and the
DataFrame (skipped without pandas; without it, a clear ImportError instead)."""

from __future__ import annotations

import sys
from datetime import datetime, timedelta, timezone
from typing import Any, Dict

import pytest

import radar_rpc
from radar_rpc import CsvResult, RadarResult, Update, parse_timestamp, result_from_json


@pytest.fixture
def example(document: Dict[str, Any]) -> Dict[str, Any]:
    """The result example of radar.ct.timeseriesGroups in protocol/openrpc.json."""
    method = next(m for m in document["methods"] if m["name"] == "radar.ct.timeseriesGroups")
    return method["examples"][0]["result"]["value"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026-01-01T00:00:00Z", datetime(2026, 1, 1, tzinfo=timezone.utc)),
        ("2026-01-01T00:00:00.5Z", datetime(2026, 1, 1, 0, 0, 0, 500000, tzinfo=timezone.utc)),
        ("2026-01-01T00:00:00.123456789Z", datetime(2026, 1, 1, 0, 0, 0, 123456, tzinfo=timezone.utc)),
        ("2026-01-01T02:00:00+02:00", datetime(2026, 1, 1, tzinfo=timezone.utc)),
        ("2026-01-01t00:00:00-05:30", datetime(2026, 1, 1, 5, 30, tzinfo=timezone.utc)),
    ],
)
def test_parse_timestamp(text: str, expected: datetime) -> None:
    parsed = parse_timestamp(text)
    assert parsed == expected and parsed.tzinfo is not None


@pytest.mark.parametrize("text", ["2026-01-01", "2026-01-01T00:00:00", "yesterday"])
def test_parse_timestamp_refuses_what_is_not_rfc3339(text: str) -> None:
    with pytest.raises(ValueError):
        parse_timestamp(text)


def test_series_and_records_from_the_documented_example(example: Dict[str, Any]) -> None:
    result = result_from_json(example)
    assert isinstance(result, RadarResult)
    assert result.meta["aggInterval"] == "ONE_DAY" and list(result.series) == ["serie_0"]
    series = result["serie_0"]
    assert series.timestamps == [datetime(2026, 1, 1, tzinfo=timezone.utc), datetime(2026, 1, 2, tzinfo=timezone.utc)]
    assert series.groups == {
        "Let's Encrypt": [61.5, 60.9],
        "Google Trust Services": [20.1, 20.4],
        "other": [18.4, 18.7],
    }
    records = result.to_records()
    assert len(records) == 6
    assert records[0] == {
        "series": "serie_0",
        "timestamp": series.timestamps[0],
        "group": "Let's Encrypt",
        "value": 61.5,
    }
    assert records[-1] == {"series": "serie_0", "timestamp": series.timestamps[1], "group": "other", "value": 18.7}
    assert repr(result) == "RadarResult(serie_0: 2 points × 3 groups; ONE_DAY, PERCENTAGE, bytes)"


def test_records_of_a_real_multi_series_result(demo: radar_rpc.RadarClient) -> None:
    result = demo.netflows_timeseries_groups(
        "PRODUCT", date_range=["2d", "2dcontrol"], name=["now", "before"], agg_interval="1d"
    )
    records = result.to_records()
    assert len(records) == 2 * 2 * 2  # series × timestamps × groups
    assert {r["series"] for r in records} == {"now", "before"} and {r["group"] for r in records} == {"HTTP", "ALL"}
    for r in records:
        assert (
            r["value"] == result[r["series"]].groups[r["group"]][result[r["series"]].timestamps.index(r["timestamp"])]
        )
    now = result["now"].timestamps[0]
    before = result["before"].timestamps[0]
    assert now - before == timedelta(days=7)  # a 2d window's control is one whole week back


def test_null_values_become_nan_and_unknown_members_stay_in_raw() -> None:
    result = RadarResult(
        {"meta": {}, "s": {"timestamps": ["2026-01-01T00:00:00Z"], "a": [None], "note": "x"}, "extra": 1}
    )
    value = result["s"].groups["a"][0]
    assert value != value  # NaN
    assert "note" not in result["s"].groups and result.raw["extra"] == 1 and result["s"].raw["note"] == "x"


def test_csv_result_rows() -> None:
    csv = CsvResult({"format": "CSV", "csv": "Serie_0 timestamps,Serie_0 A\n2026-01-01T00:00:00Z,12.5\n"})
    assert result_from_json(csv.raw).__class__ is CsvResult
    assert csv.rows() == [{"Serie_0 timestamps": "2026-01-01T00:00:00Z", "Serie_0 A": "12.5"}]


def test_update_unwrap() -> None:
    ok = Update("sub-1", result=RadarResult({"meta": {}}))
    assert ok.ok and ok.unwrap() is ok.result
    failed = Update("sub-1", error=radar_rpc.Unavailable("Cloudflare is unreachable", None, {"reason": "timed out"}))
    assert not failed.ok
    with pytest.raises(radar_rpc.Unavailable, match="timed out"):
        failed.unwrap()


def test_to_dataframe(example: Dict[str, Any]) -> None:
    pandas = pytest.importorskip("pandas")
    frame = result_from_json(example).to_dataframe()
    assert list(frame.columns) == ["series", "timestamp", "group", "value"] and len(frame) == 6
    assert str(frame["timestamp"].dt.tz) == "UTC" and frame["value"].dtype.kind == "f"
    assert isinstance(frame, pandas.DataFrame)


def test_to_dataframe_without_pandas_says_what_to_do(example: Dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # makes `import pandas` fail, installed or not
    with pytest.raises(ImportError, match=r"pip install pandas.*to_records\(\)"):
        result_from_json(example).to_dataframe()
    with pytest.raises(ImportError, match="pip install pandas"):
        CsvResult({"format": "CSV", "csv": "a\n1\n"}).to_dataframe()


def test_reprs_say_the_shape_not_the_values(demo: radar_rpc.RadarClient) -> None:
    result = demo.netflows_timeseries_groups("AS", date_range="7d", limit_per_group=6)
    series = result["serie_0"]
    groups = list(series.groups)
    assert len(series.timestamps) == 168 and len(groups) == 7
    first, last = series.timestamps[0].strftime("%Y-%m-%d %H:%M"), series.timestamps[-1].strftime("%Y-%m-%d %H:%M")
    assert repr(series) == "Series('serie_0', 168 points, %s → %s, groups: %s … (+3))" % (first, last, ", ".join(groups[:4]))
    assert repr(result) == "RadarResult(serie_0: 168 points × 7 groups; ONE_HOUR, PERCENTAGE, bytes)"
    assert len(repr(Update("sub-1", result=result))) < 200  # a subscription loop prints a line, not kilobytes
    table = result._repr_html_()
    assert table.startswith("<table") and "ONE_HOUR, PERCENTAGE, bytes" in table
    assert all(cell in table for cell in ("serie_0", ">168<", first, last, groups[0]))
    assert "<td" in series._repr_html_() and "&lt;" not in table
    escaped = RadarResult({"meta": {}, "<b>": {"timestamps": [], "<i>": []}})._repr_html_()
    assert "<b>" not in escaped and "<i>" not in escaped and "&lt;b&gt;" in escaped and "&lt;i&gt;" in escaped


def test_wide_and_long_dataframes_carry_meta(demo: radar_rpc.RadarClient) -> None:
    pandas = pytest.importorskip("pandas")
    result = demo.netflows_timeseries_groups("AS", date_range="7d", limit_per_group=3)
    wide = result.to_dataframe(wide=True)
    series = result["serie_0"]
    assert list(wide.columns) == list(series.groups) and wide.columns.name == "group"  # Radar's order kept
    assert isinstance(wide.index, pandas.DatetimeIndex) and str(wide.index.tz) == "UTC"
    assert wide.index.name == "timestamp" and list(wide.index.to_pydatetime()) == series.timestamps
    group = list(series.groups)[0]
    assert wide[group].tolist() == series.groups[group]
    assert wide.attrs["meta"] == result.meta and wide.attrs["meta"]["units"] == [{"name": "*", "value": "bytes"}]
    long = result.to_dataframe()
    assert long.attrs["meta"] == result.meta and len(long) == wide.size
    two = demo.netflows_timeseries_groups("PRODUCT", date_range=["7d", "7dcontrol"], name=["now", "before"])
    frame = two.to_dataframe(wide=True)
    assert list(frame.columns.names) == ["series", "group"]
    assert set(frame.columns) == {("now", "HTTP"), ("now", "ALL"), ("before", "HTTP"), ("before", "ALL")}
    assert frame["before"].dropna().index.tolist() == [pandas.Timestamp(t) for t in two["before"].timestamps]


def test_plot_draws_every_group_and_saves_a_png(demo: radar_rpc.RadarClient, tmp_path: Any) -> None:
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    result = demo.netflows_timeseries_groups("PRODUCT", date_range=["7d", "7dcontrol"], name=["now", "before"])
    ax = result.plot()
    assert [line.get_label() for line in ax.get_lines()] == ["now: HTTP", "now: ALL", "before: HTTP", "before: ALL"]
    assert ax.get_ylabel() == "ONE_HOUR, PERCENTAGE, bytes"
    path = tmp_path / "chart.png"
    ax.figure.savefig(path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    one = result["now"].plot()
    assert [line.get_label() for line in one.get_lines()] == ["HTTP", "ALL"] and one.get_title() == "now"
    matplotlib.pyplot.close("all")


def test_plot_without_matplotlib_says_what_to_install(example: Dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r"plot\(\) needs matplotlib.*pip install matplotlib"):
        result_from_json(example).plot()


def test_a_series_without_timestamps_keeps_its_values() -> None:
    """Contract §5: a series need not hold timestamps (one of Cloudflare's CT shapes: a value per
    group for the whole range). Its values stay in rows and frames, with no timestamp."""
    result = result_from_json(
        {"meta": {"units": [{"name": "*", "value": "certificates"}]}, "serie_0": {"Let's Encrypt": ["60.5"], "other": ["39.5"]}}
    )
    assert isinstance(result, RadarResult)
    series = result["serie_0"]
    assert series.timestamps == [] and series.points == 1
    assert series.groups == {"Let's Encrypt": [60.5], "other": [39.5]}
    assert result.to_records() == [
        {"series": "serie_0", "timestamp": None, "group": "Let's Encrypt", "value": 60.5},
        {"series": "serie_0", "timestamp": None, "group": "other", "value": 39.5},
    ]
    assert repr(result) == "RadarResult(serie_0: 1 points × 2 groups; certificates)"
    assert "1 value, no timestamps" in repr(series)
    pandas = pytest.importorskip("pandas")
    frame = result.to_dataframe(wide=True)
    assert list(frame.columns) == ["Let's Encrypt", "other"] and frame.iloc[0].tolist() == [60.5, 39.5]
    assert pandas.isna(frame.index[0])


def test_reprs_stay_one_short_line_whatever_the_names() -> None:
    """A name is the caller's (``name``) or Cloudflare's text: reprs cut it and escape control characters."""
    stamps = ["2026-01-01T00:00:00Z"]
    raw: Dict[str, Any] = {"meta": {}, "x" * 100_000: {"timestamps": stamps, "a\nb": ["1"]}}
    raw.update({"s%d" % i: {"timestamps": stamps, "g": ["1"]} for i in range(40)})
    result = result_from_json(raw)
    for text in (repr(result), repr(result[next(iter(result.series))])):
        assert "\n" not in text and len(text) < 600, text
    assert "a\\nb" in repr(result[next(iter(result.series))]) and "(+33 series)" in repr(result)
