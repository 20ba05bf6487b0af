// Compiled (not run) by generate-types.test.js when tsc is available: the declarations type an
// application's use of the client, and reject its mistakes (each @ts-expect-error must be one).
import {
  ErrorCode, FrameDecoder, RadarClient, RadarError, Subscription, groupsOf, isCsvResult, radarMethods, seriesOf, wireKeys,
} from '../../src/index.js';
import type {
  MethodMap, RadarCtTimeseriesGroupsParams, RadarNetflowsTimeseriesGroupsParams, SubscriptionUpdate, WorkDoneProgress,
} from '../../src/index.js';

export async function usage(): Promise<void> {
  const client = await RadarClient.start({ demo: true, apiToken: 'token' });
  const params: RadarNetflowsTimeseriesGroupsParams = {
    dimension: 'LOCATION', dateRange: ['7d', '7dcontrol'], location: [['US', 'PT'], 'DE'], workDoneToken: 0,
  };
  const typed = await client.radar.netflows.timeseriesGroups(params, {
    signal: new AbortController().signal,
    onProgress: (value: WorkDoneProgress) => value.kind === 'begin' && value.title,
    onPartialResult: (value) => Object.values(value).map((series) => series.timestamps?.length ?? 0),
  });
  // params of the declared type may say format: 'CSV': the result is the union, narrowed by isCsvResult.
  // @ts-expect-error not narrowed yet
  typed.meta;
  if (!isCsvResult(typed)) typed.meta.aggInterval;
  // Without format the result is JSON: meta and the series are there without narrowing.
  const result = await client.radar.netflows.timeseriesGroups({ dimension: 'LOCATION', dateRange: '7d' });
  // Every meta member and a series' timestamps are optional, as in real answers (contract §5).
  const interval: 'FIFTEEN_MINUTES' | 'ONE_HOUR' | 'ONE_DAY' | 'ONE_WEEK' | 'ONE_MONTH' | undefined = result.meta.aggInterval;
  const first: string | undefined = result.serie_0.timestamps?.[0];
  const units: string | undefined = result.meta.units?.[0]?.name;
  // @ts-expect-error timestamps may be absent
  result.serie_0.timestamps.length;
  // @ts-expect-error meta is not a series
  result.meta.timestamps.length;
  const csv = await client.radar.ct.timeseriesGroups({ dimension: 'CA', format: 'CSV' });
  const body: string = csv.csv;
  // @ts-expect-error a CSV result has no meta
  csv.meta;
  const format = Math.random() > 0.5 ? 'CSV' as const : 'JSON' as const;
  const either = await client.radar.ct.timeseriesGroups({ dimension: 'CA', format });
  if (isCsvResult(either)) {
    const text: string = either.csv;
  } else {
    const stamps: string[] | undefined = either.serie_0.timestamps;
  }
  for (const [name, series] of seriesOf(result)) {
    for (const [group, values] of groupsOf(series)) {
      const value: string = values[0];
      const label: string = `${name}/${group}`;
    }
  }
  const keys: string[] = wireKeys(result.serie_0);
  const ct: RadarCtTimeseriesGroupsParams = { dimension: 'TLD', hasIps: [true, false], uniqueEntries: 'true' };
  await client.radar.ct.timeseriesGroups(ct);
  await client.radar.leakedCredentialChecks.timeseriesGroups({ dimension: 'BOT_CLASS', botClass: 'LIKELY_HUMAN' });

  // @ts-expect-error a dimension of another endpoint
  await client.radar.netflows.timeseriesGroups({ dimension: 'CA' });
  // @ts-expect-error dimension is required
  await client.radar.netflows.timeseriesGroups({ dateRange: '7d' });
  // @ts-expect-error aggInterval is an enum
  await client.radar.ct.timeseriesGroups({ dimension: 'CA', aggInterval: '2h' });
  // @ts-expect-error no such method
  client.radar.netflows.timeseries;

  const stats = await client.stats();
  const count: number = stats.subscriptions + stats.upstream.requests;
  const init: MethodMap['initialize']['result'] = await client.call('initialize', {});
  const backend: 'live' | 'demo' = init.backend;
  const anything: unknown = await client.call('some.future.method', [1, 2]);

  const subscription = await client.subscribe('radar.ct.timeseriesGroups', { dimension: 'CA' }, { intervalSeconds: 60 });
  const plain: Subscription = subscription;
  for await (const update of subscription) {
    const u: SubscriptionUpdate = update;
    if (update.error) {
      const code: number = update.error.code;
    } else {
      const interval: string | undefined = update.result.meta.aggInterval;
    }
    break;
  }
  const csvUpdates = await client.subscribe('radar.ct.timeseriesGroups', { dimension: 'CA', format: 'CSV' });
  for await (const update of csvUpdates) {
    if (!update.error) {
      const body: string = update.result.csv;
    }
  }
  // @ts-expect-error only Radar methods can be subscribed to
  await client.subscribe('server.stats', {});

  try {
    await client.call('radar.ct.timeseriesGroups', { dimension: 'CA' });
  } catch (error) {
    if (error instanceof RadarError && error.isInvalidParams()) {
      const path: string = error.data.errors[0].path;
      const suggestion: string | undefined = error.violations[0].didYouMean;
    }
    if (error instanceof RadarError && error.isRateLimited()) {
      const wait: number | null | undefined = error.data.retryAfterSeconds;
    }
  }
  const limit: -32006 = ErrorCode.SubscriptionLimit;
  const invalid: -32602 = ErrorCode.InvalidParams;
  const frames = new FrameDecoder({ maxBodyBytes: 1 << 20 }).push(new Uint8Array(0));
  const dimensions: readonly string[] = radarMethods[0].dimensions;
  client.on('progress', (p) => p.token);
  client.on('update', (p) => p.subscription);
  client.on('exit', (status) => status.code);
  const status = await client.dispose({ timeoutMs: 1000 });
}
