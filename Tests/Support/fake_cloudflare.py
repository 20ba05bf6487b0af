#!/usr/bin/env python3
"""A local fake of the Cloudflare API's Radar `timeseries_groups` endpoints, for tests and benchmarks.

Usage:
    python3 Tests/Support/fake_cloudflare.py [--port 0] [--latency-ms N]
        [--token T | --email E --key K | --no-auth] [--ignore-stdin] [--verbose]

It binds 127.0.0.1 and prints exactly `PORT <n>` as its first line on stdout, then serves

    GET /client/v4/radar/<endpoint>/timeseries_groups/<dimension>?<query>

with Cloudflare's envelope (`{"success": true, "errors": [], "messages": [], "result": {...}}`),
or CSV when `format=CSV`. It is strict where the real API documents a request as invalid (unknown
parameters, bad enums or dates, an empty element of a typed array, `limitPerGroup` on a two-group
dimension, CT `tld` with log filters, series of unequal durations, `PERCENTAGE_CHANGE` without
exactly two series, a series named `meta`): HTTP 400 with Cloudflare's error shape,
`{"success": false, "errors": [{"code": 2001, "message": ...}], ...}`, so a test sees what Radar would
refuse (`strict_errors`). Series follow Radar's rules: element i of every array parameter
(a repeated query key) belongs to series i, keyed by `name[i]` or `serie_i`. Values are
deterministic for a (path, query, data version) and change when the data version is bumped.

Authentication is checked like Cloudflare's gateway: no credentials -> 400 code 9106; a
malformed Authorization header -> 400 code 6003; wrong credentials -> 403 code 10000. With
neither --token nor --email/--key, any non-empty credentials are accepted; --no-auth accepts
everything (useful for the "other host" of a redirect test, which records what arrived).

The control API (JSON, never counted as API traffic):
    POST /__control/script    {"path"?: "/radar/ct/timeseries_groups/CA", "responses": [FAULT, ...]}
    POST /__control/latency   {"ms": N}
    POST /__control/version   {} bumps the data version; {"version": N} sets it
    POST /__control/auth      {"token"?: T, "email"?: E, "key"?: K, "check"?: bool}
    POST /__control/release   answers every request a "hold" fault is holding
    POST /__control/reset     scripts, counters, latency, version and auth back to the start
    GET  /__control/counters  totals, per path and per path?query, concurrency, last request
    GET  /__control/requests  the last 256 API requests (method, path, query, headers, clientPort)

A FAULT is an object with a "kind" and options; every kind takes "times" (default 1, -1 for
every later request), "delayMs" (wait before acting) and "headers" (extra response headers; a
"Content-Length" or "Content-Type" among them replaces the fake's own, and a replaced
Content-Length closes the connection after the answer):
    {"kind": "ok"}                                   the normal answer
    {"kind": "status", "status": 503, "errors"?: [...], "retryAfter"?: "2" | "date:+2"}
    {"kind": "success_false", "status"?: 200, "errors"?: [...]}
    {"kind": "garbage", "status"?: 200, "body"?: "...", "contentType"?: "..."}
    {"kind": "truncated"}                            a Content-Length longer than the body sent
    {"kind": "reset"}                                TCP reset, no response
    {"kind": "close"}                                orderly close, no response
    {"kind": "hang", "ms"?: 60000}                   no response for ms, then close
    {"kind": "hold", "ms"?: 600000}                  the normal answer once /__control/release is
                                                     posted (or after ms): a call kept in flight
                                                     for as long as a test needs, without timing
    {"kind": "redirect", "status"?: 302, "location"?: URL, "port"?: N, "host"?: "127.0.0.1"}
    {"kind": "raw", "status": N, "contentType"?: "...", "body": "..."}
    {"kind": "flood", "bytes"?: N, "gzip"?: bool}  a 200 whose body (JSON's start, then spaces)
                                                     runs to N bytes (default 1 GiB), chunked with
                                                     no Content-Length, gzip-encoded when asked (a
                                                     "bomb": a few KB on the wire); it stops when
                                                     the client goes away
    {"kind": "reply", "status": N, "headers"?: {...}, "body"?: JSON or "...", "bodyText"?: "..."}
                                                     an entry of upstream-replies.json as it stands:
                                                     a JSON body as JSON, a string as text, no body
                                                     (or "a normal success body") the normal answer;
                                                     "bodyText" is sent byte for byte as JSON (for
                                                     numbers Python would not keep, such as 1e400)
"retryAfter" is sent as given; "date:+N" sends an HTTP-date N seconds from now.
In every string of a fault (messages, bodies, header values), `<THE TOKEN>` becomes the credential
the request carried (its Bearer token or X-Auth-Key) and `<THE EMAIL>` its X-Auth-Email, so a test
can make the fake echo credentials back the way an upstream that quotes request headers would.

The process exits when standard input reaches end of file (unless --ignore-stdin) or on
SIGTERM/SIGINT, so a test that dies leaves no server behind.
"""

