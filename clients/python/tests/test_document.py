"""The wrappers against protocol/openrpc.json: every Radar method has one (sync and async), every
documented parameter is accepted and sent under its wire name, the generated file is current,
and every error code of the document maps to its exception class (pitfall: a wrong code table)."""

from __future__ import annotations

import asyncio
import importlib.util
import inspect
from typing import Any, Dict, List

import pytest

import radar_rpc
from radar_rpc import errors
from radar_rpc._methods import RADAR_METHODS, AsyncRadarMethods, RadarMethods
from support import PYTHON_CLIENT

TOKENS = {"workDoneToken": "on_progress", "partialResultToken": "on_partial"}


def load_generator() -> Any:
    spec = importlib.util.spec_from_file_location("generate_methods", PYTHON_CLIENT / "scripts" / "generate_methods.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def radar_methods(document: Dict[str, Any]) -> List[Dict[str, Any]]:
    return [m for m in document["methods"] if "x-radar-path" in m]


def param_names(document: Dict[str, Any], method: Dict[str, Any]) -> List[str]:
    names = []
    for param in method["params"]:
        if "$ref" in param:
            param = document["components"]["contentDescriptors"][param["$ref"].rsplit("/", 1)[-1]]
        names.append(param["name"])
    return names


def test_generated_file_is_current(document: Dict[str, Any]) -> None:
    generator = load_generator()
    current = (PYTHON_CLIENT / "src" / "radar_rpc" / "_methods.py").read_text(encoding="utf-8")
    assert generator.render(document) == current, "run: python3 clients/python/scripts/generate_methods.py"


def test_every_radar_method_has_a_wrapper_and_no_wrapper_is_stale(document: Dict[str, Any]) -> None:
    generator = load_generator()
    expected = {generator.python_method_name(m["name"]): m["name"] for m in radar_methods(document)}
    assert len(expected) == len(radar_methods(document))  # no two methods share a Python name
    assert {"ct_timeseries_groups", "leaked_credential_checks_timeseries_groups", "netflows_timeseries_groups"} <= set(
        expected
    )
    assert {name: wire for name, (wire, _) in RADAR_METHODS.items()} == expected
    for mixin in (RadarMethods, AsyncRadarMethods):
        assert {n for n in vars(mixin) if not n.startswith("_")} == set(expected)
    for name in expected:
        assert inspect.iscoroutinefunction(getattr(radar_rpc.AsyncRadarClient, name))
        assert not inspect.iscoroutinefunction(getattr(radar_rpc.RadarClient, name))


class Recorder(RadarMethods):
    def _radar_call(self, method: str, named: Dict[str, Any], extra: Dict[str, Any], **options: Any) -> Any:
        self.sent = (method, named, extra, options)
        return None


class AsyncRecorder(AsyncRadarMethods):
    async def _radar_call(self, method: str, named: Dict[str, Any], extra: Dict[str, Any], **options: Any) -> Any:
        self.sent = (method, named, extra, options)
        return None


@pytest.mark.parametrize("recorder_class", [Recorder, AsyncRecorder])
def test_every_documented_parameter_is_accepted_under_its_wire_name(
    document: Dict[str, Any], recorder_class: Any
) -> None:
    generator = load_generator()
    for method in radar_methods(document):
        names = param_names(document, method)
        python_name = generator.python_method_name(method["name"])
        wrapper = getattr(recorder_class(), python_name)
        signature = inspect.signature(wrapper)
        assert list(signature.parameters)[0] == "dimension"
        assert signature.parameters["dimension"].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
        values = {generator.snake(n): "value-of-%s" % n for n in names if n not in TOKENS and n != "dimension"}
        for option in TOKENS.values():
            assert option in signature.parameters  # tokens are driven by the callbacks
        recorder = recorder_class()
        call = getattr(recorder, python_name)("DIM", **values, timeout=1.5)
        if asyncio.iscoroutine(call):
            asyncio.run(call)
        sent_method, named, extra, options = recorder.sent
        assert sent_method == method["name"]
        assert named == {n: ("DIM" if n == "dimension" else "value-of-%s" % n) for n in names if n not in TOKENS}
        assert extra == {} and options["timeout"] == 1.5


def test_wire_names_are_accepted_as_keyword_arguments_and_misspellings_are_type_errors() -> None:
    recorder = Recorder()
    recorder.netflows_timeseries_groups("AS", aggInterval="1h", date_range="7d")
    assert recorder.sent[2] == {"aggInterval": "1h"}
    from radar_rpc._params import build_params

    table = RADAR_METHODS["netflows_timeseries_groups"][1]
    assert build_params("m", {"dateRange": "7d", "aggInterval": None}, table, {"aggInterval": "1h"}) == {
        "dateRange": "7d",
        "aggInterval": "1h",
    }
    with pytest.raises(TypeError, match="did you mean 'agg_interval'"):
        build_params("m", {}, table, {"agg_intervl": "1h"})
    with pytest.raises(TypeError, match="twice"):
        build_params("m", {"dateRange": "7d"}, table, {"dateRange": "1d"})


def test_error_codes_match_the_document(document: Dict[str, Any]) -> None:
    classes = {
        "ParseError": errors.ParseError,
        "InvalidRequest": errors.InvalidRequest,
        "MethodNotFound": errors.MethodNotFound,
        "InvalidParams": errors.InvalidParams,
        "InternalError": errors.InternalError,
        "RequestCancelled": errors.Cancelled,
        "UpstreamError": errors.UpstreamError,
        "RateLimited": errors.RateLimited,
        "UpstreamUnavailable": errors.Unavailable,
        "Unauthorized": errors.AuthError,
    }
    documented = document["components"]["errors"]
    assert set(documented) == set(classes), "a new error in the document needs an exception class"
    for name, error in documented.items():
        instance = errors.error_from_object(error)
        assert type(instance) is classes[name] and classes[name].CODE == error["code"]
        assert instance.code == error["code"] and instance.data == error.get("data")
        assert str(instance).startswith("[%d] %s" % (error["code"], error["message"]))
    # Codes the server uses beyond the document's table (contract prose / server sources).
    assert errors.error_from_object({"code": -32802, "message": "x"}).__class__ is errors.ServerCancelled
    assert errors.error_from_object({"code": -32006, "message": "x", "data": {"limit": 1}}).limit == 1
    unknown = errors.error_from_object({"code": -32099, "message": "new"})
    assert type(unknown) is errors.RadarError and unknown.code == -32099


def test_document_error_examples_read_into_attributes(document: Dict[str, Any]) -> None:
    e = document["components"]["errors"]
    invalid = errors.error_from_object(e["InvalidParams"])
    assert isinstance(invalid, errors.InvalidParams)
    assert invalid.errors[0] == errors.Violation("/format", invalid.errors[0].message, "CSV")
    assert "\n  /dateRange/1: must be <n>d" in str(invalid)
    upstream = errors.error_from_object(e["UpstreamError"])
    assert isinstance(upstream, errors.UpstreamError)
    assert upstream.http_status == 400 and upstream.cloudflare_errors == [
        {"code": 2001, "message": "Input Validation Error"}
    ]
    assert (
        str(upstream)
        == "[-32001] Cloudflare answered with an error: HTTP 400; Cloudflare error 2001: Input Validation Error"
    )
    limited = errors.error_from_object(e["RateLimited"])
    assert isinstance(limited, errors.RateLimited) and limited.retry_after == 30.0
    assert str(limited).endswith("HTTP 429; retry after 30s")
    missing = errors.error_from_object(e["MethodNotFound"])
    assert isinstance(missing, errors.MethodNotFound)
    assert missing.did_you_mean == ["radar.ct.timeseriesGroups"] and "did you mean 'radar.ct.timeseriesGroups'?" in str(
        missing
    )
    unavailable = errors.error_from_object(e["UpstreamUnavailable"])
    assert isinstance(unavailable, errors.Unavailable) and unavailable.reason == "timed out after 30 s"
    auth = errors.error_from_object(e["Unauthorized"])
    assert isinstance(auth, errors.AuthError) and auth.http_status == 403


def test_errors_survive_pickling() -> None:
    import pickle

    original = errors.error_from_object(
        {"code": -32003, "message": "Rate limited", "data": {"httpStatus": 429, "retryAfterSeconds": 2}}
    )
    copy = pickle.loads(pickle.dumps(original))
    assert type(copy) is errors.RateLimited and copy.retry_after == 2.0 and str(copy) == str(original)
    timeout = pickle.loads(pickle.dumps(errors.RequestTimeout.after("m", 1.5, True)))
    assert isinstance(timeout, TimeoutError) and timeout.acknowledged and timeout.timeout == 1.5
