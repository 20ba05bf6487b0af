"""What the sync and the async subscription share: the queue protocol between the router and
the iterator, and the first half of closing (the second half, ``radar.unsubscribe``, is sync
or async)."""

from __future__ import annotations

import weakref
from typing import Any, Callable, Type

from .errors import RadarError
from .results import Update

__all__ = ["SubscriptionBase"]

CLOSED = object()
"""Put in the queue by close(): wakes a reader blocked in another thread or task."""


class SubscriptionBase:
    """One subscription's id, its queue of updates, and its finalizer."""

    def __init__(
        self,
        client: Any,
        connection: Any,
        subscription: str,
        put: Callable[[Any], None],
        when_collected: Callable[[Any, str], None],
    ) -> None:
        self.id = subscription
        self._client = client  # keeps the client (so its server) alive while the subscription is
        self._connection = connection
        self._put = put
        self._closed = False
        self._finalizer = weakref.finalize(self, when_collected, connection, subscription)

    def __repr__(self) -> str:
        return "<%s %s%s>" % (type(self).__name__, self.id, " closed" if self._closed else "")

    def _take(self, item: Any, stop: Type[Exception]) -> Update:
        """An item from the queue as the iterator's answer: the update, or the end (``stop``), or
        the connection's error when the server died (not when the client was closed)."""
        if isinstance(item, Update):
            return item
        self._put(item)  # every later next() ends the same way
        if isinstance(item, RadarError) and not self._connection.closing:
            self._finalizer.detach()
            raise item
        raise stop

    def _begin_close(self) -> bool:
        """Ends iteration and routing; False if it was closed already."""
        if self._closed:
            return False
        self._closed = True
        self._finalizer.detach()
        self._connection.router.remove_sink(self.id)
        self._put(CLOSED)
        return True
