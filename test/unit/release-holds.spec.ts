import { expect, test } from '@playwright/test';
import { readReleaseHolds } from '../../reporters/release-hold-sources.ts';
import { loadCatalogueOrThrow } from '../../src/catalogue/load.ts';
import { assembleRun, withLateProblem } from '../../src/gate/assemble.ts';
import { describeHold, holdingTasks, queueProblems } from '../../src/gate/hold-judgement.ts';
import { readHolds } from '../../src/gate/release-holds.ts';
import { renderSummary, renderTable } from '../../src/gate/render.ts';
import { holdsOfQuery } from '../../src/loop/release-hold-source.ts';
import { projectSchema } from '../../src/schema/project.ts';
import { verdictFileSchema, type AppliedHold, type QueueRead } from '../../src/schema/verdict.ts';
import type { ReleaseHoldView } from '../../src/store/release-hold-schema.ts';
import { REPO } from '../helpers/ports.ts';

const hold: AppliedHold = {
  taskId: 'FIX-1',
  title: 'The callback is accepted again',
  kind: 'bugfix',
  state: 'in_progress',
  pack: 'auth-session',
  why: 'an open bug fix',
  since: '2026-12-01T10:00:00.000Z',
  ownerLane: 'C-ops',
};
const read: QueueRead = { store: '/p/.packgate/queue.db', readAt: '2026-12-05T12:00:00.000Z', holds: [hold] };

test('on a release stage each hold is an error naming the task, its title, pack, since, lane and why', () => {
  for (const stage of ['demo', 'staging', 'prod'] as const)
    expect(queueProblems(read, stage)).toEqual([
      {
        severity: 'error',
        message:
          'release hold: task FIX-1 "The callback is accepted again" (bugfix, in_progress) holds pack auth-session ' +
          "since 2026-12-01T10:00:00.000Z, owner lane C-ops: an open bug fix; it clears when the task's review is " +
          'accepted with its regression (packgate review submit --accept), or a coordinator accepts the risk until ' +
          'a date (packgate review accept-risk)',
      },
    ]);
});

test('on dev a hold is a warning that says it blocks the release stages; an empty queue is no problem', () => {
  const [problem] = queueProblems(read, 'dev');
  expect(problem.severity).toBe('warning');
  expect(problem.message).toContain('(a warning on dev: it blocks the release stages)');
  expect(queueProblems({ ...read, holds: [] }, 'demo')).toEqual([]);
  expect(queueProblems({ ...read, holds: [] }, 'dev')).toEqual([]);
});

test('a queue not read blocks a release stage with what to do, and warns on dev', () => {
  const none: QueueRead = { store: null, reason: 'no queue store is configured' };
  const [blocked] = queueProblems(none, 'prod');
  expect(blocked.severity).toBe('error');
  expect(blocked.message).toMatch(
    /^release holds were not read: no queue store is configured; a prod gate is not judged/,
  );
  expect(blocked.message).toContain('`store:` in packgate.yaml');
  const [warned] = queueProblems(none, 'dev');
  expect(warned.severity).toBe('warning');
  expect(warned.message).toContain('on dev this is a warning');
  const unreadable = queueProblems({ store: 'postgresql://a:***@h/q', reason: 'connection refused' }, 'staging');
  expect(unreadable).toEqual([{ severity: 'error', message: expect.stringContaining('make the store readable') }]);
});

test('a source that throws is a store that could not be read, never an empty queue', async () => {
  const source = {
    name: 'queue store',
    read: async (): Promise<QueueRead> => {
      throw new Error('driver missing\nstack');
    },
  };
  expect(await readHolds(source, { environment: 'demo', stage: 'demo', packs: ['a'] })).toEqual({
    store: null,
    reason: 'queue store: driver missing',
  });
});

test('a source that never answers is a store that could not be read, after the time allowed', async () => {
  const source = { name: 'queue store', read: () => new Promise<QueueRead>(() => {}) };
  expect(await readHolds(source, { environment: 'demo', stage: 'demo', packs: ['a'] }, 50)).toEqual({
    store: null,
    reason: 'queue store: no answer within 0.05 s',
  });
});

test('without a store configured the read says so: no store, and why', async ({}, testInfo) => {
  const manifest = projectSchema.parse({ name: 'demo' });
  const query = { environment: 'demo', stage: 'demo' as const, packs: ['a'] };
  expect(await readReleaseHolds(testInfo.outputPath('p'), manifest, query, {})).toEqual({
    store: null,
    reason: expect.stringContaining('no queue store is configured'),
  });
});