import argparse
import email.utils
import io
import json
import os
import random
import signal
import socket
import struct
import sys
import threading
import time
import zlib
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

API_PREFIX = "/client/v4"
CONTROL_PREFIX = "/__control/"

# Endpoints we know, with their dimensions and plausible group keys per dimension.
# Unknown `.../timeseries_groups/<dimension>` endpoints are served too, with generic keys.
ENDPOINTS = {
    "/radar/ct/timeseries_groups": {
        "CA": ["Let's Encrypt", "Google Trust Services", "Sectigo", "DigiCert", "other"],
        "CA_OWNER": ["Internet Security Research Group", "Google Trust Services LLC", "Sectigo", "other"],
        "DURATION": ["lte_3d", "gt_3d_lte_16d", "gt_16d_lte_31d", "gt_31d_lte_91d", "gt_91d_lte_121d", "gt_121d"],
        "ENTRY_TYPE": ["CERTIFICATE", "PRECERTIFICATE"],
        "EXPIRATION_STATUS": ["EXPIRED", "VALID"],
        "HAS_IPS": ["NEGATIVE", "POSITIVE"],
        "HAS_WILDCARDS": ["NEGATIVE", "POSITIVE"],
        "LOG": ["Google 'Argon2025h2'", "Cloudflare 'Nimbus2025'", "Let's Encrypt 'Oak2025h2'", "other"],
        "LOG_API": ["rfc6962", "static"],
        "LOG_OPERATOR": ["Google", "Cloudflare", "Let's Encrypt", "Sectigo", "other"],
        "PUBLIC_KEY_ALGORITHM": ["DSA", "ECDSA", "RSA"],
        "SIGNATURE_ALGORITHM": ["ECDSA_SHA_256", "ECDSA_SHA_384", "RSA_SHA_256", "other"],
        "TLD": ["com", "net", "org", "de", "other"],
        "VALIDATION_LEVEL": ["domain", "extended", "organization", "unknown"],
    },
    "/radar/leaked_credential_checks/timeseries_groups": {
        "COMPROMISED": ["CLEAN", "COMPROMISED"],
        "BOT_CLASS": ["human", "bot"],
    },
    "/radar/netflows/timeseries_groups": {
        "ADM1": ["Lisbon", "Porto", "Braga", "Setubal", "other"],
        "AS": ["AS13335", "AS15169", "AS16509", "AS8075", "other"],
        "LOCATION": ["US", "DE", "GB", "PT", "BR", "other"],
        "PRODUCT": ["HTTP", "ALL"],
    },
}
GENERIC_KEYS = ["a", "b", "c", "other"]

# --- Strictness: what the real API documents as invalid -------------------------------------
#
# The query parameters of the three endpoints, with the types of Cloudflare's OpenAPI (wire names,
# enums): "string" (a free string filter or label), "enum:A|B" (closed set, matched in any case, as
# Radar does), "bool", "date" (RFC 3339 date-time), "range" (`<n>d`/`<n>w`, optional `control`,
# any case), "int>=2"; a trailing "[]" marks an array (repeated key, one element per series).
COMMON_PARAMS = {
    "aggInterval": "enum:15m|1h|1d|1w", "name": "string[]", "dateRange": "range[]", "dateStart": "date[]",
    "dateEnd": "date[]", "limitPerGroup": "int>=2", "format": "enum:JSON|CSV",
}
STRICT_PARAMS = {
    "/radar/ct/timeseries_groups": {
        **COMMON_PARAMS, "ca": "string[]", "caOwner": "string[]",
        "duration": "enum:LTE_3D|GT_3D_LTE_7D|GT_7D_LTE_10D|GT_10D_LTE_47D|GT_47D_LTE_100D|GT_100D_LTE_200D|GT_200D[]",
        "entryType": "enum:PRECERTIFICATE|CERTIFICATE[]", "expirationStatus": "enum:EXPIRED|VALID[]",
        "hasIps": "bool[]", "hasWildcards": "bool[]", "log": "string[]", "logApi": "enum:RFC6962|STATIC[]",
        "logOperator": "string[]", "publicKeyAlgorithm": "enum:DSA|ECDSA|RSA[]",
        "signatureAlgorithm": "enum:DSA_SHA_1|DSA_SHA_256|ECDSA_SHA_1|ECDSA_SHA_256|ECDSA_SHA_384|ECDSA_SHA_512|"
                              "PSS_SHA_256|PSS_SHA_384|PSS_SHA_512|RSA_MD2|RSA_MD5|RSA_SHA_1|RSA_SHA_256|"
                              "RSA_SHA_384|RSA_SHA_512[]",
        "validationLevel": "enum:DOMAIN|ORGANIZATION|EXTENDED[]", "tld": "string[]",
        "normalization": "enum:RAW_VALUES|PERCENTAGE", "uniqueEntries": "enum:true|false[]",
    },
    "/radar/leaked_credential_checks/timeseries_groups": {
        **COMMON_PARAMS, "asn": "string[]", "location": "string[]", "continent": "string[]",
        "botClass": "enum:LIKELY_AUTOMATED|LIKELY_HUMAN[]", "compromised": "enum:CLEAN|COMPROMISED[]",
        "checkResult": "enum:CLEAN|USERNAME_LEAKED|USERNAME_PASSWORD_SIMILAR|USERNAME_AND_PASSWORD_LEAKED|"
                       "PASSWORD_LEAKED[]",
        "normalization": "enum:PERCENTAGE_CHANGE|MIN0_MAX",
    },
    "/radar/netflows/timeseries_groups": {
        **COMMON_PARAMS, "asn": "string[]", "location": "string[]", "continent": "string[]", "geoId": "string[]",
        "normalization": "enum:PERCENTAGE|MIN0_MAX|PERCENTAGE_CHANGE", "product": "enum:HTTP|ALL[]",
    },
}
# Dimensions of two groups, where Radar rejects limitPerGroup ("only supported on high-cardinality dimensions").
TWO_GROUP_DIMENSIONS = {
    "/radar/ct/timeseries_groups": {"ENTRY_TYPE", "EXPIRATION_STATUS", "HAS_IPS", "HAS_WILDCARDS", "LOG_API"},
    "/radar/leaked_credential_checks/timeseries_groups": {"COMPROMISED", "BOT_CLASS"},
    "/radar/netflows/timeseries_groups": {"PRODUCT"},
}
CT_TLD_INCOMPATIBLE = {"log": "LOG", "logApi": "LOG_API", "logOperator": "LOG_OPERATOR", "entryType": "ENTRY_TYPE"}

