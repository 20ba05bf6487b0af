#!/usr/bin/env python3
"""Generates ``src/radar_rpc/_methods.py``, the typed wrappers of every Radar method, from
``protocol/openrpc.json``.

Why generated rather than built at import: the wrappers are then ordinary source that IDEs,
type checkers and ``help()`` read (typed keyword parameters with the document's enums as
``Literal``\\s, docstrings from the document, an overload per ``format``), and the package
needs no copy of the document at run time. The tests regenerate the file and compare, and
check every wrapper against the document, so a new endpoint or parameter there fails the
suite until this script is run again:

    python3 clients/python/scripts/generate_methods.py          # rewrite the file
    python3 clients/python/scripts/generate_methods.py --check  # exit 1 if it is stale

A Radar method is one with ``x-radar-path``; its Python name is the method name without
``radar.``, in snake_case, dots as underscores (``radar.ct.timeseriesGroups`` →
``ct_timeseries_groups``); each parameter gets its name in snake_case (``aggInterval`` →
``agg_interval``). ``workDoneToken``/``partialResultToken`` become the ``on_progress`` and
``on_partial`` callbacks.
"""

from __future__ import annotations

import argparse
import json
import keyword
import re
import sys
import textwrap
from pathlib import Path
from typing import Any, Dict, List

HERE = Path(__file__).resolve().parent
DOCUMENT = HERE.parents[2] / "protocol" / "openrpc.json"
OUTPUT = HERE.parent / "src" / "radar_rpc" / "_methods.py"

TOKEN_CALLBACKS = {"workDoneToken": "on_progress", "partialResultToken": "on_partial"}
CALL_OPTIONS = ("timeout", "on_progress", "on_partial")


def snake(name: str) -> str:
    """``aggInterval`` → ``agg_interval``; a Python keyword gets a trailing underscore."""
    text = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()
    return text + "_" if keyword.iskeyword(text) else text


def python_method_name(method: str) -> str:
    """``radar.ct.timeseriesGroups`` → ``ct_timeseries_groups``."""
    parts = method.split(".")
    if parts[0] == "radar":
        parts = parts[1:]
    return "_".join(snake(part) for part in parts)


def radar_methods(document: Dict[str, Any]) -> List[Dict[str, Any]]:
    """The document's Radar methods (those with ``x-radar-path``), params resolved."""
    return [
        dict(method, params=[resolve(document, p) for p in method.get("params", [])])
        for method in document["methods"]
        if "x-radar-path" in method
    ]


def resolve(document: Dict[str, Any], node: Any) -> Any:
    """Follows ``$ref`` (``#/…``) at the top of ``node``."""
    while isinstance(node, dict) and "$ref" in node:
        target: Any = document
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def annotation(document: Dict[str, Any], schema: Any, aliases: Dict[str, str], ref: str = "") -> str:
    """A typing annotation for a JSON schema (``Any`` where the subset is not mapped)."""
    if isinstance(schema, dict) and "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name == "DateTime":
            return "DateTimeLike"
        if name == "ListFilter":
            return "ListFilter"
        return annotation(document, resolve(document, schema), aliases, name)
    if not isinstance(schema, dict):
        return "Any"
    if "enum" in schema:
        literal = "Literal[%s]" % ", ".join(json.dumps(v) for v in schema["enum"])
        if ref:
            aliases[ref] = literal
            return ref
        return literal
    options = schema.get("anyOf") or schema.get("oneOf")
    if options and len(options) == 2 and options[1].get("type") == "array" and options[1].get("items") == options[0]:
        return "PerSeries[%s]" % annotation(document, options[0], aliases)
    if options:
        union = "Union[%s]" % ", ".join(annotation(document, option, aliases) for option in options)
        if ref:
            aliases[ref] = union
            return ref
        return union
    kind = schema.get("type")
    if kind == "array":
        if resolve(document, schema.get("items", {})).get("type") == "object":
            return "Sequence[Mapping[str, Any]]"
        return "Sequence[%s]" % annotation(document, schema.get("items", {}), aliases)
    return {"string": "str", "integer": "int", "boolean": "bool", "number": "float", "object": "Mapping[str, Any]"}.get(
        kind if isinstance(kind, str) else "", "Any"
    )


def short_description(param: Dict[str, Any]) -> str:
    text = param.get("description", "").split(" radar-rpc:")[0].strip()
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)  # markdown links → their text
    if param.get("x-radar-series"):
        text += " Per series: one value, or a list (element i for series i)."
    return text


