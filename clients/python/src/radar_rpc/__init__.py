"""radar_rpc: Cloudflare Radar from Python, through a radar-rpc server on a subprocess's pipes.

    from radar_rpc import RadarClient

    with RadarClient(demo=True) as radar:
        result = radar.netflows_timeseries_groups("PRODUCT", date_range="7d", agg_interval="1d")
        for row in result.to_records():
            print(row["timestamp"], row["group"], row["value"])

:class:`RadarClient` is synchronous (threads), :class:`AsyncRadarClient` is for asyncio. Both
have one method per Radar method (generated from ``protocol/openrpc.json``), ``call()`` for any
other, ``subscribe()`` for streaming updates, and raise :class:`RadarError` subclasses. In a
notebook, :func:`shared` gives one client per kernel, and :mod:`radar_rpc.notebook` shows
progress and live subscriptions. Standard library only; pandas (``to_dataframe()``), matplotlib
(``plot()``) and IPython are used when installed (``pip install 'radar-rpc[notebook]'``).
"""

from ._version import __version__
from ._methods import RADAR_METHODS
from ._process import find_binary
from ._shared import shared
from .aio import AsyncRadarClient, AsyncSubscription
from .client import RadarClient, RadarFuture, Subscription
from .errors import (
    AuthError,
    BinaryNotFound,
    Cancelled,
    ConnectionLost,
    InternalError,
    InvalidParams,
    InvalidRequest,
    MethodNotFound,
    ParseError,
    RadarError,
    RateLimited,
    RequestTimeout,
    ServerCancelled,
    SubscriptionLimit,
    Unavailable,
    UpstreamError,
    Violation,
)
from .results import CsvResult, Progress, RadarResult, Result, Series, Update, parse_timestamp, result_from_json

__all__ = [
    "__version__",
    "RADAR_METHODS",
    "RadarClient",
    "AsyncRadarClient",
    "shared",
    "RadarFuture",
    "Subscription",
    "AsyncSubscription",
    "find_binary",
    "RadarResult",
    "CsvResult",
    "Result",
    "Series",
    "Progress",
    "Update",
    "parse_timestamp",
    "result_from_json",
    "RadarError",
    "ParseError",
    "InvalidRequest",
    "MethodNotFound",
    "InvalidParams",
    "Violation",
    "InternalError",
    "Cancelled",
    "ServerCancelled",
    "RequestTimeout",
    "UpstreamError",
    "RateLimited",
    "Unavailable",
    "AuthError",
    "SubscriptionLimit",
    "ConnectionLost",
    "BinaryNotFound",
]