# Query parameters that apply to every series; all others are per-series arrays.
SCALAR_PARAMS = {"aggInterval", "format", "normalization", "limitPerGroup"}
AGG_INTERVALS = {
    "15m": (900, "FIFTEEN_MINUTES"),
    "1h": (3600, "ONE_HOUR"),
    "1d": (86400, "ONE_DAY"),
    "1w": (604800, "ONE_WEEK"),
}
# Every answer ends here, so bodies depend only on the request and the data version.
DATA_END = datetime(2026, 1, 5, tzinfo=timezone.utc)
MAX_POINTS = 400

DEFAULT_ERRORS = {
    400: (2001, "Input Validation Error"),
    401: (10001, "Unable to authenticate request"),
    403: (10000, "Authentication error"),
    404: (7003, "Not found"),
    408: (2000, "Request Timeout"),
    422: (2002, "Query is above max cost"),
    429: (971, "More than 1200 requests per 300 seconds reached. "
               "Please wait and consider throttling your request speed"),
    500: (2000, "Internal Error"),
}


class ValidationError(Exception):
    pass


def envelope_error(errors):
    return {"success": False, "errors": errors, "messages": [], "result": None}


def default_errors(status):
    code, message = DEFAULT_ERRORS.get(status, (status * 10 if status >= 500 else 2000, f"HTTP {status}"))
    return [{"code": code, "message": message}]


def iso(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text):
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)
    except ValueError:
        raise ValidationError(f"Invalid date-time: {text}")


