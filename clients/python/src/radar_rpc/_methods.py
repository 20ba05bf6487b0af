"""The Radar methods of protocol/openrpc.json as typed methods (GENERATED, do not edit).

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

AggInterval = Literal["15m", "1h", "1d", "1w"]
CtDuration = Literal["LTE_3D", "GT_3D_LTE_7D", "GT_7D_LTE_10D", "GT_10D_LTE_47D", "GT_47D_LTE_100D", "GT_100D_LTE_200D", "GT_200D"]
CtEntryType = Literal["PRECERTIFICATE", "CERTIFICATE"]
CtExpirationStatus = Literal["EXPIRED", "VALID"]
CtLogApi = Literal["RFC6962", "STATIC"]
CtPublicKeyAlgorithm = Literal["DSA", "ECDSA", "RSA"]
CtSignatureAlgorithm = Literal["DSA_SHA_1", "DSA_SHA_256", "ECDSA_SHA_1", "ECDSA_SHA_256", "ECDSA_SHA_384", "ECDSA_SHA_512", "PSS_SHA_256", "PSS_SHA_384", "PSS_SHA_512", "RSA_MD2", "RSA_MD5", "RSA_SHA_1", "RSA_SHA_256", "RSA_SHA_384", "RSA_SHA_512"]
CtUniqueEntries = Union[Literal["true", "false"], bool]
CtValidationLevel = Literal["DOMAIN", "ORGANIZATION", "EXTENDED"]
Format = Literal["JSON", "CSV"]
LeakedBotClass = Literal["LIKELY_AUTOMATED", "LIKELY_HUMAN"]
LeakedCheckResult = Literal["CLEAN", "USERNAME_LEAKED", "USERNAME_PASSWORD_SIMILAR", "USERNAME_AND_PASSWORD_LEAKED", "PASSWORD_LEAKED"]
LeakedCompromised = Literal["CLEAN", "COMPROMISED"]
NetflowsProduct = Literal["HTTP", "ALL"]

RADAR_METHODS: Dict[str, Tuple[str, Dict[str, str]]] = {
    "ct_timeseries_groups": ("radar.ct.timeseriesGroups", {"dimension": "dimension", "agg_interval": "aggInterval", "name": "name", "date_range": "dateRange", "date_start": "dateStart", "date_end": "dateEnd", "limit_per_group": "limitPerGroup", "ca": "ca", "ca_owner": "caOwner", "duration": "duration", "entry_type": "entryType", "expiration_status": "expirationStatus", "has_ips": "hasIps", "has_wildcards": "hasWildcards", "log": "log", "log_api": "logApi", "log_operator": "logOperator", "public_key_algorithm": "publicKeyAlgorithm", "signature_algorithm": "signatureAlgorithm", "validation_level": "validationLevel", "tld": "tld", "normalization": "normalization", "unique_entries": "uniqueEntries", "format": "format", "series": "series"}),
    "leaked_credential_checks_timeseries_groups": ("radar.leakedCredentialChecks.timeseriesGroups", {"dimension": "dimension", "agg_interval": "aggInterval", "name": "name", "date_range": "dateRange", "date_start": "dateStart", "date_end": "dateEnd", "asn": "asn", "location": "location", "continent": "continent", "bot_class": "botClass", "compromised": "compromised", "check_result": "checkResult", "limit_per_group": "limitPerGroup", "normalization": "normalization", "format": "format", "series": "series"}),
    "netflows_timeseries_groups": ("radar.netflows.timeseriesGroups", {"dimension": "dimension", "agg_interval": "aggInterval", "name": "name", "date_range": "dateRange", "date_start": "dateStart", "date_end": "dateEnd", "asn": "asn", "location": "location", "continent": "continent", "geo_id": "geoId", "limit_per_group": "limitPerGroup", "normalization": "normalization", "product": "product", "format": "format", "series": "series"}),
}
"""Python method name → (JSON-RPC method, Python parameter name → wire name)."""


class RadarMethods:
    """One method per Radar method of the document (mixed into RadarClient)."""

    def _radar_call(
        self,
        method: str,
        named: Dict[str, Any],
        extra: Dict[str, Any],
        *,
        timeout: Optional[float],
        on_progress: Optional[ProgressCallback],
        on_partial: Optional[PartialCallback],
    ) -> Result:
        raise NotImplementedError

    @overload
    def ct_timeseries_groups(
        self,
        dimension: Literal["CA", "CA_OWNER", "DURATION", "ENTRY_TYPE", "EXPIRATION_STATUS", "HAS_IPS", "HAS_WILDCARDS", "LOG", "LOG_API", "LOG_OPERATOR", "PUBLIC_KEY_ALGORITHM", "SIGNATURE_ALGORITHM", "TLD", "VALIDATION_LEVEL"],
        *,
        agg_interval: Optional[AggInterval] = None,
        name: Optional[PerSeries[str]] = None,
        date_range: Optional[PerSeries[str]] = None,
        date_start: Optional[PerSeries[DateTimeLike]] = None,
        date_end: Optional[PerSeries[DateTimeLike]] = None,
        limit_per_group: Optional[int] = None,
        ca: Optional[PerSeries[str]] = None,
        ca_owner: Optional[PerSeries[str]] = None,
        duration: Optional[PerSeries[CtDuration]] = None,
        entry_type: Optional[PerSeries[CtEntryType]] = None,
        expiration_status: Optional[PerSeries[CtExpirationStatus]] = None,
        has_ips: Optional[PerSeries[bool]] = None,
        has_wildcards: Optional[PerSeries[bool]] = None,
        log: Optional[PerSeries[str]] = None,
        log_api: Optional[PerSeries[CtLogApi]] = None,
        log_operator: Optional[PerSeries[str]] = None,
        public_key_algorithm: Optional[PerSeries[CtPublicKeyAlgorithm]] = None,
        signature_algorithm: Optional[PerSeries[CtSignatureAlgorithm]] = None,
        validation_level: Optional[PerSeries[CtValidationLevel]] = None,
        tld: Optional[PerSeries[str]] = None,
        normalization: Optional[Literal["RAW_VALUES", "PERCENTAGE"]] = None,
        unique_entries: Optional[PerSeries[CtUniqueEntries]] = None,
        format: Literal["CSV"],
        series: Optional[Sequence[Mapping[str, Any]]] = None,
        timeout: Optional[float] = None,
        on_progress: Optional[ProgressCallback] = None,
        on_partial: Optional[PartialCallback] = None,
        **params: Any,
    ) -> CsvResult: ...

    @overload
    def ct_timeseries_groups(
        self,
        dimension: Literal["CA", "CA_OWNER", "DURATION", "ENTRY_TYPE", "EXPIRATION_STATUS", "HAS_IPS", "HAS_WILDCARDS", "LOG", "LOG_API", "LOG_OPERATOR", "PUBLIC_KEY_ALGORITHM", "SIGNATURE_ALGORITHM", "TLD", "VALIDATION_LEVEL"],
        *,
        agg_interval: Optional[AggInterval] = None,
        name: Optional[PerSeries[str]] = None,
        date_range: Optional[PerSeries[str]] = None,
        date_start: Optional[PerSeries[DateTimeLike]] = None,
        date_end: Optional[PerSeries[DateTimeLike]] = None,
        limit_per_group: Optional[int] = None,
        ca: Optional[PerSeries[str]] = None,
        ca_owner: Optional[PerSeries[str]] = None,
        duration: Optional[PerSeries[CtDuration]] = None,
        entry_type: Optional[PerSeries[CtEntryType]] = None,
        expiration_status: Optional[PerSeries[CtExpirationStatus]] = None,
        has_ips: Optional[PerSeries[bool]] = None,
        has_wildcards: Optional[PerSeries[bool]] = None,
        log: Optional[PerSeries[str]] = None,
        log_api: Optional[PerSeries[CtLogApi]] = None,
        log_operator: Optional[PerSeries[str]] = None,
        public_key_algorithm: Optional[PerSeries[CtPublicKeyAlgorithm]] = None,
        signature_algorithm: Optional[PerSeries[CtSignatureAlgorithm]] = None,
        validation_level: Optional[PerSeries[CtValidationLevel]] = None,
        tld: Optional[PerSeries[str]] = None,
        normalization: Optional[Literal["RAW_VALUES", "PERCENTAGE"]] = None,
        unique_entries: Optional[PerSeries[CtUniqueEntries]] = None,
        format: Optional[Literal["JSON"]] = None,
        series: Optional[Sequence[Mapping[str, Any]]] = None,
        timeout: Optional[float] = None,
        on_progress: Optional[ProgressCallback] = None,
        on_partial: Optional[PartialCallback] = None,
        **params: Any,
    ) -> RadarResult: ...

    def ct_timeseries_groups(
        self,
        dimension: Literal["CA", "CA_OWNER", "DURATION", "ENTRY_TYPE", "EXPIRATION_STATUS", "HAS_IPS", "HAS_WILDCARDS", "LOG", "LOG_API", "LOG_OPERATOR", "PUBLIC_KEY_ALGORITHM", "SIGNATURE_ALGORITHM", "TLD", "VALIDATION_LEVEL"],
        *,
        agg_interval: Optional[AggInterval] = None,
        name: Optional[PerSeries[str]] = None,
        date_range: Optional[PerSeries[str]] = None,
        date_start: Optional[PerSeries[DateTimeLike]] = None,
        date_end: Optional[PerSeries[DateTimeLike]] = None,
        limit_per_group: Optional[int] = None,
        ca: Optional[PerSeries[str]] = None,
        ca_owner: Optional[PerSeries[str]] = None,
        duration: Optional[PerSeries[CtDuration]] = None,
        entry_type: Optional[PerSeries[CtEntryType]] = None,
        expiration_status: Optional[PerSeries[CtExpirationStatus]] = None,
        has_ips: Optional[PerSeries[bool]] = None,
        has_wildcards: Optional[PerSeries[bool]] = None,
        log: Optional[PerSeries[str]] = None,
        log_api: Optional[PerSeries[CtLogApi]] = None,
        log_operator: Optional[PerSeries[str]] = None,
        public_key_algorithm: Optional[PerSeries[CtPublicKeyAlgorithm]] = None,
        signature_algorithm: Optional[PerSeries[CtSignatureAlgorithm]] = None,
        validation_level: Optional[PerSeries[CtValidationLevel]] = None,
        tld: Optional[PerSeries[str]] = None,
        normalization: Optional[Literal["RAW_VALUES", "PERCENTAGE"]] = None,
        unique_entries: Optional[PerSeries[CtUniqueEntries]] = None,
        format: Optional[Format] = None,
        series: Optional[Sequence[Mapping[str, Any]]] = None,
        timeout: Optional[float] = None,
        on_progress: Optional[ProgressCallback] = None,
        on_partial: Optional[PartialCallback] = None,
        **params: Any,
    ) -> Result:
        """Get time series of certificate distribution by dimension.

        Retrieves the distribution of certificates grouped by the specified dimension over time.
        Upstream: GET /radar/ct/timeseries_groups/{dimension} (operationId
        radar-get-ct-timeseries-group).

        JSON-RPC method ``radar.ct.timeseriesGroups``. Returns a :class:`RadarResult`, or a
        :class:`CsvResult` with ``format="CSV"``. Wire names (``aggInterval=...``) are accepted in
        ``**params`` too.

        Args:
            dimension: Specifies the certificate attribute by which to group the results. Sent in the
                path, in upper case; any case is accepted (Cloudflare's own clients send lower case).
            agg_interval: Aggregation interval of the results (e.g., in 15 minutes or 1 hour intervals).
                Refer to Aggregation intervals. When omitted, the interval is auto-selected from the
                requested date range; finer intervals are only available for shorter ranges. If the
                requested interval is too granular for the date range, the request is rejected.
            name: Array of names used to label the series in the response. Without a name the series are
                keyed serie_0, serie_1, … in the result. Per series: one value, or a list (element i for
                series i).
            date_range: Filters results by relative date range ending at the current time, with each
                value producing a separate series. Use `<n>d` for days (up to `364d`) or `<n>w` for
                weeks (up to `52w`). Append `control` to request the equivalent previous period for
                comparison: the comparison window is shifted back by the current window's length rounded
                up to a whole number of weeks, so it keeps the same weekday alignment and does not
                overlap the current window (e.g. `7dcontrol` covers days -14 to -7, `10dcontrol` covers
                days -24 to -14). For example, pass `7d` and `7dcontrol` to compare this week with the
                previous week. All series must resolve to the same duration as the main series; relative
                ranges (including `control`) satisfy this automatically. Use this parameter or set
                specific start and end dates (`dateStart` and `dateEnd` parameters). Per series: one
                value, or a list (element i for series i).
            date_start: Start of the date range. Alternative to `dateRange`; provide together with
                `dateEnd`. When requesting comparison series, every series must resolve to the same
                duration as the main series. Each `dateStart`/`dateEnd` is floored to the nearest 15
                minutes before evaluation, so windows whose durations match only before alignment may be
                rejected. Per series: one value, or a list (element i for series i).
            date_end: End of the date range (inclusive). Alternative to `dateRange`; provide together
                with `dateStart`. When requesting comparison series, every series must resolve to the
                same duration as the main series. Each `dateStart`/`dateEnd` is floored to the nearest
                15 minutes before evaluation, so windows whose durations match only before alignment may
                be rejected. Per series: one value, or a list (element i for series i).
            limit_per_group: Limits the number of objects per group to the top items within the
                specified time range. When item count exceeds the limit, extra items appear grouped
                under an "other" category. Only supported on high-cardinality dimensions; otherwise the
                request is rejected. Minimum value is 2 (radar-rpc: at most 10000).
            ca: Filters results by certificate authority. Per series: one value, or a list (element i
                for series i).
            ca_owner: Filters results by certificate authority owner. Per series: one value, or a list
                (element i for series i).
            duration: Filters results by certificate duration. Per series: one value, or a list (element
                i for series i).
            entry_type: Filters results by entry type (certificate vs. pre-certificate). Incompatible
                with the `tld` filter/dimension. Per series: one value, or a list (element i for series
                i).
            expiration_status: Filters results by expiration status (expired vs. valid). Per series: one
                value, or a list (element i for series i).
            has_ips: Filters results based on whether the certificates are bound to specific IP
                addresses. Per series: one value, or a list (element i for series i).
            has_wildcards: Filters results based on whether the certificates contain wildcard domains.
                Per series: one value, or a list (element i for series i).
            log: Filters results by certificate log. Incompatible with the `tld` filter/dimension. Per
                series: one value, or a list (element i for series i).
            log_api: Filters results by certificate log API (RFC6962 vs. static). Incompatible with the
                `tld` filter/dimension. Per series: one value, or a list (element i for series i).
            log_operator: Filters results by certificate log operator. Incompatible with the `tld`
                filter/dimension. Per series: one value, or a list (element i for series i).
            public_key_algorithm: Filters results by public key algorithm. Per series: one value, or a
                list (element i for series i).
            signature_algorithm: Filters results by signature algorithm. Per series: one value, or a
                list (element i for series i).
            validation_level: Filters results by validation level. Per series: one value, or a list
                (element i for series i).
            tld: Filters results by top-level domain. Incompatible with the `log`, `logApi`,
                `logOperator`, and `entryType` filters/dimensions. Per series: one value, or a list
                (element i for series i).
            normalization: Normalization method applied to the results. Refer to Normalization methods.
            unique_entries: Specifies whether to filter out duplicate certificates and pre-certificates.
                Set to true for unique entries only. Per series: one value, or a list (element i for
                series i).
            format: Format in which results will be returned. With CSV the result is {"format": "CSV",
                "csv": "<the body>"}.
            series: radar-rpc's own: the series as objects, one per series, each holding that series'
                values of the per-series parameters. A top-level single value of a per-series parameter
                then applies to every series (a value inside a series object wins); a top-level array
                cannot be combined with series. Expands to exactly the upstream request of the flat
                form: {"dateRange": "7d", "series": [{"name": "us", "location": "US"}, {"name": "pt",
                "location": "PT"}]} asks for
                name=us&name=pt&dateRange=7d&dateRange=7d&location=US&location=PT. A series that leaves
                out a parameter a later series sets gets an empty element at its position, which Radar
                reads as "no filter": that is allowed only for string filters (ca, location, asn, …).
                For a boolean, an enum, a date, a dateRange or a name it is -32602 at that series' path:
                set it in every series (or in none). At most --max-series series (default 32).
            timeout: seconds before the call is cancelled (``$/cancelRequest``) and RequestTimeout raised.
            on_progress: called with each Progress (sends a workDoneToken).
            on_partial: called with (name, Series) as each series arrives (sends a partialResultToken).
        """
        return self._radar_call(
            "radar.ct.timeseriesGroups",
            {"dimension": dimension, "aggInterval": agg_interval, "name": name, "dateRange": date_range, "dateStart": date_start, "dateEnd": date_end, "limitPerGroup": limit_per_group, "ca": ca, "caOwner": ca_owner, "duration": duration, "entryType": entry_type, "expirationStatus": expiration_status, "hasIps": has_ips, "hasWildcards": has_wildcards, "log": log, "logApi": log_api, "logOperator": log_operator, "publicKeyAlgorithm": public_key_algorithm, "signatureAlgorithm": signature_algorithm, "validationLevel": validation_level, "tld": tld, "normalization": normalization, "uniqueEntries": unique_entries, "format": format, "series": series},
            params,
            timeout=timeout,
            on_progress=on_progress,
            on_partial=on_partial,
        )

    @overload
    def leaked_credential_checks_timeseries_groups(
        self,
        dimension: Literal["COMPROMISED", "BOT_CLASS"],
        *,
        agg_interval: Optional[AggInterval] = None,
        name: Optional[PerSeries[str]] = None,
        date_range: Optional[PerSeries[str]] = None,
        date_start: Optional[PerSeries[DateTimeLike]] = None,
        date_end: Optional[PerSeries[DateTimeLike]] = None,
        asn: Optional[PerSeries[ListFilter]] = None,
        location: Optional[PerSeries[ListFilter]] = None,
        continent: Optional[PerSeries[ListFilter]] = None,
        bot_class: Optional[PerSeries[LeakedBotClass]] = None,
        compromised: Optional[PerSeries[LeakedCompromised]] = None,
        check_result: Optional[PerSeries[LeakedCheckResult]] = None,
        limit_per_group: Optional[int] = None,
        normalization: Optional[Literal["PERCENTAGE_CHANGE", "MIN0_MAX"]] = None,
        format: Literal["CSV"],
        series: Optional[Sequence[Mapping[str, Any]]] = None,
        timeout: Optional[float] = None,
        on_progress: Optional[ProgressCallback] = None,
        on_partial: Optional[PartialCallback] = None,
        **params: Any,
    ) -> CsvResult: ...

    @overload
    def leaked_credential_checks_timeseries_groups(
        self,
        dimension: Literal["COMPROMISED", "BOT_CLASS"],
        *,
        agg_interval: Optional[AggInterval] = None,
        name: Optional[PerSeries[str]] = None,
        date_range: Optional[PerSeries[str]] = None,
        date_start: Optional[PerSeries[DateTimeLike]] = None,
        date_end: Optional[PerSeries[DateTimeLike]] = None,
        asn: Optional[PerSeries[ListFilter]] = None,
        location: Optional[PerSeries[ListFilter]] = None,
        continent: Optional[PerSeries[ListFilter]] = None,
        bot_class: Optional[PerSeries[LeakedBotClass]] = None,
        compromised: Optional[PerSeries[LeakedCompromised]] = None,
        check_result: Optional[PerSeries[LeakedCheckResult]] = None,
        limit_per_group: Optional[int] = None,
        normalization: Optional[Literal["PERCENTAGE_CHANGE", "MIN0_MAX"]] = None,
        format: Optional[Literal["JSON"]] = None,
        series: Optional[Sequence[Mapping[str, Any]]] = None,
        timeout: Optional[float] = None,
        on_progress: Optional[ProgressCallback] = None,
        on_partial: Optional[PartialCallback] = None,
        **params: Any,
    ) -> RadarResult: ...

    def leaked_credential_checks_timeseries_groups(
        self,
        dimension: Literal["COMPROMISED", "BOT_CLASS"],
        *,
        agg_interval: Optional[AggInterval] = None,
        name: Optional[PerSeries[str]] = None,
        date_range: Optional[PerSeries[str]] = None,
        date_start: Optional[PerSeries[DateTimeLike]] = None,
        date_end: Optional[PerSeries[DateTimeLike]] = None,
        asn: Optional[PerSeries[ListFilter]] = None,
        location: Optional[PerSeries[ListFilter]] = None,
        continent: Optional[PerSeries[ListFilter]] = None,
        bot_class: Optional[PerSeries[LeakedBotClass]] = None,
        compromised: Optional[PerSeries[LeakedCompromised]] = None,
        check_result: Optional[PerSeries[LeakedCheckResult]] = None,
        limit_per_group: Optional[int] = None,
        normalization: Optional[Literal["PERCENTAGE_CHANGE", "MIN0_MAX"]] = None,
        format: Optional[Format] = None,
        series: Optional[Sequence[Mapping[str, Any]]] = None,
        timeout: Optional[float] = None,
        on_progress: Optional[ProgressCallback] = None,
        on_partial: Optional[PartialCallback] = None,
        **params: Any,
    ) -> Result:
        """Get time series distribution of HTTP authentication requests by dimension.

        Retrieves the distribution of HTTP authentication requests, grouped by the specified dimension
        over time. Upstream: GET /radar/leaked_credential_checks/timeseries_groups/{dimension}
        (operationId radar-get-leaked-credential-checks-timeseries-group).

        JSON-RPC method ``radar.leakedCredentialChecks.timeseriesGroups``. Returns a
        :class:`RadarResult`, or a :class:`CsvResult` with ``format="CSV"``. Wire names
        (``aggInterval=...``) are accepted in ``**params`` too.

        Args:
            dimension: Specifies the attribute by which to group the results. Sent in the path, in upper
                case; any case is accepted (Cloudflare's own clients send lower case).
            agg_interval: Aggregation interval of the results (e.g., in 15 minutes or 1 hour intervals).
                Refer to Aggregation intervals. When omitted, the interval is auto-selected from the
                requested date range; finer intervals are only available for shorter ranges. If the
                requested interval is too granular for the date range, the request is rejected.
            name: Array of names used to label the series in the response. Without a name the series are
                keyed serie_0, serie_1, … in the result. Per series: one value, or a list (element i for
                series i).
            date_range: Filters results by relative date range ending at the current time, with each
                value producing a separate series. Use `<n>d` for days (up to `364d`) or `<n>w` for
                weeks (up to `52w`). Append `control` to request the equivalent previous period for
                comparison: the comparison window is shifted back by the current window's length rounded
                up to a whole number of weeks, so it keeps the same weekday alignment and does not
                overlap the current window (e.g. `7dcontrol` covers days -14 to -7, `10dcontrol` covers
                days -24 to -14). For example, pass `7d` and `7dcontrol` to compare this week with the
                previous week. All series must resolve to the same duration as the main series; relative
                ranges (including `control`) satisfy this automatically. Use this parameter or set
                specific start and end dates (`dateStart` and `dateEnd` parameters). Per series: one
                value, or a list (element i for series i).
            date_start: Start of the date range. Alternative to `dateRange`; provide together with
                `dateEnd`. When requesting comparison series, every series must resolve to the same
                duration as the main series. Each `dateStart`/`dateEnd` is floored to the nearest 15
                minutes before evaluation, so windows whose durations match only before alignment may be
                rejected. Per series: one value, or a list (element i for series i).
            date_end: End of the date range (inclusive). Alternative to `dateRange`; provide together
                with `dateStart`. When requesting comparison series, every series must resolve to the
                same duration as the main series. Each `dateStart`/`dateEnd` is floored to the nearest
                15 minutes before evaluation, so windows whose durations match only before alignment may
                be rejected. Per series: one value, or a list (element i for series i).
            asn: Filters results by Autonomous System. Specify one or more Autonomous System Numbers
                (ASNs) as a comma-separated list. Prefix with `-` to exclude ASNs from results. For
                example, `-174, 3356` excludes results from AS174, but includes results from AS3356. Per
                series: one value, or a list (element i for series i).
            location: Filters results by location. Specify a comma-separated list of alpha-2 codes.
                Prefix with `-` to exclude locations from results. For example, `-US,PT` excludes
                results from the US, but includes results from PT. Per series: one value, or a list
                (element i for series i).
            continent: Filters results by continent. Specify a comma-separated list of alpha-2 codes.
                Prefix with `-` to exclude continents from results. For example, `-EU,NA` excludes
                results from EU, but includes results from NA. Per series: one value, or a list (element
                i for series i).
            bot_class: Filters results by bot class. Refer to Bot classes. Per series: one value, or a
                list (element i for series i).
            compromised: Filters results by compromised credential status (clean vs. compromised). Per
                series: one value, or a list (element i for series i).
            check_result: Filters results by leaked credential check result. Per series: one value, or a
                list (element i for series i).
            limit_per_group: Limits the number of objects per group to the top items within the
                specified time range. When item count exceeds the limit, extra items appear grouped
                under an "other" category. Only supported on high-cardinality dimensions; otherwise the
                request is rejected. Minimum value is 2 (radar-rpc: at most 10000).
            normalization: Normalization method applied to the results. Refer to Normalization methods.
                `PERCENTAGE_CHANGE` requires exactly one comparison series (e.g. a `control` date
                range).
            format: Format in which results will be returned. With CSV the result is {"format": "CSV",
                "csv": "<the body>"}.
            series: radar-rpc's own: the series as objects, one per series, each holding that series'
                values of the per-series parameters. A top-level single value of a per-series parameter
                then applies to every series (a value inside a series object wins); a top-level array
                cannot be combined with series. Expands to exactly the upstream request of the flat
                form: {"dateRange": "7d", "series": [{"name": "us", "location": "US"}, {"name": "pt",
                "location": "PT"}]} asks for
                name=us&name=pt&dateRange=7d&dateRange=7d&location=US&location=PT. A series that leaves
                out a parameter a later series sets gets an empty element at its position, which Radar
                reads as "no filter": that is allowed only for string filters (ca, location, asn, …).
                For a boolean, an enum, a date, a dateRange or a name it is -32602 at that series' path:
                set it in every series (or in none). At most --max-series series (default 32).
            timeout: seconds before the call is cancelled (``$/cancelRequest``) and RequestTimeout raised.
            on_progress: called with each Progress (sends a workDoneToken).
            on_partial: called with (name, Series) as each series arrives (sends a partialResultToken).
        """
        return self._radar_call(
            "radar.leakedCredentialChecks.timeseriesGroups",
            {"dimension": dimension, "aggInterval": agg_interval, "name": name, "dateRange": date_range, "dateStart": date_start, "dateEnd": date_end, "asn": asn, "location": location, "continent": continent, "botClass": bot_class, "compromised": compromised, "checkResult": check_result, "limitPerGroup": limit_per_group, "normalization": normalization, "format": format, "series": series},
            params,
            timeout=timeout,
            on_progress=on_progress,
            on_partial=on_partial,
        )

    @overload
    def netflows_timeseries_groups(
        self,
        dimension: Literal["ADM1", "AS", "LOCATION", "PRODUCT"],
        *,
        agg_interval: Optional[AggInterval] = None,
        name: Optional[PerSeries[str]] = None,
        date_range: Optional[PerSeries[str]] = None,
        date_start: Optional[PerSeries[DateTimeLike]] = None,
        date_end: Optional[PerSeries[DateTimeLike]] = None,
        asn: Optional[PerSeries[ListFilter]] = None,
        location: Optional[PerSeries[ListFilter]] = None,
        continent: Optional[PerSeries[ListFilter]] = None,
        geo_id: Optional[PerSeries[ListFilter]] = None,
        limit_per_group: Optional[int] = None,
        normalization: Optional[Literal["PERCENTAGE", "MIN0_MAX", "PERCENTAGE_CHANGE"]] = None,
        product: Optional[PerSeries[NetflowsProduct]] = None,
        format: Literal["CSV"],
        series: Optional[Sequence[Mapping[str, Any]]] = None,
        timeout: Optional[float] = None,
        on_progress: Optional[ProgressCallback] = None,
        on_partial: Optional[PartialCallback] = None,
        **params: Any,
    ) -> CsvResult: ...

    @overload
    def netflows_timeseries_groups(
        self,
        dimension: Literal["ADM1", "AS", "LOCATION", "PRODUCT"],
        *,
        agg_interval: Optional[AggInterval] = None,
        name: Optional[PerSeries[str]] = None,
        date_range: Optional[PerSeries[str]] = None,
        date_start: Optional[PerSeries[DateTimeLike]] = None,
        date_end: Optional[PerSeries[DateTimeLike]] = None,
        asn: Optional[PerSeries[ListFilter]] = None,
        location: Optional[PerSeries[ListFilter]] = None,
        continent: Optional[PerSeries[ListFilter]] = None,
        geo_id: Optional[PerSeries[ListFilter]] = None,
        limit_per_group: Optional[int] = None,
        normalization: Optional[Literal["PERCENTAGE", "MIN0_MAX", "PERCENTAGE_CHANGE"]] = None,
        product: Optional[PerSeries[NetflowsProduct]] = None,
        format: Optional[Literal["JSON"]] = None,
        series: Optional[Sequence[Mapping[str, Any]]] = None,
        timeout: Optional[float] = None,
        on_progress: Optional[ProgressCallback] = None,
        on_partial: Optional[PartialCallback] = None,
        **params: Any,
    ) -> RadarResult: ...

    def netflows_timeseries_groups(
        self,
        dimension: Literal["ADM1", "AS", "LOCATION", "PRODUCT"],
        *,
        agg_interval: Optional[AggInterval] = None,
        name: Optional[PerSeries[str]] = None,
        date_range: Optional[PerSeries[str]] = None,
        date_start: Optional[PerSeries[DateTimeLike]] = None,
        date_end: Optional[PerSeries[DateTimeLike]] = None,
        asn: Optional[PerSeries[ListFilter]] = None,
        location: Optional[PerSeries[ListFilter]] = None,
        continent: Optional[PerSeries[ListFilter]] = None,
        geo_id: Optional[PerSeries[ListFilter]] = None,
        limit_per_group: Optional[int] = None,
        normalization: Optional[Literal["PERCENTAGE", "MIN0_MAX", "PERCENTAGE_CHANGE"]] = None,
        product: Optional[PerSeries[NetflowsProduct]] = None,
        format: Optional[Format] = None,
        series: Optional[Sequence[Mapping[str, Any]]] = None,
        timeout: Optional[float] = None,
        on_progress: Optional[ProgressCallback] = None,
        on_partial: Optional[PartialCallback] = None,
        **params: Any,
    ) -> Result:
        """Get time series distribution of network traffic by dimension.

        Retrieves the distribution of NetFlows traffic, grouped by the specified dimension over time.
        Upstream: GET /radar/netflows/timeseries_groups/{dimension} (operationId
        radar-get-netflows-timeseries-group).

        JSON-RPC method ``radar.netflows.timeseriesGroups``. Returns a :class:`RadarResult`, or a
        :class:`CsvResult` with ``format="CSV"``. Wire names (``aggInterval=...``) are accepted in
        ``**params`` too.

        Args:
            dimension: Specifies the NetFlows attribute by which to group the results. Sent in the path,
                in upper case; any case is accepted (Cloudflare's own clients send lower case).
            agg_interval: Aggregation interval of the results (e.g., in 15 minutes or 1 hour intervals).
                Refer to Aggregation intervals. When omitted, the interval is auto-selected from the
                requested date range; finer intervals are only available for shorter ranges. If the
                requested interval is too granular for the date range, the request is rejected.
            name: Array of names used to label the series in the response. Without a name the series are
                keyed serie_0, serie_1, … in the result. Per series: one value, or a list (element i for
                series i).
            date_range: Filters results by relative date range ending at the current time, with each
                value producing a separate series. Use `<n>d` for days (up to `364d`) or `<n>w` for
                weeks (up to `52w`). Append `control` to request the equivalent previous period for
                comparison: the comparison window is shifted back by the current window's length rounded
                up to a whole number of weeks, so it keeps the same weekday alignment and does not
                overlap the current window (e.g. `7dcontrol` covers days -14 to -7, `10dcontrol` covers
                days -24 to -14). For example, pass `7d` and `7dcontrol` to compare this week with the
                previous week. All series must resolve to the same duration as the main series; relative
                ranges (including `control`) satisfy this automatically. Use this parameter or set
                specific start and end dates (`dateStart` and `dateEnd` parameters). Per series: one
                value, or a list (element i for series i).
            date_start: Start of the date range. Alternative to `dateRange`; provide together with
                `dateEnd`. When requesting comparison series, every series must resolve to the same
                duration as the main series. Each `dateStart`/`dateEnd` is floored to the nearest 15
                minutes before evaluation, so windows whose durations match only before alignment may be
                rejected. Per series: one value, or a list (element i for series i).
            date_end: End of the date range (inclusive). Alternative to `dateRange`; provide together
                with `dateStart`. When requesting comparison series, every series must resolve to the
                same duration as the main series. Each `dateStart`/`dateEnd` is floored to the nearest
                15 minutes before evaluation, so windows whose durations match only before alignment may
                be rejected. Per series: one value, or a list (element i for series i).
            asn: Filters results by Autonomous System. Specify one or more Autonomous System Numbers
                (ASNs) as a comma-separated list. Prefix with `-` to exclude ASNs from results. For
                example, `-174, 3356` excludes results from AS174, but includes results from AS3356. Per
                series: one value, or a list (element i for series i).
            location: Filters results by location. Specify a comma-separated list of alpha-2 codes.
                Prefix with `-` to exclude locations from results. For example, `-US,PT` excludes
                results from the US, but includes results from PT. Per series: one value, or a list
                (element i for series i).
            continent: Filters results by continent. Specify a comma-separated list of alpha-2 codes.
                Prefix with `-` to exclude continents from results. For example, `-EU,NA` excludes
                results from EU, but includes results from NA. Per series: one value, or a list (element
                i for series i).
            geo_id: Filters results by Geolocation. Specify a comma-separated list of GeoNames IDs.
                Prefix with `-` to exclude geoIds from results. For example, `-2267056,360689` excludes
                results from the 2267056 (Lisbon), but includes results from 5128638 (New York). Per
                series: one value, or a list (element i for series i).
            limit_per_group: Limits the number of objects per group to the top items within the
                specified time range. When item count exceeds the limit, extra items appear grouped
                under an "other" category. Only supported on high-cardinality dimensions; otherwise the
                request is rejected. Minimum value is 2 (radar-rpc: at most 10000).
            normalization: Normalization method applied to the results. Refer to Normalization methods.
                `PERCENTAGE_CHANGE` requires exactly one comparison series (e.g. a `control` date
                range).
            product: Filters the results by network traffic product types. Per series: one value, or a
                list (element i for series i).
            format: Format in which results will be returned. With CSV the result is {"format": "CSV",
                "csv": "<the body>"}.
            series: radar-rpc's own: the series as objects, one per series, each holding that series'
                values of the per-series parameters. A top-level single value of a per-series parameter
                then applies to every series (a value inside a series object wins); a top-level array
                cannot be combined with series. Expands to exactly the upstream request of the flat
                form: {"dateRange": "7d", "series": [{"name": "us", "location": "US"}, {"name": "pt",
                "location": "PT"}]} asks for
                name=us&name=pt&dateRange=7d&dateRange=7d&location=US&location=PT. A series that leaves
                out a parameter a later series sets gets an empty element at its position, which Radar
                reads as "no filter": that is allowed only for string filters (ca, location, asn, …).
                For a boolean, an enum, a date, a dateRange or a name it is -32602 at that series' path:
                set it in every series (or in none). At most --max-series series (default 32).
            timeout: seconds before the call is cancelled (``$/cancelRequest``) and RequestTimeout raised.
            on_progress: called with each Progress (sends a workDoneToken).
            on_partial: called with (name, Series) as each series arrives (sends a partialResultToken).
        """
        return self._radar_call(
            "radar.netflows.timeseriesGroups",
            {"dimension": dimension, "aggInterval": agg_interval, "name": name, "dateRange": date_range, "dateStart": date_start, "dateEnd": date_end, "asn": asn, "location": location, "continent": continent, "geoId": geo_id, "limitPerGroup": limit_per_group, "normalization": normalization, "product": product, "format": format, "series": series},
            params,
            timeout=timeout,
            on_progress=on_progress,
            on_partial=on_partial,
        )


class AsyncRadarMethods:
    """One coroutine method per Radar method of the document (mixed into AsyncRadarClient)."""

    async def _radar_call(
        self,
        method: str,
        named: Dict[str, Any],
        extra: Dict[str, Any],
        *,
        timeout: Optional[float],
        on_progress: Optional[ProgressCallback],
        on_partial: Optional[PartialCallback],
    ) -> Result:
        raise NotImplementedError

    @overload
    async def ct_timeseries_groups(
        self,
        dimension: Literal["CA", "CA_OWNER", "DURATION", "ENTRY_TYPE", "EXPIRATION_STATUS", "HAS_IPS", "HAS_WILDCARDS", "LOG", "LOG_API", "LOG_OPERATOR", "PUBLIC_KEY_ALGORITHM", "SIGNATURE_ALGORITHM", "TLD", "VALIDATION_LEVEL"],
        *,
        agg_interval: Optional[AggInterval] = None,
        name: Optional[PerSeries[str]] = None,
        date_range: Optional[PerSeries[str]] = None,
        date_start: Optional[PerSeries[DateTimeLike]] = None,
        date_end: Optional[PerSeries[DateTimeLike]] = None,
        limit_per_group: Optional[int] = None,
        ca: Optional[PerSeries[str]] = None,
        ca_owner: Optional[PerSeries[str]] = None,
        duration: Optional[PerSeries[CtDuration]] = None,
        entry_type: Optional[PerSeries[CtEntryType]] = None,
        expiration_status: Optional[PerSeries[CtExpirationStatus]] = None,
        has_ips: Optional[PerSeries[bool]] = None,
        has_wildcards: Optional[PerSeries[bool]] = None,
        log: Optional[PerSeries[str]] = None,
        log_api: Optional[PerSeries[CtLogApi]] = None,
        log_operator: Optional[PerSeries[str]] = None,
        public_key_algorithm: Optional[PerSeries[CtPublicKeyAlgorithm]] = None,
        signature_algorithm: Optional[PerSeries[CtSignatureAlgorithm]] = None,
        validation_level: Optional[PerSeries[CtValidationLevel]] = None,
        tld: Optional[PerSeries[str]] = None,
        normalization: Optional[Literal["RAW_VALUES", "PERCENTAGE"]] = None,
        unique_entries: Optional[PerSeries[CtUniqueEntries]] = None,
        format: Literal["CSV"],
        series: Optional[Sequence[Mapping[str, Any]]] = None,
        timeout: Optional[float] = None,
        on_progress: Optional[ProgressCallback] = None,
        on_partial: Optional[PartialCallback] = None,
        **params: Any,
    ) -> CsvResult: ...

    @overload
    async def ct_timeseries_groups(
        self,
        dimension: Literal["CA", "CA_OWNER", "DURATION", "ENTRY_TYPE", "EXPIRATION_STATUS", "HAS_IPS", "HAS_WILDCARDS", "LOG", "LOG_API", "LOG_OPERATOR", "PUBLIC_KEY_ALGORITHM", "SIGNATURE_ALGORITHM", "TLD", "VALIDATION_LEVEL"],
        *,
        agg_interval: Optional[AggInterval] = None,
        name: Optional[PerSeries[str]] = None,
        date_range: Optional[PerSeries[str]] = None,
        date_start: Optional[PerSeries[DateTimeLike]] = None,
        date_end: Optional[PerSeries[DateTimeLike]] = None,
        limit_per_group: Optional[int] = None,
        ca: Optional[PerSeries[str]] = None,
        ca_owner: Optional[PerSeries[str]] = None,
        duration: Optional[PerSeries[CtDuration]] = None,
        entry_type: Optional[PerSeries[CtEntryType]] = None,
        expiration_status: Optional[PerSeries[CtExpirationStatus]] = None,
        has_ips: Optional[PerSeries[bool]] = None,
        has_wildcards: Optional[PerSeries[bool]] = None,
        log: Optional[PerSeries[str]] = None,
        log_api: Optional[PerSeries[CtLogApi]] = None,
        log_operator: Optional[PerSeries[str]] = None,
        public_key_algorithm: Optional[PerSeries[CtPublicKeyAlgorithm]] = None,
        signature_algorithm: Optional[PerSeries[CtSignatureAlgorithm]] = None,
        validation_level: Optional[PerSeries[CtValidationLevel]] = None,
        tld: Optional[PerSeries[str]] = None,
        normalization: Optional[Literal["RAW_VALUES", "PERCENTAGE"]] = None,
        unique_entries: Optional[PerSeries[CtUniqueEntries]] = None,
        format: Optional[Literal["JSON"]] = None,
        series: Optional[Sequence[Mapping[str, Any]]] = None,
        timeout: Optional[float] = None,
        on_progress: Optional[ProgressCallback] = None,
        on_partial: Optional[PartialCallback] = None,
        **params: Any,
    ) -> RadarResult: ...

    async def ct_timeseries_groups(
        self,
        dimension: Literal["CA", "CA_OWNER", "DURATION", "ENTRY_TYPE", "EXPIRATION_STATUS", "HAS_IPS", "HAS_WILDCARDS", "LOG", "LOG_API", "LOG_OPERATOR", "PUBLIC_KEY_ALGORITHM", "SIGNATURE_ALGORITHM", "TLD", "VALIDATION_LEVEL"],
        *,
        agg_interval: Optional[AggInterval] = None,
        name: Optional[PerSeries[str]] = None,
        date_range: Optional[PerSeries[str]] = None,
        date_start: Optional[PerSeries[DateTimeLike]] = None,
        date_end: Optional[PerSeries[DateTimeLike]] = None,
        limit_per_group: Optional[int] = None,
        ca: Optional[PerSeries[str]] = None,
        ca_owner: Optional[PerSeries[str]] = None,
        duration: Optional[PerSeries[CtDuration]] = None,
        entry_type: Optional[PerSeries[CtEntryType]] = None,
        expiration_status: Optional[PerSeries[CtExpirationStatus]] = None,
        has_ips: Optional[PerSeries[bool]] = None,
        has_wildcards: Optional[PerSeries[bool]] = None,
        log: Optional[PerSeries[str]] = None,
        log_api: Optional[PerSeries[CtLogApi]] = None,
        log_operator: Optional[PerSeries[str]] = None,
        public_key_algorithm: Optional[PerSeries[CtPublicKeyAlgorithm]] = None,
        signature_algorithm: Optional[PerSeries[CtSignatureAlgorithm]] = None,
        validation_level: Optional[PerSeries[CtValidationLevel]] = None,
        tld: Optional[PerSeries[str]] = None,
        normalization: Optional[Literal["RAW_VALUES", "PERCENTAGE"]] = None,
        unique_entries: Optional[PerSeries[CtUniqueEntries]] = None,
        format: Optional[Format] = None,
        series: Optional[Sequence[Mapping[str, Any]]] = None,
        timeout: Optional[float] = None,
        on_progress: Optional[ProgressCallback] = None,
        on_partial: Optional[PartialCallback] = None,
        **params: Any,
    ) -> Result:
        """Get time series of certificate distribution by dimension.

        Retrieves the distribution of certificates grouped by the specified dimension over time.
        Upstream: GET /radar/ct/timeseries_groups/{dimension} (operationId
        radar-get-ct-timeseries-group).

        JSON-RPC method ``radar.ct.timeseriesGroups``. Returns a :class:`RadarResult`, or a
        :class:`CsvResult` with ``format="CSV"``. Wire names (``aggInterval=...``) are accepted in
        ``**params`` too.

        Args:
            dimension: Specifies the certificate attribute by which to group the results. Sent in the
                path, in upper case; any case is accepted (Cloudflare's own clients send lower case).
            agg_interval: Aggregation interval of the results (e.g., in 15 minutes or 1 hour intervals).
                Refer to Aggregation intervals. When omitted, the interval is auto-selected from the
                requested date range; finer intervals are only available for shorter ranges. If the
                requested interval is too granular for the date range, the request is rejected.
            name: Array of names used to label the series in the response. Without a name the series are
                keyed serie_0, serie_1, … in the result. Per series: one value, or a list (element i for
                series i).
            date_range: Filters results by relative date range ending at the current time, with each
                value producing a separate series. Use `<n>d` for days (up to `364d`) or `<n>w` for
                weeks (up to `52w`). Append `control` to request the equivalent previous period for
                comparison: the comparison window is shifted back by the current window's length rounded
                up to a whole number of weeks, so it keeps the same weekday alignment and does not
                overlap the current window (e.g. `7dcontrol` covers days -14 to -7, `10dcontrol` covers
                days -24 to -14). For example, pass `7d` and `7dcontrol` to compare this week with the
                previous week. All series must resolve to the same duration as the main series; relative
                ranges (including `control`) satisfy this automatically. Use this parameter or set
                specific start and end dates (`dateStart` and `dateEnd` parameters). Per series: one
                value, or a list (element i for series i).
            date_start: Start of the date range. Alternative to `dateRange`; provide together with
                `dateEnd`. When requesting comparison series, every series must resolve to the same
                duration as the main series. Each `dateStart`/`dateEnd` is floored to the nearest 15
                minutes before evaluation, so windows whose durations match only before alignment may be
                rejected. Per series: one value, or a list (element i for series i).
            date_end: End of the date range (inclusive). Alternative to `dateRange`; provide together
                with `dateStart`. When requesting comparison series, every series must resolve to the
                same duration as the main series. Each `dateStart`/`dateEnd` is floored to the nearest
                15 minutes before evaluation, so windows whose durations match only before alignment may
                be rejected. Per series: one value, or a list (element i for series i).
            limit_per_group: Limits the number of objects per group to the top items within the
                specified time range. When item count exceeds the limit, extra items appear grouped
                under an "other" category. Only supported on high-cardinality dimensions; otherwise the
                request is rejected. Minimum value is 2 (radar-rpc: at most 10000).
            ca: Filters results by certificate authority. Per series: one value, or a list (element i
                for series i).
            ca_owner: Filters results by certificate authority owner. Per series: one value, or a list
                (element i for series i).
            duration: Filters results by certificate duration. Per series: one value, or a list (element
                i for series i).
            entry_type: Filters results by entry type (certificate vs. pre-certificate). Incompatible
                with the `tld` filter/dimension. Per series: one value, or a list (element i for series
                i).
            expiration_status: Filters results by expiration status (expired vs. valid). Per series: one
                value, or a list (element i for series i).
            has_ips: Filters results based on whether the certificates are bound to specific IP
                addresses. Per series: one value, or a list (element i for series i).
            has_wildcards: Filters results based on whether the certificates contain wildcard domains.
                Per series: one value, or a list (element i for series i).
            log: Filters results by certificate log. Incompatible with the `tld` filter/dimension. Per
                series: one value, or a list (element i for series i).
            log_api: Filters results by certificate log API (RFC6962 vs. static). Incompatible with the
                `tld` filter/dimension. Per series: one value, or a list (element i for series i).
            log_operator: Filters results by certificate log operator. Incompatible with the `tld`
                filter/dimension. Per series: one value, or a list (element i for series i).
            public_key_algorithm: Filters results by public key algorithm. Per series: one value, or a
                list (element i for series i).
            signature_algorithm: Filters results by signature algorithm. Per series: one value, or a
                list (element i for series i).
            validation_level: Filters results by validation level. Per series: one value, or a list
                (element i for series i).
            tld: Filters results by top-level domain. Incompatible with the `log`, `logApi`,
                `logOperator`, and `entryType` filters/dimensions. Per series: one value, or a list
                (element i for series i).
            normalization: Normalization method applied to the results. Refer to Normalization methods.
            unique_entries: Specifies whether to filter out duplicate certificates and pre-certificates.
                Set to true for unique entries only. Per series: one value, or a list (element i for
                series i).
            format: Format in which results will be returned. With CSV the result is {"format": "CSV",
                "csv": "<the body>"}.
            series: radar-rpc's own: the series as objects, one per series, each holding that series'
                values of the per-series parameters. A top-level single value of a per-series parameter
                then applies to every series (a value inside a series object wins); a top-level array
                cannot be combined with series. Expands to exactly the upstream request of the flat
                form: {"dateRange": "7d", "series": [{"name": "us", "location": "US"}, {"name": "pt",
                "location": "PT"}]} asks for
                name=us&name=pt&dateRange=7d&dateRange=7d&location=US&location=PT. A series that leaves
                out a parameter a later series sets gets an empty element at its position, which Radar
                reads as "no filter": that is allowed only for string filters (ca, location, asn, …).
                For a boolean, an enum, a date, a dateRange or a name it is -32602 at that series' path:
                set it in every series (or in none). At most --max-series series (default 32).
            timeout: seconds before the call is cancelled (``$/cancelRequest``) and RequestTimeout raised.
            on_progress: called with each Progress (sends a workDoneToken).
            on_partial: called with (name, Series) as each series arrives (sends a partialResultToken).
        """
        return await self._radar_call(
            "radar.ct.timeseriesGroups",
            {"dimension": dimension, "aggInterval": agg_interval, "name": name, "dateRange": date_range, "dateStart": date_start, "dateEnd": date_end, "limitPerGroup": limit_per_group, "ca": ca, "caOwner": ca_owner, "duration": duration, "entryType": entry_type, "expirationStatus": expiration_status, "hasIps": has_ips, "hasWildcards": has_wildcards, "log": log, "logApi": log_api, "logOperator": log_operator, "publicKeyAlgorithm": public_key_algorithm, "signatureAlgorithm": signature_algorithm, "validationLevel": validation_level, "tld": tld, "normalization": normalization, "uniqueEntries": unique_entries, "format": format, "series": series},
            params,
            timeout=timeout,
            on_progress=on_progress,
            on_partial=on_partial,
        )

    @overload
    async def leaked_credential_checks_timeseries_groups(
        self,
        dimension: Literal["COMPROMISED", "BOT_CLASS"],
        *,
        agg_interval: Optional[AggInterval] = None,
        name: Optional[PerSeries[str]] = None,
        date_range: Optional[PerSeries[str]] = None,
        date_start: Optional[PerSeries[DateTimeLike]] = None,
        date_end: Optional[PerSeries[DateTimeLike]] = None,
        asn: Optional[PerSeries[ListFilter]] = None,
        location: Optional[PerSeries[ListFilter]] = None,
        continent: Optional[PerSeries[ListFilter]] = None,
        bot_class: Optional[PerSeries[LeakedBotClass]] = None,
        compromised: Optional[PerSeries[LeakedCompromised]] = None,
        check_result: Optional[PerSeries[LeakedCheckResult]] = None,
        limit_per_group: Optional[int] = None,
        normalization: Optional[Literal["PERCENTAGE_CHANGE", "MIN0_MAX"]] = None,
        format: Literal["CSV"],
        series: Optional[Sequence[Mapping[str, Any]]] = None,
        timeout: Optional[float] = None,
        on_progress: Optional[ProgressCallback] = None,
        on_partial: Optional[PartialCallback] = None,
        **params: Any,
    ) -> CsvResult: ...

    @overload
    async def leaked_credential_checks_timeseries_groups(
        self,
        dimension: Literal["COMPROMISED", "BOT_CLASS"],
        *,
        agg_interval: Optional[AggInterval] = None,
        name: Optional[PerSeries[str]] = None,
        date_range: Optional[PerSeries[str]] = None,
        date_start: Optional[PerSeries[DateTimeLike]] = None,
        date_end: Optional[PerSeries[DateTimeLike]] = None,
        asn: Optional[PerSeries[ListFilter]] = None,
        location: Optional[PerSeries[ListFilter]] = None,
        continent: Optional[PerSeries[ListFilter]] = None,
        bot_class: Optional[PerSeries[LeakedBotClass]] = None,
        compromised: Optional[PerSeries[LeakedCompromised]] = None,
        check_result: Optional[PerSeries[LeakedCheckResult]] = None,
        limit_per_group: Optional[int] = None,
        normalization: Optional[Literal["PERCENTAGE_CHANGE", "MIN0_MAX"]] = None,
        format: Optional[Literal["JSON"]] = None,
        series: Optional[Sequence[Mapping[str, Any]]] = None,
        timeout: Optional[float] = None,
        on_progress: Optional[ProgressCallback] = None,
        on_partial: Optional[PartialCallback] = None,
        **params: Any,
    ) -> RadarResult: ...

    async def leaked_credential_checks_timeseries_groups(
        self,
        dimension: Literal["COMPROMISED", "BOT_CLASS"],
        *,
        agg_interval: Optional[AggInterval] = None,
        name: Optional[PerSeries[str]] = None,
        date_range: Optional[PerSeries[str]] = None,
        date_start: Optional[PerSeries[DateTimeLike]] = None,
        date_end: Optional[PerSeries[DateTimeLike]] = None,
        asn: Optional[PerSeries[ListFilter]] = None,
        location: Optional[PerSeries[ListFilter]] = None,
        continent: Optional[PerSeries[ListFilter]] = None,
        bot_class: Optional[PerSeries[LeakedBotClass]] = None,
        compromised: Optional[PerSeries[LeakedCompromised]] = None,
        check_result: Optional[PerSeries[LeakedCheckResult]] = None,
        limit_per_group: Optional[int] = None,
        normalization: Optional[Literal["PERCENTAGE_CHANGE", "MIN0_MAX"]] = None,
        format: Optional[Format] = None,
        series: Optional[Sequence[Mapping[str, Any]]] = None,
        timeout: Optional[float] = None,
        on_progress: Optional[ProgressCallback] = None,
        on_partial: Optional[PartialCallback] = None,
        **params: Any,
    ) -> Result:
        """Get time series distribution of HTTP authentication requests by dimension.

        Retrieves the distribution of HTTP authentication requests, grouped by the specified dimension
        over time. Upstream: GET /radar/leaked_credential_checks/timeseries_groups/{dimension}
        (operationId radar-get-leaked-credential-checks-timeseries-group).

        JSON-RPC method ``radar.leakedCredentialChecks.timeseriesGroups``. Returns a
        :class:`RadarResult`, or a :class:`CsvResult` with ``format="CSV"``. Wire names
        (``aggInterval=...``) are accepted in ``**params`` too.

        Args:
            dimension: Specifies the attribute by which to group the results. Sent in the path, in upper
                case; any case is accepted (Cloudflare's own clients send lower case).
            agg_interval: Aggregation interval of the results (e.g., in 15 minutes or 1 hour intervals).
                Refer to Aggregation intervals. When omitted, the interval is auto-selected from the
                requested date range; finer intervals are only available for shorter ranges. If the
                requested interval is too granular for the date range, the request is rejected.
            name: Array of names used to label the series in the response. Without a name the series are
                keyed serie_0, serie_1, … in the result. Per series: one value, or a list (element i for
                series i).
            date_range: Filters results by relative date range ending at the current time, with each
                value producing a separate series. Use `<n>d` for days (up to `364d`) or `<n>w` for
                weeks (up to `52w`). Append `control` to request the equivalent previous period for
                comparison: the comparison window is shifted back by the current window's length rounded
                up to a whole number of weeks, so it keeps the same weekday alignment and does not
                overlap the current window (e.g. `7dcontrol` covers days -14 to -7, `10dcontrol` covers
                days -24 to -14). For example, pass `7d` and `7dcontrol` to compare this week with the
                previous week. All series must resolve to the same duration as the main series; relative
                ranges (including `control`) satisfy this automatically. Use this parameter or set
                specific start and end dates (`dateStart` and `dateEnd` parameters). Per series: one
                value, or a list (element i for series i).
            date_start: Start of the date range. Alternative to `dateRange`; provide together with
                `dateEnd`. When requesting comparison series, every series must resolve to the same
                duration as the main series. Each `dateStart`/`dateEnd` is floored to the nearest 15
                minutes before evaluation, so windows whose durations match only before alignment may be
                rejected. Per series: one value, or a list (element i for series i).
            date_end: End of the date range (inclusive). Alternative to `dateRange`; provide together
                with `dateStart`. When requesting comparison series, every series must resolve to the
                same duration as the main series. Each `dateStart`/`dateEnd` is floored to the nearest
                15 minutes before evaluation, so windows whose durations match only before alignment may
                be rejected. Per series: one value, or a list (element i for series i).
            asn: Filters results by Autonomous System. Specify one or more Autonomous System Numbers
                (ASNs) as a comma-separated list. Prefix with `-` to exclude ASNs from results. For
                example, `-174, 3356` excludes results from AS174, but includes results from AS3356. Per
                series: one value, or a list (element i for series i).
            location: Filters results by location. Specify a comma-separated list of alpha-2 codes.
                Prefix with `-` to exclude locations from results. For example, `-US,PT` excludes
                results from the US, but includes results from PT. Per series: one value, or a list
                (element i for series i).
            continent: Filters results by continent. Specify a comma-separated list of alpha-2 codes.
                Prefix with `-` to exclude continents from results. For example, `-EU,NA` excludes
                results from EU, but includes results from NA. Per series: one value, or a list (element
                i for series i).
            bot_class: Filters results by bot class. Refer to Bot classes. Per series: one value, or a
                list (element i for series i).
            compromised: Filters results by compromised credential status (clean vs. compromised). Per
                series: one value, or a list (element i for series i).
            check_result: Filters results by leaked credential check result. Per series: one value, or a
                list (element i for series i).
            limit_per_group: Limits the number of objects per group to the top items within the
                specified time range. When item count exceeds the limit, extra items appear grouped
                under an "other" category. Only supported on high-cardinality dimensions; otherwise the
                request is rejected. Minimum value is 2 (radar-rpc: at most 10000).
            normalization: Normalization method applied to the results. Refer to Normalization methods.
                `PERCENTAGE_CHANGE` requires exactly one comparison series (e.g. a `control` date
                range).
            format: Format in which results will be returned. With CSV the result is {"format": "CSV",
                "csv": "<the body>"}.
            series: radar-rpc's own: the series as objects, one per series, each holding that series'
                values of the per-series parameters. A top-level single value of a per-series parameter
                then applies to every series (a value inside a series object wins); a top-level array
                cannot be combined with series. Expands to exactly the upstream request of the flat
                form: {"dateRange": "7d", "series": [{"name": "us", "location": "US"}, {"name": "pt",
                "location": "PT"}]} asks for
                name=us&name=pt&dateRange=7d&dateRange=7d&location=US&location=PT. A series that leaves
                out a parameter a later series sets gets an empty element at its position, which Radar
                reads as "no filter": that is allowed only for string filters (ca, location, asn, …).
                For a boolean, an enum, a date, a dateRange or a name it is -32602 at that series' path:
                set it in every series (or in none). At most --max-series series (default 32).
            timeout: seconds before the call is cancelled (``$/cancelRequest``) and RequestTimeout raised.
            on_progress: called with each Progress (sends a workDoneToken).
            on_partial: called with (name, Series) as each series arrives (sends a partialResultToken).
        """
        return await self._radar_call(
            "radar.leakedCredentialChecks.timeseriesGroups",
            {"dimension": dimension, "aggInterval": agg_interval, "name": name, "dateRange": date_range, "dateStart": date_start, "dateEnd": date_end, "asn": asn, "location": location, "continent": continent, "botClass": bot_class, "compromised": compromised, "checkResult": check_result, "limitPerGroup": limit_per_group, "normalization": normalization, "format": format, "series": series},
            params,
            timeout=timeout,
            on_progress=on_progress,
            on_partial=on_partial,
        )

    @overload
    async def netflows_timeseries_groups(
        self,
        dimension: Literal["ADM1", "AS", "LOCATION", "PRODUCT"],
        *,
        agg_interval: Optional[AggInterval] = None,
        name: Optional[PerSeries[str]] = None,
        date_range: Optional[PerSeries[str]] = None,
        date_start: Optional[PerSeries[DateTimeLike]] = None,
        date_end: Optional[PerSeries[DateTimeLike]] = None,
        asn: Optional[PerSeries[ListFilter]] = None,
        location: Optional[PerSeries[ListFilter]] = None,
        continent: Optional[PerSeries[ListFilter]] = None,
        geo_id: Optional[PerSeries[ListFilter]] = None,
        limit_per_group: Optional[int] = None,
        normalization: Optional[Literal["PERCENTAGE", "MIN0_MAX", "PERCENTAGE_CHANGE"]] = None,
        product: Optional[PerSeries[NetflowsProduct]] = None,
        format: Literal["CSV"],
        series: Optional[Sequence[Mapping[str, Any]]] = None,
        timeout: Optional[float] = None,
        on_progress: Optional[ProgressCallback] = None,
        on_partial: Optional[PartialCallback] = None,
        **params: Any,
    ) -> CsvResult: ...

    @overload
    async def netflows_timeseries_groups(
        self,
        dimension: Literal["ADM1", "AS", "LOCATION", "PRODUCT"],
        *,
        agg_interval: Optional[AggInterval] = None,
        name: Optional[PerSeries[str]] = None,
        date_range: Optional[PerSeries[str]] = None,
        date_start: Optional[PerSeries[DateTimeLike]] = None,
        date_end: Optional[PerSeries[DateTimeLike]] = None,
        asn: Optional[PerSeries[ListFilter]] = None,
        location: Optional[PerSeries[ListFilter]] = None,
        continent: Optional[PerSeries[ListFilter]] = None,
        geo_id: Optional[PerSeries[ListFilter]] = None,
        limit_per_group: Optional[int] = None,
        normalization: Optional[Literal["PERCENTAGE", "MIN0_MAX", "PERCENTAGE_CHANGE"]] = None,
        product: Optional[PerSeries[NetflowsProduct]] = None,
        format: Optional[Literal["JSON"]] = None,
        series: Optional[Sequence[Mapping[str, Any]]] = None,
        timeout: Optional[float] = None,
        on_progress: Optional[ProgressCallback] = None,
        on_partial: Optional[PartialCallback] = None,
        **params: Any,
    ) -> RadarResult: ...

    async def netflows_timeseries_groups(
        self,
        dimension: Literal["ADM1", "AS", "LOCATION", "PRODUCT"],
        *,
        agg_interval: Optional[AggInterval] = None,
        name: Optional[PerSeries[str]] = None,
        date_range: Optional[PerSeries[str]] = None,
        date_start: Optional[PerSeries[DateTimeLike]] = None,
        date_end: Optional[PerSeries[DateTimeLike]] = None,
        asn: Optional[PerSeries[ListFilter]] = None,
        location: Optional[PerSeries[ListFilter]] = None,
        continent: Optional[PerSeries[ListFilter]] = None,
        geo_id: Optional[PerSeries[ListFilter]] = None,
        limit_per_group: Optional[int] = None,
        normalization: Optional[Literal["PERCENTAGE", "MIN0_MAX", "PERCENTAGE_CHANGE"]] = None,
        product: Optional[PerSeries[NetflowsProduct]] = None,
        format: Optional[Format] = None,
        series: Optional[Sequence[Mapping[str, Any]]] = None,
        timeout: Optional[float] = None,
        on_progress: Optional[ProgressCallback] = None,
        on_partial: Optional[PartialCallback] = None,
        **params: Any,
    ) -> Result:
        """Get time series distribution of network traffic by dimension.

        Retrieves the distribution of NetFlows traffic, grouped by the specified dimension over time.
        Upstream: GET /radar/netflows/timeseries_groups/{dimension} (operationId
        radar-get-netflows-timeseries-group).

        JSON-RPC method ``radar.netflows.timeseriesGroups``. Returns a :class:`RadarResult`, or a
        :class:`CsvResult` with ``format="CSV"``. Wire names (``aggInterval=...``) are accepted in
        ``**params`` too.

        Args:
            dimension: Specifies the NetFlows attribute by which to group the results. Sent in the path,
                in upper case; any case is accepted (Cloudflare's own clients send lower case).
            agg_interval: Aggregation interval of the results (e.g., in 15 minutes or 1 hour intervals).
                Refer to Aggregation intervals. When omitted, the interval is auto-selected from the
                requested date range; finer intervals are only available for shorter ranges. If the
                requested interval is too granular for the date range, the request is rejected.
            name: Array of names used to label the series in the response. Without a name the series are
                keyed serie_0, serie_1, … in the result. Per series: one value, or a list (element i for
                series i).
            date_range: Filters results by relative date range ending at the current time, with each
                value producing a separate series. Use `<n>d` for days (up to `364d`) or `<n>w` for
                weeks (up to `52w`). Append `control` to request the equivalent previous period for
                comparison: the comparison window is shifted back by the current window's length rounded
                up to a whole number of weeks, so it keeps the same weekday alignment and does not
                overlap the current window (e.g. `7dcontrol` covers days -14 to -7, `10dcontrol` covers
                days -24 to -14). For example, pass `7d` and `7dcontrol` to compare this week with the
                previous week. All series must resolve to the same duration as the main series; relative
                ranges (including `control`) satisfy this automatically. Use this parameter or set
                specific start and end dates (`dateStart` and `dateEnd` parameters). Per series: one
                value, or a list (element i for series i).
            date_start: Start of the date range. Alternative to `dateRange`; provide together with
                `dateEnd`. When requesting comparison series, every series must resolve to the same
                duration as the main series. Each `dateStart`/`dateEnd` is floored to the nearest 15
                minutes before evaluation, so windows whose durations match only before alignment may be
                rejected. Per series: one value, or a list (element i for series i).
            date_end: End of the date range (inclusive). Alternative to `dateRange`; provide together
                with `dateStart`. When requesting comparison series, every series must resolve to the
                same duration as the main series. Each `dateStart`/`dateEnd` is floored to the nearest
                15 minutes before evaluation, so windows whose durations match only before alignment may
                be rejected. Per series: one value, or a list (element i for series i).
            asn: Filters results by Autonomous System. Specify one or more Autonomous System Numbers
                (ASNs) as a comma-separated list. Prefix with `-` to exclude ASNs from results. For
                example, `-174, 3356` excludes results from AS174, but includes results from AS3356. Per
                series: one value, or a list (element i for series i).
            location: Filters results by location. Specify a comma-separated list of alpha-2 codes.
                Prefix with `-` to exclude locations from results. For example, `-US,PT` excludes
                results from the US, but includes results from PT. Per series: one value, or a list
                (element i for series i).
            continent: Filters results by continent. Specify a comma-separated list of alpha-2 codes.
                Prefix with `-` to exclude continents from results. For example, `-EU,NA` excludes
                results from EU, but includes results from NA. Per series: one value, or a list (element
                i for series i).
            geo_id: Filters results by Geolocation. Specify a comma-separated list of GeoNames IDs.
                Prefix with `-` to exclude geoIds from results. For example, `-2267056,360689` excludes
                results from the 2267056 (Lisbon), but includes results from 5128638 (New York). Per
                series: one value, or a list (element i for series i).
            limit_per_group: Limits the number of objects per group to the top items within the
                specified time range. When item count exceeds the limit, extra items appear grouped
                under an "other" category. Only supported on high-cardinality dimensions; otherwise the
                request is rejected. Minimum value is 2 (radar-rpc: at most 10000).
            normalization: Normalization method applied to the results. Refer to Normalization methods.
                `PERCENTAGE_CHANGE` requires exactly one comparison series (e.g. a `control` date
                range).
            product: Filters the results by network traffic product types. Per series: one value, or a
                list (element i for series i).
            format: Format in which results will be returned. With CSV the result is {"format": "CSV",
                "csv": "<the body>"}.
            series: radar-rpc's own: the series as objects, one per series, each holding that series'
                values of the per-series parameters. A top-level single value of a per-series parameter
                then applies to every series (a value inside a series object wins); a top-level array
                cannot be combined with series. Expands to exactly the upstream request of the flat
                form: {"dateRange": "7d", "series": [{"name": "us", "location": "US"}, {"name": "pt",
                "location": "PT"}]} asks for
                name=us&name=pt&dateRange=7d&dateRange=7d&location=US&location=PT. A series that leaves
                out a parameter a later series sets gets an empty element at its position, which Radar
                reads as "no filter": that is allowed only for string filters (ca, location, asn, …).
                For a boolean, an enum, a date, a dateRange or a name it is -32602 at that series' path:
                set it in every series (or in none). At most --max-series series (default 32).
            timeout: seconds before the call is cancelled (``$/cancelRequest``) and RequestTimeout raised.
            on_progress: called with each Progress (sends a workDoneToken).
            on_partial: called with (name, Series) as each series arrives (sends a partialResultToken).
        """
        return await self._radar_call(
            "radar.netflows.timeseriesGroups",
            {"dimension": dimension, "aggInterval": agg_interval, "name": name, "dateRange": date_range, "dateStart": date_start, "dateEnd": date_end, "asn": asn, "location": location, "continent": continent, "geoId": geo_id, "limitPerGroup": limit_per_group, "normalization": normalization, "product": product, "format": format, "series": series},
            params,
            timeout=timeout,
            on_progress=on_progress,
            on_partial=on_partial,
        )
