import { expect, test } from '@playwright/test';
import { runNarrowing } from '../../src/gate/narrowing.ts';
import type { RunFlags } from '../../src/schema/verdict.ts';
import { assembledVerdict } from '../helpers/assembled-run.ts';

const flags = (over: Partial<RunFlags> = {}): RunFlags => ({
  retries: 1,
  repeatEach: 1,
  workers: 2,
  maxFailures: 0,
  shard: null,
  reporters: ['list', 'gate-reporter'],
  filters: [],
  args: [],
  ...over,
});
const both = new Set(['api', 'browser']);

test('a whole run is not narrowed: every test of every layer of the environment ran', () => {
  expect(runNarrowing({ environment: 'local', flags: flags(), merged: false, runLayers: both, missing: [] })).toEqual(
    [],
  );
});

test('filters, a shard, projects not selected and tests left out with no filter each narrow a run, said as given', () => {
  const missing = ['api: proxy routes by host', 'browser: signs in', 'browser: signs out'];
  expect(
    runNarrowing({
      environment: 'local',
      flags: flags({ filters: ['--grep=routes', 'packs/platform-proxy/'], shard: '1/4' }),
      merged: false,
      runLayers: new Set(['api']),
      missing,
    }),
  ).toEqual(['--grep=routes', 'packs/platform-proxy/', '--shard=1/4', 'not selected: local-browser']);
  // No filter, yet a test of a selected project is not in the run: a test.only chose the rest.
  expect(
    runNarrowing({
      environment: 'local',
      flags: flags(),
      merged: false,
      runLayers: both,
      missing: missing.slice(0, 1),
    }),
  ).toEqual([
    '1 test of the selected projects not in the run: a test.only, or a test renamed or removed since tests.yaml ' +
      'was written (`npx packgate tests` says which)',
  ]);
  // In a merge, that is a shard's lost report, which blocks the merge: not a subset anyone chose.
  expect(
    runNarrowing({ environment: 'local', flags: flags(), merged: true, runLayers: both, missing: missing.slice(0, 1) }),
  ).toEqual([]);
});

test("the verdict of a local-api run says local-browser was not selected; a merge's lost reports are not a narrowing", () => {
  expect(assembledVerdict().narrowed).toEqual([
    'not selected: local-browser',
    expect.stringMatching(/^\d+ tests of the selected projects not in the run: a test\.only, or a test renamed /),
  ]);
  expect(assembledVerdict({ merged: true }).narrowed).toEqual(['not selected: local-browser']);
});

test('a run with faults injected into its stack is a drill of the gate: narrowed, never a release-gate run', () => {
  // Before: a whole run of local with callback-unregistered was recorded as a release-gate run, BLOCKED,
  // and the release view showed local blocked by a drill.
  const whole = { environment: 'local', flags: flags(), merged: false, runLayers: both, missing: [] };
  expect(runNarrowing({ ...whole, faults: ['callback-unregistered', 'ws-refused'] })).toEqual([
    'faults injected: callback-unregistered, ws-refused (a drill of the gate)',
  ]);
  expect(assembledVerdict({ faults: ['callback-unregistered'] }).narrowed).toContain(
    'faults injected: callback-unregistered (a drill of the gate)',
  );
});

test('a release stage run with PACKGATE_ALLOW_HTTP=1 is narrowed: its verdict says it is not a release verdict', () => {
  // Before: narrowed was [], so the queue store recorded such a run as a release-gate run of demo.
  const whole = { environment: 'demo', flags: flags(), merged: false, runLayers: new Set(['remote']), missing: [] };
  expect(runNarrowing(whole)).toEqual([]);
  expect(runNarrowing({ ...whole, httpAllowedFor: 'demo' })).toEqual([
    'PACKGATE_ALLOW_HTTP=1: plain HTTP accepted for stage demo (not a release verdict)',
  ]);
});