def date_range_window(spec):
    """(start, end) of a relative range like `7d`, `2w` or `7dcontrol`."""
    text = spec.lower()
    control = text.endswith("control")
    if control:
        text = text[: -len("control")]
    if len(text) < 2 or text[-1] not in "dw" or not text[:-1].isdigit() or int(text[:-1]) < 1:
        raise ValidationError(f"Invalid dateRange: {spec}")
    days = int(text[:-1]) * (7 if text[-1] == "w" else 1)
    end = DATA_END
    if control:
        end -= timedelta(days=-(-days // 7) * 7)
    return end - timedelta(days=days), end


def build_result(endpoint, dimension, items, version):
    """The `result` object (or CSV text) for one request; raises ValidationError."""
    params = {}
    for name, value in items:
        params.setdefault(name, []).append(value)
    scalar = {name: params[name][-1] for name in SCALAR_PARAMS if name in params}

    fmt = scalar.get("format", "JSON").upper()
    if fmt not in ("JSON", "CSV"):
        raise ValidationError(f"Invalid format: {scalar['format']}")
    agg = scalar.get("aggInterval", "1h").lower()
    if agg not in AGG_INTERVALS:
        raise ValidationError(f"Invalid aggInterval: {agg}")
    step, agg_name = AGG_INTERVALS[agg]
    keys = list(ENDPOINTS.get(endpoint, {}).get(dimension, GENERIC_KEYS))
    if "limitPerGroup" in scalar:
        try:
            limit = int(scalar["limitPerGroup"])
        except ValueError:
            raise ValidationError("limitPerGroup must be an integer")
        if limit < 2:
            raise ValidationError("limitPerGroup must be at least 2")
        if len(keys) > limit:
            keys = [k for k in keys if k != "other"][: limit - 1] + ["other"]

    count = max([1] + [len(v) for name, v in params.items() if name not in SCALAR_PARAMS])
    series = []
    for i in range(count):
        def element(name):
            values = params.get(name, [])
            return values[i] if i < len(values) else ""
        key = element("name") or f"serie_{i}"
        if element("dateStart") or element("dateEnd"):
            start = parse_time(element("dateStart")) if element("dateStart") else DATA_END - timedelta(days=7)
            end = parse_time(element("dateEnd")) if element("dateEnd") else DATA_END
            if end <= start:
                raise ValidationError("dateEnd must be after dateStart")
        else:
            start, end = date_range_window(element("dateRange") or "7d")
        points = max(1, min(MAX_POINTS, int((end - start).total_seconds() // step)))
        own = "&".join(f"{n}={element(n)}" for n in sorted(params) if n not in SCALAR_PARAMS)
        rng = random.Random(f"{endpoint}/{dimension}|{own}|{agg}|v{version}")
        timestamps = [iso(end - timedelta(seconds=step * (points - j))) for j in range(points)]
        columns = {k: [] for k in keys}
        for _ in range(points):
            weights = [rng.random() + 0.05 for _ in keys]
            total = sum(weights)
            for k, w in zip(keys, weights):
                columns[k].append(f"{100 * w / total:.4f}")
        series.append((key, start, end, timestamps, columns))

    if fmt == "CSV":
        header, rows = [], []
        for key, _, _, timestamps, columns in series:
            label = key[:1].upper() + key[1:]
            header += [f"{label} timestamps"] + [f"{label} {k}" for k in columns]
        longest = max(len(s[3]) for s in series)
        for j in range(longest):
            row = []
            for _, _, _, timestamps, columns in series:
                if j < len(timestamps):
                    row += [timestamps[j]] + [columns[k][j] for k in columns]
                else:
                    row += [""] * (1 + len(columns))
            rows.append(",".join(csv_field(v) for v in row))
        return "csv", "\n".join([",".join(csv_field(h) for h in header)] + rows) + "\n"

    meta = {
        "aggInterval": agg_name,
        "confidenceInfo": {"annotations": [], "level": 0},
        "dateRange": [{"startTime": iso(s[1]), "endTime": iso(s[2])} for s in series],
        "lastUpdated": iso(DATA_END + timedelta(minutes=version)),
        "normalization": scalar.get("normalization", "PERCENTAGE").upper(),
        "units": [{"name": "*", "value": "requests"}],
    }
    result = {"meta": meta}
    for key, _, _, timestamps, columns in series:
        result[key] = {"timestamps": timestamps, **columns}
    return "json", result


def strict_errors(endpoint, dimension, items):
    """What the real API documents as invalid in one request, as Cloudflare error objects (code
    2001, "Input Validation Error"); [] when it may pass. Only the three known endpoints are checked."""
    spec = STRICT_PARAMS.get(endpoint)
    if spec is None:
        return []
    errors = []

    def fail(message):
        errors.append({"code": 2001, "message": message})

    params = {}
    for name, value in items:
        params.setdefault(name, []).append(value)
    for name, values in params.items():
        kind = spec.get(name)
        if kind is None:
            fail(f"Input Validation Error: unknown query parameter '{name}'")
            continue
        array = kind.endswith("[]")
        kind = kind[:-2] if array else kind
        if not array and len(values) > 1:
            fail(f"Input Validation Error: '{name}' takes one value, got {len(values)}")
        for position, value in enumerate(values):
            problem = strict_value_problem(kind, value)
            if problem:
                fail(f"Input Validation Error: {name}[{position}] {problem}")
    if errors:
        return errors
    errors += strict_rule_errors(endpoint, dimension, params)
    return errors


def strict_value_problem(kind, value):
    """Why one query value is not of `kind`, or None. Empty is valid only for string filters."""
    if kind == "string":
        return None
    if value == "":
        return "is empty: the parameter has no empty value"
    if kind.startswith("enum:"):
        choices = kind[5:].split("|")
        return None if value.upper() in (c.upper() for c in choices) else f"must be one of {', '.join(choices)}"
    if kind == "bool":
        return None if value in ("true", "false") else "must be true or false"
    if kind == "date":
        try:
            parsed = datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
        except ValueError:
            return "must be an RFC 3339 date-time"
        return None if "T" in value.upper() and parsed.tzinfo is not None else "must be a date-time with an offset"
    if kind == "range":
        return None if range_days(value) is not None else "must be <n>d (1-364) or <n>w (1-52), optionally with control"
    if kind == "int>=2":
        return None if value.isdigit() and int(value) >= 2 else "must be an integer of at least 2"
    return None


def range_days(text):
    """Days of a relative range like `7d`, `2w` or `7dControl`, or None."""
    body = text.lower()
    if body.endswith("control"):
        body = body[: -len("control")]
    if len(body) < 2 or body[-1] not in "dw" or not body[:-1].isdigit():
        return None
    n = int(body[:-1])
    if body[-1] == "d":
        return n if 1 <= n <= 364 else None
    return 7 * n if 1 <= n <= 52 else None


def strict_rule_errors(endpoint, dimension, params):
    """The cross-parameter rules Cloudflare's API reference documents."""
    errors = []

    def given(name):
        return [v for v in params.get(name, []) if v != ""]

    def fail(message):
        errors.append({"code": 2001, "message": "Input Validation Error: " + message})

    if given("limitPerGroup") and dimension in TWO_GROUP_DIMENSIONS.get(endpoint, ()):
        fail(f"limitPerGroup is only supported on high-cardinality dimensions, not {dimension}")
    if endpoint == "/radar/ct/timeseries_groups":
        tld = bool(given("tld")) or dimension == "TLD"
        log = any(given(p) or dimension == d for p, d in CT_TLD_INCOMPATIBLE.items())
        if tld and log:
            fail("tld is incompatible with the log, logApi, logOperator and entryType filters/dimensions")
    count = max([1] + [len(v) for n, v in params.items() if n not in SCALAR_PARAMS])
    normalization = (params.get("normalization") or [""])[-1].upper()
    if normalization == "PERCENTAGE_CHANGE" and count != 2:
        fail("PERCENTAGE_CHANGE requires exactly one comparison series")
    if "meta" in params.get("name", []):
        fail("a series cannot be named meta")
    durations = []
    for i in range(count):
        def element(name):
            values = params.get(name, [])
            return values[i] if i < len(values) else ""
        if element("dateStart") and element("dateEnd"):
            start = parse_time(element("dateStart")).timestamp() // 900
            end = parse_time(element("dateEnd")).timestamp() // 900
            durations.append((end - start) * 900)
        elif element("dateRange"):
            durations.append(range_days(element("dateRange")) * 86400)
    if len(set(durations)) > 1:
        fail("all series must resolve to the same duration as the main series")
    return errors


def csv_field(value):
    if any(c in value for c in ',"\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


class State:
    """Everything the control API can change, behind one lock."""

    def __init__(self, latency_ms, auth):
        self.lock = threading.Lock()
        self.initial_latency_ms = latency_ms
        self.initial_auth = dict(auth)
        self.wake = threading.Event()  # set on reset/exit: ends every hang early
        self.released = threading.Event()  # set by /__control/release: ends every hold
        self.reset()

    def reset(self):
        with self.lock:
            self.latency_ms = self.initial_latency_ms
            self.auth = dict(self.initial_auth)
            self.version = 0
            self.scripts = {}  # path -> [fault]; "" is the global queue
            self.total = 0
            self.per_path = {}
            self.per_key = {}
            self.concurrent = 0
            self.concurrent_max = 0
            self.credential_requests = 0
            self.last_request = None
            self.log = []
            self.wake.set()
            self.wake = threading.Event()
            self.released.set()
            self.released = threading.Event()

    def begin(self, record):
        with self.lock:
            self.total += 1
            self.per_path[record["path"]] = self.per_path.get(record["path"], 0) + 1
            key = record["path"] + ("?" + record["query"] if record["query"] else "")
            self.per_key[key] = self.per_key.get(key, 0) + 1
            self.concurrent += 1
            self.concurrent_max = max(self.concurrent_max, self.concurrent)
            headers = record["headers"]
            if "authorization" in headers or "x-auth-key" in headers or "x-auth-email" in headers:
                self.credential_requests += 1
            self.last_request = record
            self.log.append(record)
            del self.log[:-256]
            # The hold a request waits on is the one current when it is logged: a release posted
            # after a test sees the request in the log always reaches it.
            return self.latency_ms, self.version, dict(self.auth), self.wake, self.released

    def end(self):
        with self.lock:
            self.concurrent -= 1

    def next_fault(self, path):
        """The next scripted fault for `path` (its own queue first, then the global one), or None."""
        with self.lock:
            for queue_key in (path, ""):
                queue = self.scripts.get(queue_key)
                if not queue:
                    continue
                fault = queue[0]
                times = fault.get("times", 1)
                if times > 0:
                    if times == 1:
                        queue.pop(0)
                    else:
                        fault["times"] = times - 1
                return fault
            return None

    def counters(self):
        with self.lock:
            return {
                "total": self.total,
                "perPath": dict(self.per_path),
                "perKey": dict(self.per_key),
                "concurrent": self.concurrent,
                "concurrentMax": self.concurrent_max,
                "credentialRequests": self.credential_requests,
                "version": self.version,
                "latencyMs": self.latency_ms,
                "scripted": {k or "*": len(v) for k, v in self.scripts.items() if v},
                "lastRequest": self.last_request,
            }


def normalize_path(path):
    return path[len(API_PREFIX):] if path.startswith(API_PREFIX + "/") else path


def auth_failure(headers, auth):
    """None when the request may pass, else (status, errors) as Cloudflare's gateway answers."""
    if not auth.get("check", True):
        return None
    authorization = headers.get("authorization")
    email, key = headers.get("x-auth-email"), headers.get("x-auth-key")
    if authorization is None and email is None and key is None:
        return 400, [{"code": 9106, "message": "Missing X-Auth-Key, X-Auth-Email or Authorization headers"}]
    if authorization is not None:
        scheme, _, token = authorization.partition(" ")
        if scheme != "Bearer" or not token.strip():
            return 400, [{"code": 6003, "message": "Invalid request headers",
                          "error_chain": [{"code": 6111, "message": "Invalid format for Authorization header"}]}]
        expected = auth.get("token")
        if expected is None and auth.get("email") is None or expected == token:
            return None
        return 403, [{"code": 10000, "message": "Authentication error"}]
    if not email or not key:
        return 400, [{"code": 6003, "message": "Invalid request headers",
                      "error_chain": [{"code": 6102 if not email else 6103,
                                       "message": "Invalid format for X-Auth-" + ("Email" if not email else "Key")}]}]
    expected_email, expected_key = auth.get("email"), auth.get("key")
    if auth.get("token") is None and expected_email is None or (email, key) == (expected_email, expected_key):
        return None
    return 403, [{"code": 10000, "message": "Authentication error"}]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body leave in two writes; without TCP_NODELAY, Nagle and the client's
    # delayed ACK stall every keep-alive answer by ~40 ms.
    disable_nagle_algorithm = True

    def version_string(self):
        return "fake-cloudflare"

    def log_message(self, format, *args):
        if self.server.verbose:
            sys.stderr.write("fake_cloudflare: " + (format % args) + "\n")

    # --- plumbing -------------------------------------------------------------------------

    # Header names a fault's "headers" set instead of the fake's own value, not beside it.
    REPLACED_HEADERS = ("content-length", "content-type")
    # This request's replacements (set per request; empty for answers sent before dispatch).
    replacements = {}

    def send_header(self, keyword, value):
        """Sends one header line. A `Content-Length` or `Content-Type` the fault's "headers" give
        replaces the one the fake would send (it is sent once, where the fake's own would be); a
        replaced `Content-Length` also closes the connection after the answer, so a length that
        does not match the body cannot leave bytes for the next answer on the connection."""
        key = keyword.lower()
        replacements = self.replacements
        if key in replacements:
            sent = self.replaced_sent
            if key in sent:
                return
            sent.add(key)
            value = replacements[key]
            if key == "content-length":
                super().send_header("Connection", "close")
        super().send_header(keyword, value)

    def send_body(self, status, body, content_type="application/json", headers=None):
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("cf-ray", "0000000000000000-LIS")
        for name, value in (headers or {}).items():
            self.send_header(name, str(value))
        self.end_headers()
        self.wfile.write(data)

    def send_json(self, status, value, headers=None):
        self.send_body(status, json.dumps(value, separators=(",", ":")), headers=headers)

    def drop(self, reset):
        """Ends the connection without a response: a TCP reset, or an orderly close."""
        self.close_connection = True
        try:
            self.wfile.flush()
            if reset:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            else:
                self.connection.shutdown(socket.SHUT_RDWR)
            self.rfile.close()
            self.wfile.close()
            self.connection.close()
        except OSError:
            pass
        # http.server flushes and closes these after the handler returns: give it harmless ones.
        self.rfile, self.wfile = io.BytesIO(), io.BytesIO()

    def read_json_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        return json.loads(raw) if raw.strip() else {}

    # --- dispatch -------------------------------------------------------------------------

    def do_GET(self):
        self.replacements, self.replaced_sent = {}, set()
        url = urlsplit(self.path)
        if url.path.startswith(CONTROL_PREFIX):
            return self.control("GET", url.path[len(CONTROL_PREFIX):])
        self.api(url)

    def do_POST(self):
        self.replacements, self.replaced_sent = {}, set()
        url = urlsplit(self.path)
        if url.path.startswith(CONTROL_PREFIX):
            return self.control("POST", url.path[len(CONTROL_PREFIX):])
        self.read_json_body_safely()
        self.send_json(405, envelope_error([{"code": 10405, "message": "Method not allowed"}]))

    def read_json_body_safely(self):
        try:
            self.read_json_body()
        except ValueError:
            pass

    def control(self, method, name):
        state = self.server.state
        try:
            body = self.read_json_body() if method == "POST" else {}
        except ValueError:
            return self.send_json(400, {"error": "control bodies are JSON"})
        if method == "GET" and name == "counters":
            return self.send_json(200, state.counters())
        if method == "GET" and name == "requests":
            with state.lock:
                return self.send_json(200, {"requests": list(state.log)})
        if method != "POST":
            return self.send_json(404, {"error": f"unknown control {method} {name}"})
        if name == "script":
            responses = body.get("responses", [])
            if not isinstance(responses, list) or not all(isinstance(r, dict) and "kind" in r for r in responses):
                return self.send_json(400, {"error": "responses must be a list of objects with a kind"})
            path = normalize_path(body.get("path", "")) if body.get("path") else ""
            with state.lock:
                queue = state.scripts.setdefault(path, [])
                queue.extend(dict(r) for r in responses)
                return self.send_json(200, {"queued": len(queue)})
        if name == "latency":
            with state.lock:
                state.latency_ms = max(0, int(body.get("ms", 0)))
                return self.send_json(200, {"latencyMs": state.latency_ms})
        if name == "version":
            with state.lock:
                state.version = int(body["version"]) if "version" in body else state.version + 1
                return self.send_json(200, {"version": state.version})
        if name == "auth":
            with state.lock:
                state.auth = {"token": body.get("token"), "email": body.get("email"), "key": body.get("key"),
                              "check": bool(body.get("check", True))}
                return self.send_json(200, {"ok": True})
        if name == "release":
            with state.lock:
                state.released.set()
                state.released = threading.Event()
            return self.send_json(200, {"ok": True})
        if name == "reset":
            state.reset()
            return self.send_json(200, {"ok": True})
        return self.send_json(404, {"error": f"unknown control {name}"})

    def api(self, url):
        state = self.server.state
        headers = {name.lower(): value for name, value in self.headers.items()}
        path = normalize_path(url.path)
        record = {"method": self.command, "path": path, "query": url.query, "headers": headers,
                  "clientPort": self.client_address[1]}
        latency_ms, version, auth, wake, self.released = state.begin(record)
        try:
            if latency_ms:
                time.sleep(latency_ms / 1000)
            fault = state.next_fault(path)
            if fault is not None:
                if fault.get("delayMs"):
                    time.sleep(fault["delayMs"] / 1000)
                if self.fault(fault, url, path, version, auth, headers, wake):
                    return
            self.answer(url, path, version, auth, headers)
        finally:
            state.end()

    def answer(self, url, path, version, auth, headers, extra=None, truncate=False, status=200):
        failure = auth_failure(headers, auth)
        if failure:
            return self.send_json(failure[0], envelope_error(failure[1]), headers=extra)
        if not url.path.startswith(API_PREFIX + "/radar/"):
            return self.send_json(404, envelope_error(default_errors(404)), headers=extra)
        endpoint, _, dimension = path.rpartition("/")
        if not endpoint.endswith("/timeseries_groups") or not dimension:
            return self.send_json(404, envelope_error(default_errors(404)), headers=extra)
        known = ENDPOINTS.get(endpoint)
        if known is not None and dimension.upper() not in known:
            return self.send_json(400, envelope_error(
                [{"code": 2001, "message": f"Input Validation Error: dimension must be one of {', '.join(known)}"}]),
                headers=extra)
        items = parse_qsl(url.query, keep_blank_values=True, strict_parsing=False)
        invalid = strict_errors(endpoint, dimension.upper(), items)
        if invalid:
            return self.send_json(400, envelope_error(invalid), headers=extra)
        try:
            kind, result = build_result(endpoint, dimension.upper(), items, version)
        except ValidationError as error:
            return self.send_json(400, envelope_error([{"code": 2001, "message": str(error)}]), headers=extra)
        if kind == "csv":
            body, content_type = result, "text/csv"
        else:
            body = json.dumps({"success": True, "errors": [], "messages": [], "result": result},
                              separators=(",", ":"))
            content_type = "application/json"
        if not truncate:
            return self.send_body(status, body, content_type, headers=extra)
        data = body.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data[: len(data) // 2])
        self.drop(reset=False)

    def fault(self, fault, url, path, version, auth, headers, wake):
        """Acts out one scripted fault; False when the normal answer should follow."""
        fault = with_credentials(fault, headers)
        kind = fault["kind"]
        extra = dict(fault.get("headers", {}))
        self.replacements = {name.lower(): str(value) for name, value in extra.items()
                             if name.lower() in self.REPLACED_HEADERS}
        retry_after = fault.get("retryAfter")
        if retry_after is not None:
            text = str(retry_after)
            if text.startswith("date:"):
                text = email.utils.formatdate(time.time() + float(text[5:]), usegmt=True)
            extra["Retry-After"] = text
        if kind == "ok":
            self.answer(url, path, version, auth, headers, extra=extra)
        elif kind == "status":
            status = int(fault.get("status", 500))
            self.send_json(status, envelope_error(fault.get("errors") or default_errors(status)), headers=extra)
        elif kind == "success_false":
            errors = fault.get("errors") or default_errors(400)
            self.send_json(int(fault.get("status", 200)), envelope_error(errors), headers=extra)
        elif kind == "garbage":
            body = fault.get("body", "<html><body><h1>502 Bad Gateway</h1></body></html>")
            self.send_body(int(fault.get("status", 200)), body, fault.get("contentType", "application/json"),
                           headers=extra)
        elif kind == "raw":
            self.send_body(int(fault.get("status", 200)), fault.get("body", ""),
                           fault.get("contentType", "application/json"), headers=extra)
        elif kind == "reply":
            self.reply(fault, url, path, version, auth, headers, extra)
        elif kind == "flood":
            self.flood(int(fault.get("bytes", 1 << 30)), bool(fault.get("gzip")), extra)
        elif kind == "truncated":
            self.answer(url, path, version, auth, headers, extra=extra, truncate=True)
        elif kind == "reset":
            self.drop(reset=True)
        elif kind == "close":
            self.drop(reset=False)
        elif kind == "hang":
            wake.wait(float(fault.get("ms", 60000)) / 1000)
            self.drop(reset=False)
        elif kind == "hold":
            self.released.wait(float(fault.get("ms", 600000)) / 1000)
            self.answer(url, path, version, auth, headers, extra=extra)
        elif kind == "redirect":
            location = fault.get("location")
            if location is None:
                host = fault.get("host", "127.0.0.1")
                port = int(fault.get("port", self.server.server_address[1]))
                location = f"http://{host}:{port}{url.path}" + (f"?{url.query}" if url.query else "")
            extra["Location"] = location
            self.send_body(int(fault.get("status", 302)), "", "text/plain", headers=extra)
        else:
            self.send_json(500, {"error": f"unknown fault kind {kind}"})
        return True


    def reply(self, fault, url, path, version, auth, headers, extra):
        """Plays an entry of upstream-replies.json: its status, headers and body exactly."""
        status = int(fault.get("status", 200))
        if "bodyText" in fault:
            return self.send_body(status, fault["bodyText"], "application/json", headers=extra)
        body = fault.get("body")
        if body is None or body == NORMAL_SUCCESS_BODY:
            return self.answer(url, path, version, auth, headers, extra=extra, status=status)
        if isinstance(body, str):
            return self.send_body(status, body, "text/plain", headers=extra)
        self.send_json(status, body, headers=extra)


    def flood(self, total, gzipped, headers):
        """A 200 whose body runs to `total` bytes (before encoding), sent chunked as it is made."""
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
        for name, value in headers.items():
            self.send_header(name, str(value))
        self.end_headers()
        compressor = zlib.compressobj(9, zlib.DEFLATED, 31) if gzipped else None

        def chunk(data, last=False):
            if compressor is not None:
                data = compressor.compress(data) + (compressor.flush() if last else b"")
            if data:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))

        head = b'{"success":true,"errors":[],"result":{"pad":"'
        piece = b" " * 65536
        try:
            chunk(head)
            sent = len(head)
            while sent < total:
                n = min(len(piece), total - sent)
                sent += n
                chunk(piece[:n], last=sent >= total)
            self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


NORMAL_SUCCESS_BODY = "a normal success body"


def request_credentials(headers):
    """The credential values a request carried: (token or key, email)."""
    scheme, _, token = (headers.get("authorization") or "").partition(" ")
    secret = token if scheme == "Bearer" and token else headers.get("x-auth-key", "")
    return secret, headers.get("x-auth-email", "")


def with_credentials(value, headers):
    """`value` (a fault, recursively) with `<THE TOKEN>` and `<THE EMAIL>` in every string replaced
    by the request's credentials: the fake then echoes them as an upstream quoting headers would."""
    secret, email = request_credentials(headers)
    def walk(v):
        if isinstance(v, str):
            return v.replace("<THE TOKEN>", secret).replace("<THE EMAIL>", email)
        if isinstance(v, list):
            return [walk(x) for x in v]
        if isinstance(v, dict):
            return {walk(k): walk(x) for k, x in v.items()}
        return v
    return walk(value)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256
    allow_reuse_address = True


def main():
    parser = argparse.ArgumentParser(description="A local fake of Cloudflare's Radar API.")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free port)")
    parser.add_argument("--latency-ms", type=int, default=0, help="delay before every API answer")
    parser.add_argument("--token", help="the only API token accepted")
    parser.add_argument("--email", help="the only X-Auth-Email accepted (with --key)")
    parser.add_argument("--key", help="the only X-Auth-Key accepted (with --email)")
    parser.add_argument("--no-auth", action="store_true", help="accept requests without credentials")
    parser.add_argument("--ignore-stdin", action="store_true", help="keep running when stdin closes")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    args = parser.parse_args()
    if (args.email is None) != (args.key is None):
        parser.error("--email and --key go together")

    auth = {"token": args.token, "email": args.email, "key": args.key, "check": not args.no_auth}
    server = Server(("127.0.0.1", args.port), Handler)
    server.state = State(args.latency_ms, auth)
    server.verbose = args.verbose

    def stop(*_):
        server.state.wake.set()
        sys.stdout.flush()
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if not args.ignore_stdin:
        def watch_stdin():
            while sys.stdin.buffer.read(4096):
                pass
            stop()
        threading.Thread(target=watch_stdin, daemon=True).start()

    sys.stdout.write(f"PORT {server.server_address[1]}\n")
    sys.stdout.flush()
    server.serve_forever(poll_interval=0.2)


if __name__ == "__main__":
    main()
