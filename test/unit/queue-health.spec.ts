import { expect, test } from '@playwright/test';
import { judgeQueueHealth } from '../../src/coordinator/queue-health.ts';
import { queueHealthReportSchema } from '../../src/coordinator/queue-health-report.ts';
import type { QueueSnapshot, SnapshotTask } from '../../src/store/queue-snapshot.ts';

const NOW = '2026-06-01T12:00:00.000Z';
const HOUR = 3_600_000;
const settings = { legacyBefore: '2026-01-01', checkpointInterval: { text: '1h', ms: HOUR } };

function task(id: string, overrides: Partial<SnapshotTask> = {}): SnapshotTask {
  return {
    id,
    title: `task ${id}`,
    kind: 'feature',
    state: 'done',
    ownerLane: 'lane-a',
    createdAt: '2026-05-01T00:00:00.000Z',
    legacyReason: null,
    debtNew: false,
    pack: null,
    ...overrides,
  };
}

function snapshot(overrides: Partial<QueueSnapshot>): QueueSnapshot {
  return {
    now: NOW,
    staleCutoff: '2026-06-01T11:30:00.000Z',
    tasks: [],
    eventKinds: [],
    acceptedReviews: [],
    watchEvents: [],
    sessions: [],
    inProgress: [],
    gateRunPacks: [],
    openEscalations: [],
    ...overrides,
  };
}

const rulesOf = (report: ReturnType<typeof judgeQueueHealth>) =>
  Object.fromEntries(report.tasks.map(t => [t.id, t.problems.map(p => p.rule)]));

test('each rule finds its debt, and the evidence that settles it clears it', () => {
  const ago = (hours: number) => new Date(Date.parse(NOW) - hours * HOUR).toISOString();
  const report = judgeQueueHealth(
    snapshot({
      tasks: [
        task('DONE-BARE'),
        task('DONE-OK'),
        task('BUG-BARE', { kind: 'bugfix', state: 'in_review' }),
        task('BUG-PROVEN', { kind: 'bugfix' }),
        task('BUG-REVIEWED', { kind: 'bugfix' }),
        task('WATCH-OPEN', { kind: 'watch', state: 'in_review' }),
        task('WATCH-CLOSED', { kind: 'watch', state: 'in_review' }),
        task('WATCH-DEAD', { kind: 'watch', state: 'in_progress' }),
        task('WATCH-LIVE', { kind: 'watch', state: 'in_progress' }),
        task('WATCH-FAILED', { kind: 'watch', state: 'in_review' }),
        task('PACK-MISSING', { state: 'in_review', pack: 'pack-a' }),
        task('PACK-COVERED', { state: 'in_review', pack: 'pack-a' }),
        task('LATE', { state: 'in_progress' }),
        task('CHECKED', { state: 'in_progress' }),
        task('ESC', { state: 'escalated' }),
      ],
      eventKinds: [
        ...['DONE-OK', 'BUG-PROVEN', 'BUG-REVIEWED'].map(taskId => ({ taskId, kind: 'handoff' as const })),
        { taskId: 'BUG-PROVEN', kind: 'fix-record' },
        { taskId: 'BUG-PROVEN', kind: 'regression-proof' },
        { taskId: 'BUG-REVIEWED', kind: 'fix-record' },
      ],
      acceptedReviews: ['BUG-REVIEWED'],
      watchEvents: [
        { taskId: 'WATCH-CLOSED', body: { phase: 'started', run: 'r1', packet: 'W', session: 'gone' } },
        { taskId: 'WATCH-CLOSED', body: { phase: 'closed', run: 'r1', closeout: 1, status: 'success', class: null } },
        { taskId: 'WATCH-DEAD', body: { phase: 'started', run: 'r2', packet: 'W', session: 'silent' } },
        { taskId: 'WATCH-LIVE', body: { phase: 'started', run: 'r3', packet: 'W', session: 'alive' } },
        // Failed before its closeout, its session gone: over, not abandoned; but nothing was closed out.
        { taskId: 'WATCH-FAILED', body: { phase: 'started', run: 'r4', packet: 'W', session: 'gone' } },
        { taskId: 'WATCH-FAILED', body: { phase: 'failed', run: 'r4', session: 'gone', error: 'did not run' } },
      ],
      sessions: [
        { id: 'silent', heartbeatAt: ago(2) },
        { id: 'alive', heartbeatAt: ago(0.1) },
      ],
      inProgress: [
        { taskId: 'WATCH-DEAD', since: ago(0.5), lastCheckpoint: null },
        { taskId: 'WATCH-LIVE', since: ago(0.5), lastCheckpoint: null },
        { taskId: 'LATE', since: ago(3), lastCheckpoint: ago(2) },
        { taskId: 'CHECKED', since: ago(3), lastCheckpoint: ago(0.5) },
      ],
      gateRunPacks: [{ taskId: 'PACK-COVERED', pack: 'pack-a' }],
      openEscalations: [
        { taskId: 'ESC', id: 4, source: 'watch', to: 'lane-b', reason: 'auth twice', createdAt: ago(1) },
      ],
    }),
    settings,
  );
  expect(rulesOf(report)).toEqual({
    'DONE-BARE': ['no-handoff'],
    'BUG-BARE': ['no-fix-record', 'regression-not-accepted'],
    'WATCH-OPEN': ['watch-not-closed'],
    'WATCH-DEAD': ['watch-not-closed'],
    'WATCH-FAILED': ['watch-not-closed'],
    'PACK-MISSING': ['gate-run-missing'],
    LATE: ['checkpoint-stale'],
    ESC: ['escalation-unanswered'],
  });
  expect(report.tasks.find(t => t.id === 'ESC')!.problems[0].detail).toBe(
    `escalation #4 (watch to lane-b) since ${ago(1)}`,
  );
  expect(report.tasks.find(t => t.id === 'WATCH-FAILED')!.problems[0].detail).toBe('no watched run closed out');
  expect(report.ok).toBe(false);
  expect(report.totals.byRule['watch-not-closed']).toEqual({ legacy: 0, new: 3 });
  expect(queueHealthReportSchema.parse(report)).toEqual(report);
});

test('debt is legacy before the cutoff or when marked, new otherwise; only new debt fails', () => {
  const tasks = [
    task('OLD', { createdAt: '2025-12-31T23:59:59.000Z' }),
    task('MARKED', { legacyReason: 'imported from the old tracker' }),
  ];
  const legacy = judgeQueueHealth(snapshot({ tasks }), settings);
  expect(legacy.ok).toBe(true);
  expect(legacy.tasks.map(t => [t.id, t.debt, t.legacyReason])).toEqual([
    ['OLD', 'legacy', 'created before 2026-01-01'],
    ['MARKED', 'legacy', 'imported from the old tracker'],
  ]);
  const mixed = judgeQueueHealth(snapshot({ tasks: [...tasks, task('NEW')] }), settings);
  expect(mixed.ok).toBe(false);
  expect(mixed.totals).toMatchObject({ tasks: 3, withDebt: { legacy: 2, new: 1 } });
  const noCutoff = judgeQueueHealth(snapshot({ tasks }), { ...settings, legacyBefore: undefined });
  expect(noCutoff.tasks.map(t => t.debt)).toEqual(['new', 'legacy']);
});
