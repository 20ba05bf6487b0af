"""Every error class, provoked for real: bad params and unknown methods on the demo server,
Cloudflare's faults through the fake upstream (429, 403, 500, success false, garbage), no
token, the subscription limit, requests after shutdown, and the server's drain deadline."""

from __future__ import annotations

import asyncio
from typing import Any, Dict

import pytest

import radar_rpc
from radar_rpc import RadarClient
from support import FAST, FakeCloudflare, wait_until


def test_invalid_params_lists_every_violation(demo: RadarClient) -> None:
    with pytest.raises(radar_rpc.InvalidParams) as caught:
        demo.netflows_timeseries_groups(
            "locaton", agg_interval="2h", format="cvs", date_range=["7d", "8x"], loction="US", limit_per_group=1
        )
    error = caught.value
    assert error.code == -32602
    by_path = {v.path: v for v in error.errors}
    assert set(by_path) == {"/dimension", "/aggInterval", "/format", "/dateRange/1", "/loction", "/limitPerGroup"}
    assert by_path["/dimension"].did_you_mean == "LOCATION" and by_path["/loction"].did_you_mean == "location"
    assert by_path["/limitPerGroup"].did_you_mean is None
    text = str(error)
    assert text.startswith("[-32602] Invalid params") and all("\n  %s: " % p in text for p in by_path)


def test_unknown_method_suggests_the_right_one(demo: RadarClient) -> None:
    with pytest.raises(radar_rpc.MethodNotFound) as caught:
        demo.call("radar.ct.timeseriesGroup", {"dimension": "CA"})
    assert caught.value.did_you_mean == ["radar.ct.timeseriesGroups"]
    assert caught.value.method == "radar.ct.timeseriesGroup"
    assert "radar.ct.timeseriesGroups" in str(caught.value)


def test_a_request_after_shutdown_is_an_invalid_request(demo: RadarClient) -> None:
    assert demo.call("shutdown") is None
    with pytest.raises(radar_rpc.InvalidRequest) as caught:
        demo.stats()
    assert caught.value.code == -32600


def expect(client: RadarClient, upstream: FakeCloudflare, fault: Dict[str, Any], error_class: Any) -> Any:
    upstream.script(fault)
    with pytest.raises(error_class) as caught:
        client.ct_timeseries_groups("CA", date_range="1d")
    assert type(caught.value) is error_class
    assert client.ct_timeseries_groups("CA", date_range="2d").series  # the next call goes through
    return caught.value


def test_rate_limited_carries_retry_after(live: RadarClient, upstream: FakeCloudflare) -> None:
    error = expect(live, upstream, {"kind": "status", "status": 429, "retryAfter": "7"}, radar_rpc.RateLimited)
    assert error.code == -32003 and error.http_status == 429 and error.retry_after == 7.0
    assert "retry after" in str(error).lower()


def test_forbidden_is_an_auth_error(live: RadarClient, upstream: FakeCloudflare) -> None:
    error = expect(live, upstream, {"kind": "status", "status": 403}, radar_rpc.AuthError)
    assert error.code == -32005 and error.http_status == 403
    assert error.cloudflare_errors == [{"code": 10000, "message": "Authentication error"}]


def test_server_error_and_success_false_are_upstream_errors(live: RadarClient, upstream: FakeCloudflare) -> None:
    error = expect(live, upstream, {"kind": "status", "status": 500}, radar_rpc.UpstreamError)
    assert error.code == -32001 and error.http_status == 500 and error.cloudflare_errors[0]["code"] == 2000
    errors = [{"code": 2001, "message": "Input Validation Error"}]
    error = expect(live, upstream, {"kind": "success_false", "errors": errors}, radar_rpc.UpstreamError)
    assert error.http_status == 200 and error.cloudflare_errors == errors
    assert str(error).count("Input Validation Error") == 1 and "Cloudflare error 2001" in str(error)


def test_garbage_is_unavailable(live: RadarClient, upstream: FakeCloudflare) -> None:
    error = expect(live, upstream, {"kind": "garbage"}, radar_rpc.Unavailable)
    assert error.code == -32004 and error.reason and "JSON" in error.reason


def test_no_token_is_an_auth_error_that_says_what_to_do(radar_bin: str, upstream: FakeCloudflare) -> None:
    env = {"CLOUDFLARE_API_TOKEN": None, "CLOUDFLARE_EMAIL": None, "CLOUDFLARE_API_KEY": None}
    with RadarClient(radar_bin, base_url=upstream.base_url, env=env, args=FAST, log_level="error") as client:
        with pytest.raises(radar_rpc.AuthError) as caught:
            client.netflows_timeseries_groups("PRODUCT", date_range="1d")
        assert "CLOUDFLARE_API_TOKEN" in str(caught.value) and "--demo" in str(caught.value)
        assert upstream.control("counters")["total"] == 0  # refused before any traffic


def test_credentials_in_the_environment_are_passed_through(
    radar_bin: str, upstream: FakeCloudflare, monkeypatch: pytest.MonkeyPatch
) -> None:
    from support import TOKEN

    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", TOKEN)
    with RadarClient(radar_bin, base_url=upstream.base_url, args=FAST) as client:
        assert client.netflows_timeseries_groups("PRODUCT", date_range="1d").series
    assert upstream.control("requests")["requests"][-1]["headers"]["authorization"] == "Bearer " + TOKEN


