import { expect, test } from '@playwright/test';
import type { ObservedTest } from '../../src/gate/observe.ts';
import { refusalOutcomes } from '../../src/gate/refusal-outcomes.ts';
import type { Layer } from '../../src/schema/common.ts';

const passed = (title: string, layer: Layer, refuses: string[]) =>
  ({
    title,
    project: { layer },
    refuses,
    outcome: 'expected',
    lastStatus: 'passed',
    notApplicable: [],
  }) as unknown as ObservedTest;

test('a refusal whose claiming test this run left out (--project, -g, a file filter) is not-run, not "no test of it runs at the layers run here"', () => {
  const declared = [{ id: 'tampered-state' }, { id: 'visitor-me' }, { id: 'remote-only' }];
  // `--project=local-unit`: only the unit layer's test ran, though local runs unit, api and browser.
  const tests = [passed('the product suite report', 'unit', [])];
  const claimedAt = (id: string): Layer[] =>
    ({ 'tampered-state': ['api'], 'visitor-me': ['api', 'remote'], 'remote-only': ['remote'] })[id] as Layer[];
  const outcomes = refusalOutcomes(declared, tests, ['unit', 'api', 'browser'], true, claimedAt);
  const leftOut = {
    status: 'not-run',
    tests: [],
    why: 'its test at the api layer was not selected by this run (a subset was chosen with --grep, --project, a file filter or a shard)',
  };
  expect(outcomes).toEqual([
    { id: 'tampered-state', ...leftOut },
    { id: 'visitor-me', ...leftOut },
    // Claimed only by a spec of a layer this environment does not run: that is not applicable here.
    {
      id: 'remote-only',
      status: 'not-applicable',
      tests: [],
      why: 'no test of it runs at the layers run here (unit, api, browser)',
    },
  ]);
  // The claiming test ran and passed: proven, whatever the claims say.
  expect(
    refusalOutcomes(
      [{ id: 'tampered-state' }],
      [passed('tampered', 'api', ['tampered-state'])],
      ['api'],
      true,
      claimedAt,
    ),
  ).toEqual([{ id: 'tampered-state', status: 'proven', tests: ['api: tampered'] }]);
});

test('a refusal whose claiming test seed data kept from running (a verify environment lacking its account) is not-run, not not-applicable', () => {
  const unseeded = {
    ...passed('a member cannot read the inventory', 'remote', ['member-reads-nodes']),
    outcome: 'skipped',
    lastStatus: 'skipped',
    skipReason: 'not run: seed check: persona "grace" cannot sign in to environment "acme"',
    seedMissing: 'seed check: persona "grace" cannot sign in to environment "acme"',
  } as ObservedTest;
  expect(refusalOutcomes([{ id: 'member-reads-nodes' }], [unseeded], ['remote'])).toEqual([
    {
      id: 'member-reads-nodes',
      status: 'not-run',
      tests: ['remote: a member cannot read the inventory'],
      why: 'seed check: persona "grace" cannot sign in to environment "acme"',
    },
  ]);
});

test('a refusal whose test passed without proving anything (it asserted nothing, or is declared test.fail()) is failed, as the pack counts that test', () => {
  // The gate counts both tests as failed (the pack is FAIL); before, the first refusal was counted
  // proven and the second not-run, "its tests did not run", of a test that ran.
  const empty = { ...passed('a visitor is refused', 'api', ['visitor-me']), assertions: 0 } as ObservedTest;
  const expectedToFail = {
    ...passed('a forged switch is refused', 'api', ['forged-switch']),
    lastStatus: 'failed',
    expectedStatus: 'failed',
    assertions: 1,
  } as ObservedTest;
  // Skipped by its own test.fixme(), no reason given: said so, not "did not run".
  const fixme = {
    ...passed('an ended allocation is refused', 'api', ['ended-allocation']),
    outcome: 'skipped',
    lastStatus: 'skipped',
  } as ObservedTest;
  expect(
    refusalOutcomes(
      [{ id: 'visitor-me' }, { id: 'forged-switch' }, { id: 'ended-allocation' }],
      [empty, expectedToFail, fixme],
      ['api'],
    ),
  ).toEqual([
    {
      id: 'visitor-me',
      status: 'failed',
      tests: ['api: a visitor is refused'],
      why: 'its test asserted nothing: a test passes the gate only when it checked something (call expect)',
    },
    {
      id: 'forged-switch',
      status: 'failed',
      tests: ['api: a forged switch is refused'],
      why: 'its test is declared test.fail(): an expected failure proves no journey, so the gate counts it as failed',
    },
    {
      id: 'ended-allocation',
      status: 'not-run',
      tests: ['api: an ended allocation is refused'],
      why: 'its test was skipped (test.skip or test.fixme) without saying why',
    },
  ]);
});
