"""Params for the server from Python arguments: ``None`` means "not given" (the server reads an
explicit ``null`` as a value, and rejects it), dates become RFC 3339 text, tuples become lists,
and wire names given through ``**params`` are checked against the Python names of the same call.
"""

from __future__ import annotations

import difflib
import os
from datetime import date, datetime, timezone
from typing import Any, Dict, Mapping, Optional, Tuple

__all__ = ["build_params", "to_json_value", "radar_method", "subscription_params", "initialize_params"]


def to_json_value(value: Any) -> Any:
    """A JSON-ready copy: aware datetimes in UTC with ``Z``, dates as midnight UTC, sequences as lists."""
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("naive datetime %s: give it a tzinfo (radar-rpc needs an instant)" % value.isoformat())
        text = value.astimezone(timezone.utc).isoformat()
        return text[: -len("+00:00")] + "Z"
    if isinstance(value, date):
        return "%sT00:00:00Z" % value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): to_json_value(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [to_json_value(v) for v in value]
    return value


def build_params(
    method: str, named: Mapping[str, Any], wire_by_python: Mapping[str, str], extra: Mapping[str, Any]
) -> Dict[str, Any]:
    """Merges a wrapper's arguments (``named``: wire name → value) with its ``**params``.

    ``extra`` may use wire names (``aggInterval``), which are passed on; a name with an
    underscore is a misspelt Python name (wire names are camelCase) and raises TypeError.
    """
    params = {name: to_json_value(value) for name, value in named.items() if value is not None}
    wire_names = set(wire_by_python.values())
    for name, value in extra.items():
        if name in params:
            python_name = next((p for p, w in wire_by_python.items() if w == name), name)
            raise TypeError("%s() got %r twice (as %s and as %s)" % (method, name, python_name, name))
        if "_" in name and name not in wire_names:
            close = difflib.get_close_matches(name, list(wire_by_python), n=1)
            hint = "; did you mean %r?" % close[0] if close else ""
            raise TypeError("%s() got an unexpected keyword argument %r%s" % (method, name, hint))
        if value is not None:
            params[name] = to_json_value(value)
    return params


def radar_method(name: str) -> Tuple[str, Mapping[str, str]]:
    """(JSON-RPC name, Python → wire parameter names) of a Radar method given by either name."""
    from ._methods import RADAR_METHODS

    if name in RADAR_METHODS:
        return RADAR_METHODS[name]
    for wire, table in RADAR_METHODS.values():
        if wire == name:
            return wire, table
    return name, {}


def subscription_params(method: str, params: Any, kwargs: Mapping[str, Any], interval_seconds: int) -> Dict[str, Any]:
    """The params of ``radar.subscribe``: the method by its JSON-RPC or Python name, its params as a
    mapping of wire names and/or keyword arguments by Python or wire name."""
    wire_method, table = radar_method(method)
    named = {table.get(name, name): value for name, value in kwargs.items()}
    base = dict(params or {})
    for name in set(base) & set(named):
        raise TypeError("subscribe() got %r both in params and as a keyword argument" % name)
    base.update(named)
    inner = {name: to_json_value(value) for name, value in base.items() if value is not None}
    return {"method": wire_method, "params": inner, "intervalSeconds": interval_seconds}


def initialize_params(api_token: Optional[str]) -> Dict[str, Any]:
    """The params of ``initialize``: who we are, and the API token if one is given."""
    from ._version import __version__

    params: Dict[str, Any] = {
        "processId": os.getpid(),
        "clientInfo": {"name": "radar_rpc (Python)", "version": __version__},
        "capabilities": {},
    }
    if api_token is not None:
        params["initializationOptions"] = {"apiToken": api_token}
    return params