def render_method(document: Dict[str, Any], method: Dict[str, Any], aliases: Dict[str, str], is_async: bool) -> str:
    name = python_method_name(method["name"])
    params = [p for p in method["params"] if p["name"] not in TOKEN_CALLBACKS]
    dimension = next(p for p in params if p["name"] == "dimension")
    others = [p for p in params if p is not dimension]
    for p in others:
        assert snake(p["name"]) not in CALL_OPTIONS, "parameter %s collides with a call option" % p["name"]
    types = {p["name"]: annotation(document, p.get("schema"), aliases) for p in params}
    has_format = any(p["name"] == "format" for p in others)

    def signature(format_type: str, format_default: bool, returns: str, body: bool) -> str:
        lines = ["self", "dimension: %s" % types["dimension"], "*"]
        for p in others:
            if p["name"] == "format":
                lines.append("format: %s%s" % (format_type, " = None" if format_default else ""))
            else:
                lines.append("%s: Optional[%s] = None" % (snake(p["name"]), types[p["name"]]))
        lines += [
            "timeout: Optional[float] = None",
            "on_progress: Optional[ProgressCallback] = None",
            "on_partial: Optional[PartialCallback] = None",
            "**params: Any",
        ]
        head = "    %sdef %s(\n" % ("async " if is_async else "", name)
        head += "".join("        %s,\n" % line for line in lines)
        return head + "    ) -> %s:%s" % (returns, "" if body else " ...")

    out: List[str] = []
    if has_format:
        out += ["    @overload", signature('Literal["CSV"]', False, "CsvResult", False), ""]
        out += ["    @overload", signature('Optional[Literal["JSON"]]', True, "RadarResult", False), ""]
    out.append(signature("Optional[%s]" % types.get("format", "str"), True, "Result", True))
    doc = [method.get("summary", "").strip().rstrip(".") + ".", ""]
    doc += textwrap.wrap(method.get("description", ""), 96, break_on_hyphens=False) + [""]
    doc += textwrap.wrap(
        "JSON-RPC method ``%s``. Returns a :class:`RadarResult`, or a :class:`CsvResult` with ``format=\"CSV\"``."
        " Wire names (``aggInterval=...``) are accepted in ``**params`` too." % method["name"], 96)
    doc += ["", "Args:"]
    for p in params:
        doc += textwrap.wrap("%s: %s" % (snake(p["name"]) if p is not dimension else "dimension", short_description(p)),
                             96, initial_indent="    ", subsequent_indent="        ")
    doc += ["    timeout: seconds before the call is cancelled (``$/cancelRequest``) and RequestTimeout raised.",
            "    on_progress: called with each Progress (sends a workDoneToken).",
            "    on_partial: called with (name, Series) as each series arrives (sends a partialResultToken)."]
    out.append('        """%s\n        """' % "\n".join(("        " + line).rstrip() if line else "" for line in doc).lstrip())
    named = ", ".join('"%s": %s' % (p["name"], "dimension" if p is dimension else snake(p["name"])) for p in params)
    call = "self._radar_call(\n            %s,\n            {%s},\n            params,\n" % (json.dumps(method["name"]), named)
    call += "            timeout=timeout,\n            on_progress=on_progress,\n            on_partial=on_partial,\n        )"
    out.append("        return %s%s" % ("await " if is_async else "", call))
    return "\n".join(out)


def render(document: Dict[str, Any]) -> str:
    """The whole ``_methods.py`` for ``document``."""
    methods = radar_methods(document)
    aliases: Dict[str, str] = {}
    sync_bodies = [render_method(document, m, aliases, False) for m in methods]
    async_bodies = [render_method(document, m, aliases, True) for m in methods]
    table_lines = []
    for m in methods:
        wire = ", ".join('"%s": "%s"' % (snake(p["name"]), p["name"]) for p in m["params"] if p["name"] not in TOKEN_CALLBACKS)
        table_lines.append('    "%s": ("%s", {%s}),' % (python_method_name(m["name"]), m["name"], wire))
    alias_lines = ["%s = %s" % (k, v) for k, v in sorted(aliases.items())]
    radar_call = (
        "    def _radar_call(\n        self,\n        method: str,\n        named: Dict[str, Any],\n        extra: Dict[str, Any],\n"
        "        *,\n        timeout: Optional[float],\n        on_progress: Optional[ProgressCallback],\n"
        "        on_partial: Optional[PartialCallback],\n    ) -> Result:\n        raise NotImplementedError\n"
    )
    return HEADER.format(
        aliases="\n".join(alias_lines),
        table="\n".join(table_lines),
        sync_call=radar_call,
        async_call=radar_call.replace("    def _radar_call", "    async def _radar_call"),
        sync_methods="\n\n".join(sync_bodies),
        async_methods="\n\n".join(async_bodies),
    )


HEADER = '''"""The Radar methods of protocol/openrpc.json as typed methods (GENERATED, do not edit).

Regenerate with ``python3 clients/python/scripts/generate_methods.py`` after changing the document;
the tests fail while this file is stale.
"""

# fmt: off
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Dict, Literal, Mapping, Optional, Sequence, Tuple, TypeVar, Union, overload

from ._router import PartialCallback, ProgressCallback
from .results import CsvResult, RadarResult, Result

__all__ = ["RADAR_METHODS", "RadarMethods", "AsyncRadarMethods"]

_T = TypeVar("_T")
PerSeries = Union[_T, Sequence[_T]]
"""One value (one series) or a sequence (element i for series i)."""
ListFilter = Union[str, Sequence[str]]
"""A comma string (``"US,PT"``, ``-`` excludes) or a sequence of strings joined with commas."""
DateTimeLike = Union[str, datetime, date]
"""RFC 3339 text, an aware datetime, or a date (midnight UTC)."""

{aliases}

RADAR_METHODS: Dict[str, Tuple[str, Dict[str, str]]] = {{
{table}
}}
"""Python method name → (JSON-RPC method, Python parameter name → wire name)."""


class RadarMethods:
    """One method per Radar method of the document (mixed into RadarClient)."""

{sync_call}
{sync_methods}


class AsyncRadarMethods:
    """One coroutine method per Radar method of the document (mixed into AsyncRadarClient)."""

{async_call}
{async_methods}
'''


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is not current")
    parser.add_argument("--document", type=Path, default=DOCUMENT)
    options = parser.parse_args(argv)
    text = render(json.loads(options.document.read_text(encoding="utf-8")))
    if options.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print("%s is stale: run %s" % (OUTPUT, Path(__file__).name), file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