const view = (over: Partial<ReleaseHoldView>): ReleaseHoldView => ({
  id: 1,
  taskId: 'T-1',
  pack: 'auth-session',
  reason: 'an open bug fix',
  since: '2026-01-01T00:00:00.000Z',
  createdBy: 'tester',
  clearedAs: null,
  clearedAt: null,
  clearedBy: null,
  clearReason: null,
  riskExpiresAt: null,
  task: { title: 'Fix it', state: 'ready', kind: 'bugfix', ownerLane: null },
  active: true,
  ...over,
});

test('the holds that apply: active ones on the packs the environment runs; an expired risk holds from its expiry', () => {
  const holds = holdsOfQuery(
    [
      view({ taskId: 'T-1' }),
      view({ taskId: 'T-2', pack: 'terminal' }),
      view({ taskId: 'T-3', clearedAs: 'coverage', active: false }),
      view({
        taskId: 'T-4',
        clearedAs: 'risk',
        clearedBy: 'coord',
        clearReason: 'ship first',
        riskExpiresAt: '2026-02-01T00:00:00.000Z',
        active: true,
      }),
    ],
    { environment: 'demo', stage: 'demo', packs: ['auth-session', 'v3-shell'] },
  );
  expect(holds.map(h => [h.taskId, h.since, h.ownerLane])).toEqual([
    ['T-1', '2026-01-01T00:00:00.000Z', null],
    ['T-4', '2026-02-01T00:00:00.000Z', null],
  ]);
  expect(holds[1].why).toBe(
    'an open bug fix; the risk accepted by coord (ship first) expired at 2026-02-01T00:00:00.000Z',
  );
  expect(describeHold(holds[0])).toContain(', no owner lane:');
});

const catalogue = loadCatalogueOrThrow(REPO);

/** A run of the project's own catalogue in which no test ran: what matters here is what the queue adds. */
function verdictWith(queue: QueueRead | undefined, environment: 'demo' | 'local') {
  return assembleRun({
    catalogue,
    tests: [],
    runErrors: [],
    runStatus: 'passed',
    projects: [{ name: `${environment}-api`, environment, layer: 'api' }],
    faults: [],
    startedAt: new Date('2026-12-05T12:00:00Z'),
    durationMs: 1,
    queue,
    processEnv: {},
  })!.verdict;
}

test('the verdict keeps what it read (schema 2), names the holding tasks in its headline, and a late problem keeps them', () => {
  const verdict = verdictWith(read, 'demo');
  expect(verdictFileSchema.parse(verdict)).toMatchObject({ schemaVersion: 2, verdict: 'BLOCKED', queue: read });
  expect(verdict.headline).toContain('held by task FIX-1 of the queue');
  expect(withLateProblem(verdict, { severity: 'warning', message: 'x' }).headline).toContain('held by task FIX-1');
  expect(verdictWith(undefined, 'demo')).not.toHaveProperty('queue');
  expect(holdingTasks({ store: null, reason: 'r' })).toEqual([]);
});

test('a late problem found twice (the attestation failing after the verdict and again after JUnit and Allure) is listed once', () => {
  const problem = { severity: 'error' as const, message: 'the evidence attestation was not written: disk full' };
  const once = withLateProblem(verdictWith(undefined, 'local'), problem);
  const twice = withLateProblem(once, problem);
  expect(twice.verdict).toBe('BLOCKED');
  expect(twice.problems.filter(p => p.message === problem.message)).toHaveLength(1);
  // Another problem is still added.
  expect(withLateProblem(twice, { severity: 'warning', message: 'x' }).problems).toHaveLength(once.problems.length + 1);
});

test('a version 1 verdict (no queue) still reads', () => {
  const v1 = { ...verdictWith(undefined, 'local'), schemaVersion: 1 };
  expect(verdictFileSchema.parse(v1).schemaVersion).toBe(1);
});

test('summary.md has a row per hold and says which store was read and when; the terminal says it in a line', () => {
  const verdict = verdictWith(read, 'demo');
  const summary = renderSummary(verdict);
  expect(summary).toContain(
    'Release holds (each blocks this release), read from `/p/.packgate/queue.db` at 2026-12-05T12:00:00.000Z:',
  );
  expect(summary).toContain('| Task | Title | Pack | Why | Since | Owner lane |');
  expect(summary).toContain(
    '| FIX-1 | The callback is accepted again | auth-session | an open bug fix | 2026-12-01T10:00:00.000Z | C-ops |',
  );
  expect(renderSummary(verdictWith(read, 'local'))).toContain('(warnings here: they block the release stages)');
  const table = renderTable(verdict, 'gate-results');
  expect(table).toContain('error: release hold: task FIX-1');
  expect(table).toContain('release holds: 1 release hold in /p/.packgate/queue.db (read 2026-12-05T12:00:00.000Z)');
});