def test_a_frame_that_is_not_json_is_answered_parse_error_and_logged(
    demo: RadarClient, caplog: pytest.LogCaptureFixture
) -> None:
    connection = demo._connection
    with connection._write_lock:  # what a broken client would send; ours cannot
        connection.process.stdin.write(b"Content-Length: 9\r\n\r\n{not json")
        connection.process.stdin.flush()
    assert demo.stats()["inFlight"] <= 1  # the stream is still in step
    wait_until(lambda: "[-32700]" in caplog.text)  # an answer without id: logged, as ParseError
    assert "radar-rpc reported an error without an id" in caplog.text


def test_api_token_given_to_the_client_goes_through_initialize(radar_bin: str, upstream: FakeCloudflare) -> None:
    from support import TOKEN

    env = {"CLOUDFLARE_API_TOKEN": None, "CLOUDFLARE_EMAIL": None, "CLOUDFLARE_API_KEY": None}
    with RadarClient(radar_bin, base_url=upstream.base_url, env=env, args=FAST, api_token=TOKEN) as client:
        assert client.server_info is not None and client.server_info["backend"] == "live"
        assert client.netflows_timeseries_groups("PRODUCT", date_range="1d").series
        assert TOKEN not in " ".join(client._connection.process.args)  # never on the command line


def test_subscription_limit(radar_bin: str) -> None:
    with RadarClient(radar_bin, demo=True, args=["--max-subscriptions", "1"]) as client:
        with client.subscribe("radar.ct.timeseriesGroups", {"dimension": "CA", "dateRange": "1d"}):
            with pytest.raises(radar_rpc.SubscriptionLimit) as caught:
                client.subscribe("radar.ct.timeseriesGroups", {"dimension": "CA", "dateRange": "2d"})
            assert caught.value.code == -32006 and caught.value.limit == 1
        assert client.subscribe("ct_timeseries_groups", dimension="CA", date_range="2d").id  # room again


def test_requests_left_at_the_drain_deadline_are_server_cancelled(radar_bin: str) -> None:
    with RadarClient(radar_bin, demo=True, args=["--demo-latency", "5000", "--drain-timeout", "0.2"]) as client:
        future = client.submit("radar.netflows.timeseriesGroups", {"dimension": "AS", "dateRange": "1d"})
        connection = client._connection
        with connection._write_lock:  # end of input, as a script piping requests in would do
            connection.process.stdin.close()
        with pytest.raises(radar_rpc.ServerCancelled) as caught:
            future.result(3)
        assert caught.value.code == -32802 and isinstance(caught.value, radar_rpc.Cancelled)
        assert connection.process.wait(3) == 0


def test_an_upstream_error_does_not_repeat_what_the_message_quotes() -> None:
    # The demo backend's refusal (its message says the demo answered; no request left the machine).
    error = radar_rpc.UpstreamError(
        "The demo backend answered as Cloudflare would, with HTTP 400: name 'a' labels more than one series",
        None,
        {"httpStatus": 400, "errors": [{"code": 2001, "message": "name 'a' labels more than one series"}]},
    )
    assert (
        str(error)
        == "[-32001] The demo backend answered as Cloudflare would, with HTTP 400: name 'a' labels more than one series: Cloudflare error 2001"
    )
    other = radar_rpc.UpstreamError("Cloudflare answered HTTP 400", None, {"httpStatus": 400, "errors": [{"code": 7, "message": "x"}]})
    assert str(other) == "[-32001] Cloudflare answered HTTP 400: Cloudflare error 7: x"


@pytest.mark.parametrize("timeout", [-1, 0, float("nan"), float("inf"), True, "3"])
def test_a_timeout_that_is_no_duration_is_refused(demo: RadarClient, timeout: Any) -> None:
    with pytest.raises((ValueError, TypeError), match="timeout"):
        demo.stats(timeout=timeout)
    with pytest.raises((ValueError, TypeError), match="timeout"):
        RadarClient(demo=True, timeout=timeout)


@pytest.mark.parametrize(
    "params, raised",
    [({"limit_per_group": float("nan")}, ValueError), ({"location": {"US"}}, TypeError)],
)
def test_params_json_cannot_carry_fail_before_sending_and_leave_nothing_pending(
    demo: RadarClient, params: Dict[str, Any], raised: type
) -> None:
    with pytest.raises(raised, match="radar-rpc params must be JSON"):
        demo.netflows_timeseries_groups("AS", date_range="1d", **params)
    assert demo._connection.router._calls == {}
    assert isinstance(demo.stats(), dict)  # the connection goes on


def test_a_lone_surrogate_is_sent_escaped_for_the_server_to_judge(demo: RadarClient) -> None:
    with pytest.raises(radar_rpc.InvalidParams) as caught:
        demo.netflows_timeseries_groups("AS", date_range="1d", name="\ud800")
    assert [v.path for v in caught.value.errors] == ["/name"]


def test_the_async_client_leaves_nothing_pending_after_unencodable_params(radar_bin: str) -> None:
    async def run() -> None:
        async with radar_rpc.AsyncRadarClient(radar_bin, demo=True) as client:
            with pytest.raises(ValueError):
                await client.netflows_timeseries_groups("AS", date_range="1d", limit_per_group=float("inf"))
            assert client._connection is not None and client._connection.router._calls == {}

    asyncio.run(run())
