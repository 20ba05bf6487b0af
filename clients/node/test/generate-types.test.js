// The generated protocol module is current with protocol/openrpc.json, and follows the document.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { defaultDocumentPath, generate, outputFiles } from '../scripts/generate-types.mjs';
import { packageDir, test } from '../test-support/helpers.js';

const document = () => JSON.parse(readFileSync(defaultDocumentPath, 'utf8'));

test('the committed src/generated files are what the script makes from protocol/openrpc.json', () => {
  const generated = generate(document());
  for (const [key, file] of Object.entries(outputFiles)) {
    assert.equal(readFileSync(file, 'utf8'), generated[key],
      `${file} is out of date with protocol/openrpc.json: run node clients/node/scripts/generate-types.mjs`);
  }
  const check = spawnSync(process.execPath, [join(packageDir, 'scripts', 'generate-types.mjs'), '--check']);
  assert.equal(check.status, 0, check.stderr.toString());
});

test('--check fails on a document that differs, naming the stale files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'radar-node-gen-'));
  try {
    const doc = document();
    doc.components.schemas.AggInterval.enum.push('1M');
    const path = join(dir, 'openrpc.json');
    writeFileSync(path, JSON.stringify(doc));
    const check = spawnSync(process.execPath, [join(packageDir, 'scripts', 'generate-types.mjs'), '--check', path]);
    assert.equal(check.status, 1);
    assert.match(check.stderr.toString(), /protocol\.d\.ts/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a new Radar endpoint in the document is a new typed method and a new client.radar function', async () => {
  const doc = document();
  const netflows = doc.methods.find((m) => m.name === 'radar.netflows.timeseriesGroups');
  const http = structuredClone(netflows);
  http.name = 'radar.http.timeseriesGroups';
  http['x-radar-path'] = '/radar/http/timeseries_groups/{dimension}';
  http.params[0] = { ...http.params[0], schema: { type: 'string', enum: ['IP_VERSION', 'HTTP_VERSION'] } };
  doc.methods.push(http);
  const { declarations, runtime } = generate(doc);
  assert.match(declarations, /export interface RadarHttpTimeseriesGroupsParams \{/);
  assert.match(declarations, /dimension: "IP_VERSION" \| "HTTP_VERSION";/);
  assert.match(declarations, /"radar\.http\.timeseriesGroups": \{ params: RadarHttpTimeseriesGroupsParams; result: RadarResult \| CsvResult \}/);
  assert.match(declarations, /timeseriesGroups\(params: RadarHttpTimeseriesGroupsParams & \{ format: "CSV" \}, options\?: CallOptions\): Promise<CsvResult>;/);
  assert.match(declarations, /timeseriesGroups\(params: RadarHttpTimeseriesGroupsParams & \{ format\?: "JSON" \}, options\?: CallOptions\): Promise<RadarResult>;/);
  assert.match(declarations, /readonly http: \{\n.*\n( +timeseriesGroups\(.*\n){2} +timeseriesGroups\(params: RadarHttpTimeseriesGroupsParams, options\?: CallOptions\)/);
  const dir = mkdtempSync(join(tmpdir(), 'radar-node-gen-'));
  try {
    const file = join(dir, 'protocol.js');
    writeFileSync(file, runtime);
    const { radarMethods } = await import(pathToFileURL(file).href);
    const added = radarMethods.find((m) => m.name === 'radar.http.timeseriesGroups');
    assert.deepEqual(added.dimensions, ['IP_VERSION', 'HTTP_VERSION']);
    assert.equal(added.path, '/radar/http/timeseries_groups/{dimension}');
    assert.ok(Object.isFrozen(added));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a schema the generator does not understand fails loudly instead of guessing', () => {
  const doc = document();
  doc.components.schemas.Weird = { type: 'string', patternProperties: { x: {} } };
  assert.throws(() => generate(doc), /unsupported schema keyword patternProperties/);
});

test('the declarations type-check an application and reject its mistakes (tsc --strict)', () => {
  try {
    execFileSync('tsc', ['-p', join(packageDir, 'test', 'types')], { encoding: 'utf8' });
  } catch (error) {
    if (error.code === 'ENOENT') assert.fail('tsc is not installed (apt-get install node-typescript; scripts/test does)');
    assert.fail(`tsc found errors:\n${error.stdout}${error.stderr}`);
  }
});
